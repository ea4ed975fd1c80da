import Testing
@testable import MailScrubCore
@testable import MailScrubParsing

@Suite struct LineSplitterTests {
    static let text = Array("first line\nsecond\n\nfourth, after an empty one\r\nlast without newline".utf8)

    static func split(_ input: [UInt8], chunk: Int, max: Int = 1 << 20) -> [(String, Bool, Bool)] {
        var splitter = LineSplitter(maxLineLength: max)
        var lines: [(String, Bool, Bool)] = []
        let record: (Line) -> Void = { lines.append((String(decoding: $0.bytes, as: UTF8.self), $0.truncated, $0.terminated)) }
        input.withUnsafeBytes { bytes in
            var i = 0
            while i < bytes.count {
                let end = Swift.min(bytes.count, i + chunk)
                splitter.append(UnsafeRawBufferPointer(rebasing: bytes[i..<end]), record)
                i = end
            }
        }
        splitter.finish(record)
        return lines
    }

    /// The standard library's split is the oracle, whatever the chunk size.
    @Test(arguments: [1, 2, 3, 5, 8, 13, 64, 4096])
    func chunkBoundaries(_ chunk: Int) {
        let lines = Self.split(Self.text, chunk: chunk)
        let oracle = Self.text.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        #expect(lines.map(\.0) == oracle)
        #expect(lines.map(\.2) == [true, true, true, true, false])
        #expect(lines.allSatisfy { !$0.1 })
    }

    @Test func emptyInputGivesNoLines() {
        #expect(Self.split([], chunk: 1).isEmpty)
    }

    @Test func finalNewlineGivesNoExtraLine() {
        #expect(Self.split(Array("a\nb\n".utf8), chunk: 1).map(\.0) == ["a", "b"])
    }

    /// Over-long lines are cut at the cap and marked, in one chunk or across many.
    @Test(arguments: [1, 3, 100])
    func overlongLinesAreTruncated(_ chunk: Int) {
        let input = Array("short\n0123456789abcdef\nok\n0123456789".utf8)
        let lines = Self.split(input, chunk: chunk, max: 8)
        #expect(lines.map(\.0) == ["short", "01234567", "ok", "01234567"])
        #expect(lines.map(\.1) == [false, true, false, true])
        #expect(lines.map(\.2) == [true, true, true, false])
    }

    @Test func capacityOfOneByte() {
        let lines = Self.split(Array("ab\n\nc".utf8), chunk: 2, max: 1)
        #expect(lines.map(\.0) == ["a", "", "c"])
        #expect(lines.map(\.1) == [true, false, false])
    }
}
