import Decompression
import Foundation
import Testing

/// The decompressors against archives made by the gzip, xz, zstd and bzip2 tools
/// (in `Fixtures/`, each of `sample.log`; `big.log.*` hold it 400 times, 2 MB).
@Suite struct DecompressionTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func fixture(_ name: String) throws -> [UInt8] {
        try Array(Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    /// Decompresses `bytes` fed in pieces of `chunk` bytes.
    static func decompress(_ bytes: [UInt8], chunk: Int = 1 << 20) throws -> [UInt8] {
        let format = try #require(bytes.withUnsafeBytes { Compression.detect(UnsafeRawBufferPointer(rebasing: $0.prefix(Compression.magicLength))) })
        let decompressor = try format.decompressor()
        var out: [UInt8] = []
        try bytes.withUnsafeBytes { all in
            var start = 0
            while start < all.count {
                let end = min(all.count, start + chunk)
                try decompressor.feed(UnsafeRawBufferPointer(rebasing: all[start..<end])) { out.append(contentsOf: $0) }
                start = end
            }
            try decompressor.finish { out.append(contentsOf: $0) }
        }
        return out
    }

    @Test(arguments: ["gz", "xz", "zst", "bz2"])
    func eachFormatGivesBackTheLogWhateverTheChunkSize(suffix: String) throws {
        let plain = try Self.fixture("sample.log")
        let archive = try Self.fixture("sample.log.\(suffix)")
        for chunk in [1, 7, 4096, 1 << 20] {
            #expect(try Self.decompress(archive, chunk: chunk) == plain, "chunk \(chunk)")
        }
    }

    @Test(arguments: ["gz", "xz", "zst", "bz2"])
    func outputLargerThanOneBlockComesOutWhole(suffix: String) throws {
        let plain = try Self.fixture("sample.log")
        let out = try Self.decompress(try Self.fixture("big.log.\(suffix)"), chunk: 1000)
        #expect(out.count == plain.count * 400)
        #expect(out.suffix(plain.count).elementsEqual(plain))
    }

    @Test func gzipMembersAreReadOneAfterTheOtherAndNULPaddingIsSkipped() throws {
        let plain = try Self.fixture("sample.log")
        let two = try Self.fixture("two-members.log.gz")
        #expect(try Self.decompress(two) == plain)
        #expect(try Self.decompress(two + [UInt8](repeating: 0, count: 512)) == plain)
        let twice = try Self.fixture("sample.log.gz") + Self.fixture("sample.log.gz")
        #expect(try Self.decompress(twice, chunk: 100) == plain + plain)
    }

    @Test(arguments: ["gz", "xz", "zst", "bz2"])
    func everyCutArchiveIsAnErrorNeverAShortSuccess(suffix: String) throws {
        let archive = try Self.fixture("sample.log.\(suffix)")
        for length in stride(from: Compression.magicLength, to: archive.count, by: 37) {
            #expect(throws: DecompressionError.self, "cut at \(length)") {
                _ = try Self.decompress(Array(archive.prefix(length)))
            }
        }
    }

    @Test func aCutArchiveSaysWhereItEnded() throws {
        let archive = try Self.fixture("sample.log.gz")
        do {
            _ = try Self.decompress(Array(archive.prefix(700)))
            Issue.record("a cut archive decompressed without error")
        } catch let error as DecompressionError {
            #expect(error.kind == .truncated && error.offset == 700)
            #expect(error.description == "truncated gzip data: it ends at byte 700 inside a compressed member")
        }
    }

    @Test func garbageAfterAGzipMemberIsCorruptData() throws {
        let archive = try Self.fixture("sample.log.gz") + Array("not gzip".utf8)
        #expect(throws: DecompressionError.self) { _ = try Self.decompress(archive) }
    }

    @Test func detectionGoesByMagicBytesOnly() {
        func detect(_ bytes: [UInt8]) -> Compression? { bytes.withUnsafeBytes { Compression.detect($0) } }
        #expect(detect([0x1F, 0x8B, 0x08, 0, 0, 0]) == .gzip)
        #expect(detect([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) == .xz)
        #expect(detect([0x28, 0xB5, 0x2F, 0xFD, 0, 0]) == .zstd)
        #expect(detect(Array("BZh91AY".utf8)) == .bzip2)
        #expect(detect(Array("BZh a log line".utf8)) == nil)
        #expect(detect(Array("May 20 22:16:40 mx1 postfix/smtpd[1]: connect".utf8)) == nil)
        #expect(detect([0x1F]) == nil)
        #expect(detect([]) == nil)
    }
}
