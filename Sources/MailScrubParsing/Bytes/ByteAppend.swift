extension Array where Element == UInt8 {
    /// Appends the `count` bytes at `source`. Output is made of short runs (a key, a
    /// pseudonym, the text between two tokens); through an output span each costs one
    /// uniqueness and capacity check and a copy, about half the instructions of
    /// `append(contentsOf:)`.
    @inlinable @inline(__always)
    package mutating func appendBytes(_ source: UnsafeRawPointer?, count n: Int) {
        guard n > 0, let source else { return }
        append(addingCapacity: n) { span in
            span.withUnsafeMutableBufferPointer { buffer, count in
                // Safe to force unwrap: the span has room for `n` more bytes.
                UnsafeMutableRawPointer(buffer.baseAddress! + count).copyMemory(from: source, byteCount: n)
                count += n
            }
        }
    }

    /// Appends `b[range]`.
    @inlinable @inline(__always)
    package mutating func appendBytes(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) {
        appendBytes(b.baseAddress.map { $0 + range.lowerBound }, count: range.count)
    }

    @inlinable @inline(__always)
    package mutating func appendBytes(_ b: UnsafeRawBufferPointer) {
        appendBytes(b.baseAddress, count: b.count)
    }

    @inlinable @inline(__always)
    package mutating func appendBytes(_ literal: StaticString) {
        appendBytes(literal.utf8Start, count: literal.utf8CodeUnitCount)
    }
}
