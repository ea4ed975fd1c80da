import CZlib

/// gzip through zlib, member after member (logrotate's `delaycompress` archives and
/// `cat a.gz b.gz` hold several). NUL padding after a member is skipped; any other byte
/// starts the next member, which must then be valid gzip.
final class GzipDecompressor: Decompressor {
    /// zlib checks that its stream has not moved, so it lives on the heap.
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private let block = UnsafeMutableRawBufferPointer.allocate(byteCount: GzipDecompressor.blockSize, alignment: 16)
    /// Compressed bytes consumed before the current chunk.
    private var consumed = 0
    private var inMember = false
    private var sawMember = false

    init() throws(DecompressionError) {
        stream.initialize(to: z_stream())
        // 15 + 16: the largest window, gzip wrapper only.
        guard inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            stream.deallocate()
            block.deallocate()
            throw DecompressionError(kind: .setup, format: .gzip, offset: 0)
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        block.deallocate()
    }

    func feed(_ input: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let base = input.baseAddress else { return }
        var position = 0
        var blockFull = false
        while position < input.count || blockFull {
            if !inMember {
                while sawMember, position < input.count, input[position] == 0 { position += 1 }
                guard position < input.count else { break }
                inMember = true
            }
            stream.pointee.next_in = UnsafeMutablePointer(mutating: (base + position).assumingMemoryBound(to: Bytef.self))
            stream.pointee.avail_in = uInt(min(input.count - position, Int(UInt32.max)))
            stream.pointee.next_out = block.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(block.count)
            let offered = Int(stream.pointee.avail_in)
            let status = inflate(stream, Z_NO_FLUSH)
            let used = offered - Int(stream.pointee.avail_in)
            let produced = block.count - Int(stream.pointee.avail_out)
            position += used
            blockFull = produced == block.count
            if produced > 0 { try body(UnsafeRawBufferPointer(rebasing: block[0..<produced])) }
            if status == Z_STREAM_END {
                inMember = false
                sawMember = true
                inflateReset(stream)
                continue
            }
            // Z_BUF_ERROR is "no progress possible": fine when the input is used up.
            guard status == Z_OK || status == Z_BUF_ERROR, used > 0 || produced > 0 || position == input.count else {
                let detail = stream.pointee.msg.map { String(cString: $0) }
                throw DecompressionError(kind: .corrupt, format: .gzip, offset: consumed + position, detail: detail)
            }
            if used == 0 && produced == 0 { break }
        }
        consumed += input.count
    }

    func finish(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        if inMember { throw DecompressionError(kind: .truncated, format: .gzip, offset: consumed) }
    }
}
