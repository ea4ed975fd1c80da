import Foundation
import Testing
@testable import MailScrubCore

/// `--emit events` on every line shape (golden), and the fail-closed property test run
/// through records and events modes too.
@Suite struct EventsAndPropertyTests {
    static let directory = TestSupport.goldenDirectory.appendingPathComponent("events")

    @Test func golden() throws {
        let input = try Array(Data(contentsOf: Self.directory.appendingPathComponent("shapes.log")))
        let output = TestSupport.run(input, mode: .events)
        if let problem = GoldenFile(url: Self.directory.appendingPathComponent("shapes.ndjson")).check(output) {
            Issue.record(Comment(rawValue: problem))
        }
    }

    /// One JSON object per input line, even for binary junk and a cut last line.
    @Test func oneValidObjectPerLine() throws {
        let input = try Array(Data(contentsOf: Self.directory.appendingPathComponent("shapes.log")))
        let output = TestSupport.run(input, mode: .events)
        let lines = output.split(separator: 0x0A)
        #expect(lines.count == input.split(separator: 0x0A, omittingEmptySubsequences: false).count)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
            #expect(object?["event"] is String)
        }
    }

    @Test(arguments: [Pipeline.Mode.records, .events], [21, 22, 23])
    func noPlantedValueSurvives(mode: Pipeline.Mode, seed: UInt64) throws {
        var g = FailClosedPropertyTests.Generator(state: seed)
        var input: [UInt8] = []
        var tokens: [(token: String, secrets: [String])] = []
        for _ in 0..<400 {
            let planted = FailClosedPropertyTests.makeLine(&g)
            input += planted.line + [0x0A]
            let text = String(decoding: planted.line, as: UTF8.self)
            tokens += planted.tokens.filter { text.contains($0.token) }
        }
        let output = TestSupport.run(input, mode: mode)
        let text = String(decoding: output, as: UTF8.self)
        var failures: [String] = []
        for (_, secrets) in tokens {
            for secret in secrets where text.contains(secret) { failures.append(secret) }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        for line in output.split(separator: 0x0A) {
            #expect((try? JSONSerialization.jsonObject(with: Data(line))) != nil)
        }
    }
}
