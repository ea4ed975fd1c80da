import Foundation
import Testing
@testable import MailScrubCore
@testable import MailScrubParsing

/// The pieces behind the input formats: syslog header variants, their timestamps, and
/// journald entries, each on the shapes its writer produces and on broken ones.
/// A parsed syslog header as text, for comparing.
struct ParsedHeader: Equatable {
    var stamp: String?
    var host: String?
    var program: String?
    var pid: String?
    var message: String
    var format: SyslogHeader.Format
}

@Suite struct InputFormatTests {
    typealias Parsed = ParsedHeader

    static func parse(_ line: String) -> Parsed {
        let bytes = Array(line.utf8)
        return bytes.withUnsafeBytes { b in
            let h = SyslogHeader.parse(b)
            func text(_ r: Range<Int>?) -> String? { r.map { String(decoding: b[$0], as: UTF8.self) } }
            return Parsed(stamp: text(h.timestamp), host: text(h.host), program: text(h.program), pid: text(h.pid),
                          message: String(decoding: b[h.messageStart...], as: UTF8.self), format: h.format)
        }
    }

    @Test func rfc5424FieldsStructuredDataAndByteOrderMark() {
        #expect(Self.parse("<22>1 2026-05-20T22:16:40.123+00:00 mx1 postfix/smtp 2104 - - 3F2A81C0D4: removed")
            == Parsed(stamp: "2026-05-20T22:16:40.123+00:00", host: "mx1", program: "postfix/smtp", pid: "2104",
                      message: "3F2A81C0D4: removed", format: .rfc5424))
        // Structured data may hold `\"`, `\]` and spaces inside its quoted values.
        let sd = Self.parse(#"<22>1 2026-05-20T22:16:40Z mx1 postfix/qmgr 9 ID47 [a x="1 \] \"y\""][b] \#u{FEFF}3F2A81C0D4: removed"#)
        #expect(sd.message == "3F2A81C0D4: removed" && sd.pid == "9")
        // Nil fields are `-`; a process id that is not a number is no pid.
        let nils = Self.parse("<13>1 - - postfix/qmgr worker - - hello")
        #expect(nils == Parsed(stamp: nil, host: nil, program: "postfix/qmgr", pid: nil, message: "hello", format: .rfc5424))
        // Not RFC 5424 after all: another version, or unterminated structured data.
        #expect(Self.parse("<22>2 2026-05-20T22:16:40Z mx1 a 1 - - m").format != .rfc5424)
        #expect(Self.parse("<22>1 2026-05-20T22:16:40Z mx1 a 1 - [x y=\"z] m").format != .rfc5424)
    }

    @Test func journalctlTextFormatsAndSpaceSeparatedISO() {
        let cases: [(String, String, SyslogHeader.Format)] = [
            ("Wed 2026-05-20 22:16:40 UTC mx1 postfix/qmgr[9]: m", "Wed 2026-05-20 22:16:40 UTC", .shortFull),
            ("Wed 2026-05-20 22:16:40 mx1 postfix/qmgr[9]: m", "Wed 2026-05-20 22:16:40", .shortFull),
            ("2026-05-20T22:16:40+0000 mx1 postfix/qmgr[9]: m", "2026-05-20T22:16:40+0000", .iso),
            ("2026-05-20 22:16:40 mx1 postfix/qmgr[9]: m", "2026-05-20 22:16:40", .iso),
            ("2026-05-20 22:16:40.5+02:00 mx1 postfix/qmgr[9]: m", "2026-05-20 22:16:40.5+02:00", .iso),
            ("1779315400.123456 mx1 postfix/qmgr[9]: m", "1779315400.123456", .unix),
            ("May 20 22:16:40.123456 mx1 postfix/qmgr[9]: m", "May 20 22:16:40.123456", .bsd),
        ]
        for (line, stamp, format) in cases {
            let parsed = Self.parse(line)
            #expect(parsed.stamp == stamp && parsed.format == format && parsed.host == "mx1" && parsed.message == "m", "\(line)")
        }
        // A queue id of digits is no Unix time.
        #expect(Self.parse("2298F5F619: to=<a@b>").format == .none)
    }

    @Test func formatIndexesFollowAllCases() {
        #expect(SyslogHeader.Format.allCases.enumerated().allSatisfy { $0.offset == $0.element.index })
    }

