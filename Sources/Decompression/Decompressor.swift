/// Turns a compressed stream, fed in chunks of any size, into its decompressed bytes.
///
/// Memory is bounded whatever the input: each call hands out what it decompressed in
/// blocks of at most `Decompressor.blockSize` bytes. Concatenated members or streams
/// (`cat a.gz b.gz`, pbzip2, `xz` multi-stream) are read one after the other.
public protocol Decompressor: AnyObject {
    /// Decompresses `input`, calling `body` with each block of output.
    func feed(_ input: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws
    /// Ends the input: throws `DecompressionError` when it stopped inside a member.
    func finish(_ body: (UnsafeRawBufferPointer) throws -> Void) throws
}

extension Decompressor {
    /// Output block size of every decompressor.
    public static var blockSize: Int { 256 * 1024 }
}

/// Why a compressed input could not be read, and where.
public struct DecompressionError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        /// The library could not set up (out of memory).
        case setup
        /// The data is not valid for the format.
        case corrupt
        /// The input ended inside a member or stream.
        case truncated
    }

    public var kind: Kind
    public var format: Compression
    /// Offset into the compressed input where the problem showed.
    public var offset: Int
    /// The library's own words, when it gave any.
    public var detail: String?

    public var description: String {
        let what: String
        switch kind {
        case .setup: what = "cannot start the \(format.rawValue) decompressor"
        case .corrupt: what = "corrupt \(format.rawValue) data at byte \(offset)"
        case .truncated: what = "truncated \(format.rawValue) data: it ends at byte \(offset) inside a compressed member"
        }
        return detail.map { "\(what) (\($0))" } ?? what
    }
}
