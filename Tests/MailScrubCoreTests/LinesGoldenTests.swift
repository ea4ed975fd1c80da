import Foundation
import Testing
@testable import MailScrubCore
@testable import MailScrubParsing

/// Golden pairs for `lines` mode: `Golden/lines/<case>.log` → `<case>.out`, with the
/// fixed test secret. `shapes.log` holds one line for each line shape of the Postfix
/// log-format reference (and the interleaved programs), composed for this project.
@Suite struct LinesGoldenTests {
    static let cases = ["shapes"]

    @Test(arguments: cases)
    func golden(_ name: String) throws {
        let dir = TestSupport.goldenDirectory.appendingPathComponent("lines")
        let input = try Array(Data(contentsOf: dir.appendingPathComponent("\(name).log")))
        let output = TestSupport.scrubLines(input)
        if let problem = GoldenFile(url: dir.appendingPathComponent("\(name).out")).check(output) {
            Issue.record(Comment(rawValue: problem))
        }
    }

    /// The same input in chunks of any size gives the same bytes.
    @Test(arguments: [1, 2, 3, 7, 64, 1000])
    func chunkSizeDoesNotMatter(_ chunkSize: Int) throws {
        let dir = TestSupport.goldenDirectory.appendingPathComponent("lines")
        let input = try Array(Data(contentsOf: dir.appendingPathComponent("shapes.log")))
        #expect(TestSupport.scrubLines(input, chunkSize: chunkSize) == TestSupport.scrubLines(input, chunkSize: 1 << 20))
    }

    /// Every address, local part, message-id, IP and header text in the fixture is gone.
    @Test func noRawValueSurvives() throws {
        let dir = TestSupport.goldenDirectory.appendingPathComponent("lines")
        let input = try Array(Data(contentsOf: dir.appendingPathComponent("shapes.log")))
        let output = String(decoding: TestSupport.scrubLines(input), as: UTF8.self)
        let secrets = [
            "carol.jones", "dave", "nobody.here", "spam.sender", "frank@", "<grace>", "heidi", "judy", "lena",
            "mallory", "nina", "oscar", "<root>", "www-data", "AB12CD", "7731955.1020", "2026-03-03 09:15:07.004211",
            "ab.cd@", "PGFiY0", "part1.example", "part2", "resent.77", "Quarterly", "Peter", "Quinn Q.", "quinn@",
            "Rachel <", "Sam, Jr.", "tina@", "uma@", "victor", "prev.1", "root.0", "cut.off", "Friends of Quinn",
            "friends.lists", "mail from me", "Cron <", "backup report", "Cron Daemon", "Walter", "contract",
            "YES", "quarantine", "Xavier", "yolanda", "zoe", "amy@", "bert", "cleo", "dan@", "\"fred\"", "fred@",
            "postmaster@", "gina", "hank", "iris", "jack", "kim@", "leo@", "mona", "ned@", "4TwNdH5zwCz7fxV@",
            "olga", "paul", "solaris.1", "rita", "sven", "debian-spamd@", "sarah", "<tom>", "ursula", "Vera",
            "wendy", "user+tag", "xena", "msg.9", "zora", "yann", "bin", "Ärger", "w4RyZ2Vy", "abc.1@",
            "198.51.100.23", "2001:db8:5::17", "192.0.2.237", "203.0.113.40", "192.0.2.99", "2001:db8::99",
            "198.51.100.45", "192.0.2.50", "192.0.2.51", "192.0.2.60", "2001:db8::60", "192.0.2.61", "127.0.0.1",
            "203.0.113.5", "2001:db8:1::25", "2001:db8:abcd::42", "198.51.100.7", "10.20.30.40", "192.0.2.88",
            "2001:db8::77", "192.0.2.200", "192.0.2.1", "198.51.100.99", "192.0.2.5",
            "Beatrix", "billing@", "chris@", "dora@", "egon@", "fiona@", "hugo@", "ines@", "jail@", "jonas@",
            "karl@", "lars@", "mia@", "nils@", "otto@", "Otto", "petra@", "score=12.1", "QmFzZTY0", "broken.example",
            "192.0.2.70", "203.0.113.60", "198.51.100.61",
        ]
        #expect(secrets.filter { output.contains($0) } == [])
    }

    /// Lines are never merged, dropped or reordered: same count, same syslog headers.
    @Test func lineStructureIsKept() throws {
        let dir = TestSupport.goldenDirectory.appendingPathComponent("lines")
        let input = try Array(Data(contentsOf: dir.appendingPathComponent("shapes.log")))
        let output = TestSupport.scrubLines(input)
        let inLines = input.split(separator: 0x0A, omittingEmptySubsequences: false)
        let outLines = output.split(separator: 0x0A, omittingEmptySubsequences: false)
        #expect(inLines.count == outLines.count)
        #expect(input.last != 0x0A && output.last != 0x0A, "a last line without newline stays without one")
        for (a, b) in zip(inLines, outLines) {
            #expect(Array(a.prefix(15)) == Array(b.prefix(15)))
        }
    }
}
