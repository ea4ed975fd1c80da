import Foundation
import Testing
@testable import MailScrubCore
@testable import MailScrubParsing

/// One log (`Golden/formats/traditional.log`, with a Latin-1 subject) written in every
/// format a Postfix host produces: the same records from each, and lines output that
/// passes `verify` from each.
@Suite struct InputFormatGoldenTests {
    static let directory = TestSupport.goldenDirectory.appendingPathComponent("formats")
    static let formats = [
        "traditional.log", "pri.log", "rfc5424.log", "short-full.log", "short-iso.log", "short-iso-precise.log",
        "short-precise.log", "iso-space.log", "short-unix.log", "maillog-file.log", "journal.json", "journal-seq.json",
        "journal-export.txt",
    ]

    static func input(_ name: String) throws -> [UInt8] {
        try Array(Data(contentsOf: directory.appendingPathComponent(name)))
    }

    @Test func theTraditionalFormGivesTheGoldenRecords() throws {
        let records = TestSupport.run(try Self.input("traditional.log"), mode: .records)
        if let problem = GoldenFile(url: Self.directory.appendingPathComponent("records.ndjson")).check(records) {
            Issue.record(Comment(rawValue: problem))
        }
    }

    @Test(arguments: formats)
    func everyFormatGivesTheSameRecordsAndEvents(name: String) throws {
        let traditional = try Self.input("traditional.log")
        let input = try Self.input(name)
        for mode in [Pipeline.Mode.records, .events] {
            // Fed in small chunks: an entry split between reads must not matter.
            let expected = TestSupport.run(traditional, mode: mode)
            let actual = TestSupport.run(input, mode: mode, chunkSize: 97)
            #expect(actual == expected, "\(name), \(mode)")
        }
    }

    @Test(arguments: formats)
    func linesOutputOfEveryFormatPassesVerifyAndHidesTheAddresses(name: String) throws {
        let out = TestSupport.run(try Self.input(name), mode: .lines)
        var findings: [OutputVerifier.Finding] = []
        let verifier = OutputVerifier(hashBytes: 16)
        for (n, line) in out.split(separator: 0x0A).enumerated() {
            line.withUnsafeBytes { verifier.check($0, lineNumber: n + 1, into: &findings) }
        }
        #expect(findings.isEmpty, "\(name): \(findings.prefix(3))")
        let text = String(decoding: out, as: UTF8.self)
        for raw in ["quinn", "rachel", "@example.net", "198.51.100.23", "Gr\u{FFFD}"] {
            #expect(!text.contains(raw), "\(name) keeps \(raw)")
        }
    }

    @Test func journalEntriesComeBackAsJournalEntriesWithKnownFieldsOnly() throws {
        let out = TestSupport.run(try Self.input("journal.json"), mode: .lines)
        if let problem = GoldenFile(url: Self.directory.appendingPathComponent("journal.lines.json")).check(out) {
            Issue.record(Comment(rawValue: problem))
        }
        let lines = out.split(separator: 0x0A)
        #expect(lines.count == 68)
        let known: Set<String> = ["__REALTIME_TIMESTAMP", "_HOSTNAME", "SYSLOG_IDENTIFIER", "_PID", "PRIORITY", "SYSLOG_FACILITY", "MESSAGE"]
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            #expect(Set(object.keys).isSubset(of: known), "\(object.keys)")
            // The Latin-1 subject was a byte array: it comes back as a (scrubbed) string.
            #expect(object["MESSAGE"] is String)
        }
    }

    @Test func journalLinesThatAreNotJSONAreScrubbedAsText() throws {
        let input = Array("{\"MESSAGE\":\"x\"}\nMar  3 09:15:02 mx1 postfix/smtpd[1]: NOQUEUE: reject: RCPT from a[192.0.2.1]: 550 <ann@example.org>: no\n{broken <bob@example.org>\n".utf8)
        let out = String(decoding: TestSupport.run(input, mode: .lines), as: UTF8.self)
        #expect(!out.contains("ann@") && !out.contains("bob@") && !out.contains("192.0.2.1"))
        #expect(out.hasPrefix("{\"__REALTIME_TIMESTAMP\":null,\"MESSAGE\":\"x\"}\nMar  3 09:15:02 mx1 postfix/smtpd[1]: NOQUEUE"))
    }

    @Test func anIdentifierNoSyslogTagCanHoldIsLeftOutNotGuessedFromTheMessage() {
        let input = Array(#"{"SYSLOG_IDENTIFIER":"odd name","_HOSTNAME":"mx 1","MESSAGE":"foo: bar <ann@example.org>"}"#.utf8)
        let out = String(decoding: TestSupport.run(input, mode: .lines), as: UTF8.self)
        #expect(out.hasPrefix(#"{"__REALTIME_TIMESTAMP":null,"MESSAGE":"foo: bar <"#) && !out.contains("ann@"))
    }

    @Test func exportEntriesComeBackAsExportEntriesWithKnownFieldsOnly() throws {
        let out = TestSupport.run(try Self.input("journal-export.txt"), mode: .lines)
        if let problem = GoldenFile(url: Self.directory.appendingPathComponent("journal-export.lines.txt")).check(out) {
            Issue.record(Comment(rawValue: problem))
        }
        let text = String(decoding: out, as: UTF8.self)
        #expect(!text.contains("__CURSOR") && !text.contains("_BOOT_ID") && !text.contains("SYSLOG_TIMESTAMP"))
        // Written back, it reads as entries again: as many records, each as delivered.
        func statuses(_ records: [UInt8]) -> [Substring] {
            String(decoding: records, as: UTF8.self).split(separator: "\n").map { $0.split(separator: "\"status\":").last!.prefix(10) }
        }
        #expect(statuses(TestSupport.run(out, mode: .records)) == statuses(TestSupport.run(try Self.input("traditional.log"), mode: .records)))
    }

    @Test func exportValuesInBinaryFormEntriesCutShortAndTextAfterAnEntry() {
        var input = Array("__CURSOR=s=1\n__REALTIME_TIMESTAMP=1772529302000000\nSYSLOG_IDENTIFIER=postfix/cleanup\nMESSAGE\n".utf8)
        let message = Array("3F2A81C0D4: warning: header Subject: two\nlines from a[192.0.2.1]; from=<ann@example.org> to=<bob@example.org>".utf8)
        for k in 0..<8 { input.append(UInt8(truncatingIfNeeded: UInt64(message.count) >> (8 * UInt64(k)))) }
        input += message + Array("\n\nMay 20 22:16:40 mx1 postfix/qmgr[9]: 3F2A81C0D4: removed\n".utf8)
        input += Array("__CURSOR=s=2\nSYSLOG_IDENTIFIER=postfix/smtpd\nMESSAGE=NOQUEUE: reject: RCPT from a[192.0.2.9]: 550 <carl@example.org>: no".utf8)
        let out = String(decoding: TestSupport.run(input, mode: .lines), as: UTF8.self)
        for raw in ["ann@", "bob@", "carl@", "192.0.2", "two"] { #expect(!out.contains(raw), "\(raw): \(out)") }
        #expect(out.contains("May 20 22:16:40 mx1 postfix/qmgr[9]: 3F2A81C0D4: removed\n"))
        // The cut entry at the end of the input is written all the same.
        #expect(out.hasSuffix("SYSLOG_IDENTIFIER=postfix/smtpd\nMESSAGE=NOQUEUE: reject: RCPT from a[\(out.split(separator: "[").last!.prefix(32))]: 550 <" + out.split(separator: "<").last!))
    }
}
