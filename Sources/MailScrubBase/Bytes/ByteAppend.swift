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
                copyBytes(to: UnsafeMutableRawPointer(buffer.baseAddress! + count), from: source, count: n)
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

/// Copies `n` bytes. Most copies in output are a few bytes to a few dozen; a call to
/// memmove costs more than the copy there (its size dispatch is not inlined), so up to
/// 32 bytes are moved as two overlapping loads and stores of the widest size that fits.
@inlinable @inline(__always)
package func copyBytes(to destination: UnsafeMutableRawPointer, from source: UnsafeRawPointer, count n: Int) {
    if n >= 16 {
        guard n <= 32 else { return destination.copyMemory(from: source, byteCount: n) }
        let head = source.loadUnaligned(as: SIMD16<UInt8>.self)
        let tail = source.loadUnaligned(fromByteOffset: n - 16, as: SIMD16<UInt8>.self)
        destination.storeBytes(of: head, as: SIMD16<UInt8>.self)
        destination.storeBytes(of: tail, toByteOffset: n - 16, as: SIMD16<UInt8>.self)
    } else if n >= 8 {
        let head = source.loadUnaligned(as: UInt64.self)
        let tail = source.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        destination.storeBytes(of: head, as: UInt64.self)
        destination.storeBytes(of: tail, toByteOffset: n - 8, as: UInt64.self)
    } else if n >= 4 {
        let head = source.loadUnaligned(as: UInt32.self)
        let tail = source.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
        destination.storeBytes(of: head, as: UInt32.self)
        destination.storeBytes(of: tail, toByteOffset: n - 4, as: UInt32.self)
    } else {
        for i in 0..<n { destination.storeBytes(of: source.load(fromByteOffset: i, as: UInt8.self), toByteOffset: i, as: UInt8.self) }
    }
}