    @Test func shortFullZoneWordsAndOffsets() {
        var clock = SyslogClock(fixedYear: nil, anchorYear: 2026, anchorMonth: 6, zoneOffset: { _ in 7200 })
        #expect(TimeTests.stamp(&clock, "Wed 2026-05-20 22:16:40 UTC") == "2026-05-20T22:16:40Z")
        #expect(TimeTests.stamp(&clock, "Wed 2026-05-20 22:16:40 +03") == "2026-05-20T19:16:40Z")
        // Any other zone word is the configured zone (here +02:00).
        #expect(TimeTests.stamp(&clock, "Wed 2026-05-20 22:16:40 CEST") == "2026-05-20T20:16:40Z")
        #expect(TimeTests.stamp(&clock, "2026-05-20 22:16:40") == "2026-05-20T20:16:40Z")
        #expect(TimeTests.stamp(&clock, "1779315400.000001") == "2026-05-20T22:16:40.000001Z")
        // A zero fraction is no fraction: the same instant reads the same from every format.
        #expect(TimeTests.stamp(&clock, "2026-05-20T22:16:40.000000+0000") == "2026-05-20T22:16:40Z")
    }

    static func entry(_ json: String) -> JournalEntry? {
        var entry = JournalEntry()
        let ok = Array(json.utf8).withUnsafeBytes { entry.parse($0) }
        return ok ? entry : nil
    }

    @Test func journalEntriesKeepTheFieldsMailscrubReadsAndNothingElse() throws {
        let e = try #require(Self.entry(#"\#u{1E}{"__CURSOR":"s=1","MESSAGE":"a \"b\" \u00e9","_HOSTNAME":"mx1","#
            + #""__REALTIME_TIMESTAMP":"1779315400123456","_COMM":"qmgr","_PID":"9","PRIORITY":"6","X":{"y":["}"]}}"#))
        #expect(String(decoding: e.message, as: UTF8.self) == "a \"b\" é")
        #expect(e.realtime == 1_779_315_400_123_456 && e.hostname == Array("mx1".utf8))
        // Without SYSLOG_IDENTIFIER and SYSLOG_PID: the command name and process id.
        #expect(e.identifier == Array("qmgr".utf8) && e.pid == Array("9".utf8) && e.priority == Array("6".utf8))
    }

    @Test func journalByteArraysAndRepeatedFields() throws {
        // Not UTF-8 (Latin-1 "Grüße"): journald writes the bytes as numbers.
        let bytes = try #require(Self.entry(#"{"MESSAGE":[71,114,252,223,101],"SYSLOG_IDENTIFIER":["postfix/smtp","x"]}"#))
        #expect(bytes.message == [71, 114, 252, 223, 101] && bytes.hasMessage)
        #expect(bytes.identifier == Array("postfix/smtp".utf8))
        // A field logged twice with a binary value: arrays of arrays, the first kept.
        let nested = try #require(Self.entry(#"{"MESSAGE":[[104,105],[0,1]]}"#))
        #expect(nested.message == [104, 105])
        // A pid that is not a number, a time that is not one, are left out.
        let odd = try #require(Self.entry(#"{"_PID":"12a","__REALTIME_TIMESTAMP":"soon","MESSAGE":null}"#))
        #expect(odd.pid.isEmpty && odd.realtime == nil && odd.message.isEmpty)
    }

    @Test func brokenJSONIsNotAnEntry() {
        for text in [#"{"MESSAGE" "x"}"#, #"{"MESSAGE":[1,300]}"#, "not json", #"{"MESSAGE":"x",}x"#, #"{"MESSAGE":"x"} y"#, "", "{"] {
            #expect(Self.entry(text) == nil, "\(text)")
        }
    }

    @Test func entriesCutShortOrAfterNULsAreStillEntries() throws {
        // A full disk cuts an entry: the fields read so far, the last string up to the cut.
        let cut = try #require(Self.entry(#"{"SYSLOG_IDENTIFIER":"postfix/smtpd","MESSAGE":"7D93B10A22: client=a[192.0.2.1], sasl_username=\"ann "#))
        #expect(String(decoding: cut.message, as: UTF8.self) == #"7D93B10A22: client=a[192.0.2.1], sasl_username="ann "#)
        // A crash leaves junk and NULs before the next entry.
        let damaged = try #require(Self.entry("\u{7}junk\0\0\0" + #"{"MESSAGE":"hello","_PID":"7"}"#))
        #expect(damaged.message == Array("hello".utf8) && damaged.pid == Array("7".utf8))
    }
}
