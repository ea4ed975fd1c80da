import CBzip2

/// bzip2 through libbz2, stream after stream (pbzip2 and `cat` make several). NUL
/// padding after a stream is skipped; any other byte starts the next stream.
final class Bzip2Decompressor: Decompressor {
    /// libbz2 checks that its stream has not moved, so it lives on the heap.
    private let stream = UnsafeMutablePointer<bz_stream>.allocate(capacity: 1)
    private let block = UnsafeMutableRawBufferPointer.allocate(byteCount: Bzip2Decompressor.blockSize, alignment: 16)
    private var consumed = 0
    /// True between `BZ2_bzDecompressInit` and the end of its stream.
    private var inStream = false
    private var sawStream = false

    init() throws(DecompressionError) {
        stream.initialize(to: bz_stream())
    }

    deinit {
        if inStream { BZ2_bzDecompressEnd(stream) }
        stream.deallocate()
        block.deallocate()
    }

    func feed(_ input: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let base = input.baseAddress else { return }
        var position = 0
        var blockFull = false
        while position < input.count || blockFull {
            if !inStream {
                while sawStream, position < input.count, input[position] == 0 { position += 1 }
                guard position < input.count else { break }
                stream.initialize(to: bz_stream())
                guard BZ2_bzDecompressInit(stream, 0, 0) == BZ_OK else {
                    throw DecompressionError(kind: .setup, format: .bzip2, offset: consumed + position)
                }
                inStream = true
            }
            stream.pointee.next_in = UnsafeMutablePointer(mutating: (base + position).assumingMemoryBound(to: CChar.self))
            stream.pointee.avail_in = UInt32(min(input.count - position, Int(UInt32.max)))
            stream.pointee.next_out = block.baseAddress!.assumingMemoryBound(to: CChar.self)
            stream.pointee.avail_out = UInt32(block.count)
            let offered = Int(stream.pointee.avail_in)
            let status = BZ2_bzDecompress(stream)
            let used = offered - Int(stream.pointee.avail_in)
            let produced = block.count - Int(stream.pointee.avail_out)
            position += used
            blockFull = produced == block.count
            if produced > 0 { try body(UnsafeRawBufferPointer(rebasing: block[0..<produced])) }
            if status == BZ_STREAM_END {
                BZ2_bzDecompressEnd(stream)
                inStream = false
                sawStream = true
                continue
            }
            guard status == BZ_OK, used > 0 || produced > 0 || position == input.count else {
                throw DecompressionError(kind: .corrupt, format: .bzip2, offset: consumed + position, detail: "libbz2 error \(status)")
            }
            if used == 0 && produced == 0 { break }
        }
        consumed += input.count
    }

    func finish(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        if inStream { throw DecompressionError(kind: .truncated, format: .bzip2, offset: consumed) }
    }
}
