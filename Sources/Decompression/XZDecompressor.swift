import CLZMA

/// xz through liblzma, stream after stream (and the NUL padding between them).
final class XZDecompressor: Decompressor {
    /// liblzma refuses to decompress what needs more (an `xz -9e` file needs 65 MiB).
    static let memoryLimit: UInt64 = 256 << 20

    private let stream = UnsafeMutablePointer<lzma_stream>.allocate(capacity: 1)
    private let block = UnsafeMutableRawBufferPointer.allocate(byteCount: XZDecompressor.blockSize, alignment: 16)

    init() throws(DecompressionError) {
        stream.initialize(to: lzma_stream())
        // 0x08 is LZMA_CONCATENATED, a macro Swift does not import.
        guard lzma_stream_decoder(stream, Self.memoryLimit, 0x08) == LZMA_OK else {
            stream.deallocate()
            block.deallocate()
            throw DecompressionError(kind: .setup, format: .xz, offset: 0)
        }
    }

    deinit {
        lzma_end(stream)
        stream.deallocate()
        block.deallocate()
    }

    func feed(_ input: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let base = input.baseAddress, !input.isEmpty else { return }
        stream.pointee.next_in = base.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_in = input.count
        try run(LZMA_RUN, body)
    }

    func finish(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        try run(LZMA_FINISH, body)
    }

    /// Decompresses until the input is used up (or, finishing, the last stream ends).
    private func run(_ action: lzma_action, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        while true {
            stream.pointee.next_out = block.baseAddress!.assumingMemoryBound(to: UInt8.self)
            stream.pointee.avail_out = block.count
            let status = lzma_code(stream, action)
            let produced = block.count - stream.pointee.avail_out
            if produced > 0 { try body(UnsafeRawBufferPointer(rebasing: block[0..<produced])) }
            switch status {
            case LZMA_OK:
                if stream.pointee.avail_in == 0 && produced < block.count && action == LZMA_RUN { return }
            case LZMA_STREAM_END:
                return
            case LZMA_BUF_ERROR where action == LZMA_FINISH:
                throw DecompressionError(kind: .truncated, format: .xz, offset: Int(stream.pointee.total_in))
            case LZMA_MEMLIMIT_ERROR:
                throw DecompressionError(
                    kind: .corrupt, format: .xz, offset: Int(stream.pointee.total_in),
                    detail: "needs more than \(Self.memoryLimit >> 20) MiB of memory")
            default:
                throw DecompressionError(kind: .corrupt, format: .xz, offset: Int(stream.pointee.total_in), detail: "liblzma error \(status.rawValue)")
            }
        }
    }
}
