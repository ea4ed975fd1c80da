/// A compressed format mailscrub reads, recognized by its magic bytes (never by a
/// file name: logrotate, `cat` and pipes lose or change names).
public enum Compression: String, CaseIterable, Sendable {
    case gzip, xz, zstd, bzip2

    /// Bytes needed to tell the formats apart.
    public static let magicLength = 6

    /// The format whose magic `prefix` starts with, or nil for anything else (text).
    /// `prefix` holds the first `magicLength` bytes, or fewer when the input is shorter.
    public static func detect(_ prefix: UnsafeRawBufferPointer) -> Compression? {
        func starts(_ magic: [UInt8]) -> Bool {
            prefix.count >= magic.count && zip(prefix, magic).allSatisfy { $0 == $1 }
        }
        if starts([0x1F, 0x8B]) { return .gzip }
        if starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .xz }
        if starts([0x28, 0xB5, 0x2F, 0xFD]) { return .zstd }
        // `BZh` and the block size digit 1-9.
        if starts([0x42, 0x5A, 0x68]), prefix.count >= 4, (0x31...0x39).contains(prefix[3]) { return .bzip2 }
        return nil
    }

    /// A new streaming decompressor for this format.
    public func decompressor() throws(DecompressionError) -> Decompressor {
        switch self {
        case .gzip: try GzipDecompressor()
        case .xz: try XZDecompressor()
        case .zstd: try ZstdDecompressor()
        case .bzip2: try Bzip2Decompressor()
        }
    }
}
