/// Up to six byte values, found in a buffer sixteen bytes at a time (vector compares,
/// then words for the tail): the scanners that read every byte of a line use it to jump
/// to the few bytes where a token can be.
@usableFromInline package struct ByteSet: Sendable {
    /// Each byte value repeated in all eight lanes of a word (unused slots repeat the
    /// first value, so every search makes the same six tests).
    @usableFromInline let m0, m1, m2, m3, m4, m5: UInt64

    /// The set of the bytes given. Inlinable with constant arguments, so a set spelt
    /// where it is searched folds into six constants: no global to initialize.
    @inlinable
    package init(_ b0: UInt8, _ b1: UInt8? = nil, _ b2: UInt8? = nil, _ b3: UInt8? = nil, _ b4: UInt8? = nil, _ b5: UInt8? = nil) {
        m0 = UInt64(b0) &* ByteSet.ones
        m1 = UInt64(b1 ?? b0) &* ByteSet.ones
        m2 = UInt64(b2 ?? b0) &* ByteSet.ones
        m3 = UInt64(b3 ?? b0) &* ByteSet.ones
        m4 = UInt64(b4 ?? b0) &* ByteSet.ones
        m5 = UInt64(b5 ?? b0) &* ByteSet.ones
    }

    /// 0x01 and 0x80 in every lane: the constants of the word-at-a-time tests here and in
    /// `LowerHex` and the JSON writer.
    @inlinable package static var ones: UInt64 { 0x0101_0101_0101_0101 }
    @inlinable package static var highs: UInt64 { 0x8080_8080_8080_8080 }

    /// The high bit of each zero byte of `x`: exact for the lowest zero byte, which is
    /// the one a forward search needs (a borrow may also mark a byte above it).
    @inlinable @inline(__always)
    package static func zeroBytes(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }

    @inlinable @inline(__always)
    package func contains(_ c: UInt8) -> Bool {
        let x = UInt64(c)
        return x == m0 & 0xFF || x == m1 & 0xFF || x == m2 & 0xFF || x == m3 & 0xFF || x == m4 & 0xFF || x == m5 & 0xFF
    }

    /// The high bit of each zero byte of `x`, and of no other: for a word whose lowest
    /// lanes lie before the search and are masked off afterwards.
    @inlinable @inline(__always)
    static func exactZeroBytes(_ x: UInt64) -> UInt64 { ~(((x & ~highs) &+ ~highs) | x | ~highs) }

    /// The first index in `from..<to` holding a byte of the set, or `to`. Inlined, so
    /// that a set spelt at the call folds into constants and repeated values into one test.
    @inlinable @inline(__always)
    package func firstIndex(in b: UnsafeRawBufferPointer, from: Int, to: Int) -> Int {
        guard let base = b.baseAddress else { return to }
        var i = from
        if i + 16 <= to {
            // Sixteen bytes per step (SSE2 compares on x86-64, NEON on arm64).
            repeat {
                let hit = hits(base.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self))
                if any(hit) {
                    // The hit lanes as 0xFF bytes, read as two words: the lowest set byte is the first hit.
                    let lanes = unsafeBitCast(hit, to: SIMD2<UInt64>.self)
                    let low = UInt64(littleEndian: lanes[0]), high = UInt64(littleEndian: lanes[1])
                    return i &+ (low != 0 ? low.trailingZeroBitCount / 8 : 8 &+ high.trailingZeroBitCount / 8)
                }
                i &+= 16
            } while i &+ 16 <= to
        }
        if i + 8 <= to {
            // Little-endian order makes the byte at `i` the word's lowest.
            let w = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let hits = Self.zeroBytes(w ^ m0) | Self.zeroBytes(w ^ m1) | Self.zeroBytes(w ^ m2)
                | Self.zeroBytes(w ^ m3) | Self.zeroBytes(w ^ m4) | Self.zeroBytes(w ^ m5)
            if hits != 0 { return i + hits.trailingZeroBitCount / 8 }
            i += 8
        }
        guard i < to else { return to }
        if to >= 8 {
            // The last few bytes: one word ending at `to`, its lanes before `i` ignored.
            let w = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: to - 8, as: UInt64.self))
            var hits = Self.exactZeroBytes(w ^ m0) | Self.exactZeroBytes(w ^ m1) | Self.exactZeroBytes(w ^ m2)
                | Self.exactZeroBytes(w ^ m3) | Self.exactZeroBytes(w ^ m4) | Self.exactZeroBytes(w ^ m5)
            hits &= ~0 << UInt64((i - (to - 8)) * 8)
            return hits == 0 ? to : to - 8 + hits.trailingZeroBitCount / 8
        }
        while i < to {
            if contains(base.load(fromByteOffset: i, as: UInt8.self)) { return i }
            i += 1
        }
        return to
    }

    /// The lanes of `v` holding a byte of the set. The broadcasts are loop-invariant:
    /// inlined into a search loop they are made once, and folded when the set is spelt
    /// at the call.
    @inlinable @inline(__always)
    func hits(_ v: SIMD16<UInt8>) -> SIMDMask<SIMD16<Int8>> {
        func lane(_ m: UInt64) -> SIMD16<UInt8> { SIMD16(repeating: UInt8(truncatingIfNeeded: m)) }
        return (v .== lane(m0)) .| (v .== lane(m1)) .| (v .== lane(m2)) .| (v .== lane(m3)) .| (v .== lane(m4))
            .| (v .== lane(m5))
    }

    /// The last index in `from..<to` holding a byte of the set, or nil: sixteen bytes at
    /// a time from the end while none is there, then eight, with the exact test, since
    /// the highest flagged lane is wanted.
    @inlinable @inline(__always)
    package func lastIndex(in b: UnsafeRawBufferPointer, from: Int, to: Int) -> Int? {
        guard let base = b.baseAddress else { return nil }
        var end = to
        if end - 16 >= from {
            repeat {
                // A hit in these sixteen: the words below find the last one.
                if any(hits(base.loadUnaligned(fromByteOffset: end &- 16, as: SIMD16<UInt8>.self))) { break }
                end &-= 16
            } while end - 16 >= from
        }
        while end - 8 >= from {
            let w = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: end - 8, as: UInt64.self))
            let hits = Self.exactZeroBytes(w ^ m0) | Self.exactZeroBytes(w ^ m1) | Self.exactZeroBytes(w ^ m2)
                | Self.exactZeroBytes(w ^ m3) | Self.exactZeroBytes(w ^ m4) | Self.exactZeroBytes(w ^ m5)
            if hits != 0 { return end - 8 + (63 - hits.leadingZeroBitCount) / 8 }
            end -= 8
        }
        while end > from {
            end -= 1
            if contains(base.load(fromByteOffset: end, as: UInt8.self)) { return end }
        }
        return nil
    }
}
