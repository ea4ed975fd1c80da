/// Runs of lowercase hex digits (`0-9a-f`), the alphabet of every pseudonym, checked
/// eight bytes at a time: the verifier tests each pseudonym it reads.
@usableFromInline package enum LowerHex {
    /// The high bit of each byte of `w` in `low...high`, for a word of bytes below 0x80
    /// (so no lane carries into the next) and `low` ≥ 1.
    @inlinable @inline(__always)
    static func inRange(_ w: UInt64, _ low: UInt8, _ high: UInt8) -> UInt64 {
        let atLeastLow = w &+ UInt64(0x80 - low) &* ByteSet.ones
        let aboveHigh = w &+ UInt64(0x7F - high) &* ByteSet.ones
        return atLeastLow & ~aboveHigh & ByteSet.highs
    }

    /// Whether every byte of `r` is a lowercase hex digit (true for an empty range).
    @inlinable
    package static func isRun(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Bool {
        guard let base = b.baseAddress else { return r.isEmpty }
        var i = r.lowerBound
        while i + 8 <= r.upperBound {
            let w = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            guard w & ByteSet.highs == 0, inRange(w, 0x30, 0x39) | inRange(w, 0x61, 0x66) == ByteSet.highs else { return false }
            i += 8
        }
        while i < r.upperBound {
            let c = base.load(fromByteOffset: i, as: UInt8.self)
            guard ASCII.isDigit(c) || c &- 0x61 < 6 else { return false }
            i += 1
        }
        return true
    }
}
