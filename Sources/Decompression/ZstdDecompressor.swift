import CZstd

/// Zstandard through libzstd, frame after frame. libzstd's default window limit
/// (128 MiB) bounds the memory a hostile frame header can ask for.
final class ZstdDecompressor: Decompressor {
    private let stream: OpaquePointer
    private let block = UnsafeMutableRawBufferPointer.allocate(byteCount: ZstdDecompressor.blockSize, alignment: 16)
    private var consumed = 0
    /// True while a frame has begun and not ended.
    private var inFrame = false

    init() throws(DecompressionError) {
        guard let stream = ZSTD_createDStream() else {
            block.deallocate()
            throw DecompressionError(kind: .setup, format: .zstd, offset: 0)
        }
        self.stream = stream
        ZSTD_initDStream(stream)
    }

    deinit {
        ZSTD_freeDStream(stream)
        block.deallocate()
    }

    func feed(_ input: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let base = input.baseAddress, !input.isEmpty else { return }
        var source = ZSTD_inBuffer(src: base, size: input.count, pos: 0)
        var blockFull = false
        while source.pos < source.size || blockFull {
            var target = ZSTD_outBuffer(dst: block.baseAddress, size: block.count, pos: 0)
            let hint = ZSTD_decompressStream(stream, &target, &source)
            if ZSTD_isError(hint) != 0 {
                throw DecompressionError(
                    kind: .corrupt, format: .zstd, offset: consumed + source.pos,
                    detail: String(cString: ZSTD_getErrorName(hint)))
            }
            inFrame = hint != 0
            blockFull = target.pos == target.size
            if target.pos > 0 { try body(UnsafeRawBufferPointer(rebasing: block[0..<target.pos])) }
        }
        consumed += input.count
    }

    func finish(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        if inFrame { throw DecompressionError(kind: .truncated, format: .zstd, offset: consumed) }
    }
}
