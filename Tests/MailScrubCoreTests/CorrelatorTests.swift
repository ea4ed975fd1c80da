import Testing
@testable import MailScrubCore
@testable import MailScrubCorrelation
@testable import MailScrubParsing

@Suite struct CorrelatorTests {
    static func feed(_ correlator: inout Correlator, _ lines: [String], clock: inout SyslogClock) -> [UInt8] {
        var out: [UInt8] = []
        var records = RecordBatch()
        var encoder = RecordEncoder()
        let p = TestSupport.pseudonymizer()
        for line in lines {
            let bytes = Array(line.utf8)
            bytes.withUnsafeBytes { b in
                let event = EventParser.parse(b)
                let time = event.header.timestamp.flatMap { clock.time(b, $0) }
                records.removeAll()
                correlator.process(b, event, time: time, into: &records)
                for record in records.records { encoder.encode(record, of: records, with: p, into: &out) }
            }
        }
        return out
    }

    /// Messages never removed are forgotten after max_age of log time.
    @Test func idleMessagesAreEvictedByAge() {
        var correlator = Correlator(options: Correlator.Options(maxAge: 3600))
        var clock = TestSupport.clock(year: 2026)
        var lines = (0..<100).map { "Mar  3 09:00:00 mx postfix/qmgr[1]: \(String(0x10000 + $0, radix: 16, uppercase: true))A: from=<a@example.org>, size=1, nrcpt=1 (queue active)" }
        // Enough later lines to trigger a sweep.
        lines += (0..<5000).map { _ in "Mar  3 11:00:00 mx postfix/smtpd[1]: connect from unknown[192.0.2.1]" }
        _ = Self.feed(&correlator, lines, clock: &clock)
        #expect(correlator.openMessages == 0)
        #expect(correlator.evicted == 100)
    }

    /// The number of open messages stays under the cap however many never end.
    @Test func openMessagesAreCapped() {
        var correlator = Correlator(options: Correlator.Options(maxOpenMessages: 1000))
        var clock = TestSupport.clock(year: 2026)
        var peak = 0
        for batch in 0..<10 {
            let lines = (0..<2000).map { i in
                "Mar  3 09:00:00 mx postfix/qmgr[1]: \(String(0x100000 + batch * 2000 + i, radix: 16, uppercase: true)): from=<a@example.org>, size=1, nrcpt=1 (queue active)"
            }
            _ = Self.feed(&correlator, lines, clock: &clock)
            peak = max(peak, correlator.openMessages)
        }
        #expect(peak == 1000)
        #expect(correlator.evicted == 19_000)
    }

    /// At the cap, the message seen least recently goes, not the one opened first: a
    /// message still being logged survives a flood of new queue ids.
    @Test func capEvictsTheLeastRecentlySeen() {
        var correlator = Correlator(options: Correlator.Options(maxOpenMessages: 1000))
        var clock = TestSupport.clock(year: 2026)
        func qid(_ n: Int) -> String { String(0x100000 + n, radix: 16, uppercase: true) }
        _ = Self.feed(&correlator, ["Mar  3 09:00:00 mx postfix/qmgr[1]: 1A2B3C4D5E: from=<keep@example.org>, size=1, nrcpt=1 (queue active)"], clock: &clock)
        for n in 0..<5000 {
            var lines = ["Mar  3 09:00:01 mx postfix/smtpd[1]: \(qid(n)): client=unknown[192.0.2.1]"]
            if n % 500 == 0 { lines.append("Mar  3 09:00:01 mx postfix/cleanup[1]: 1A2B3C4D5E: message-id=<m@x>") }
            _ = Self.feed(&correlator, lines, clock: &clock)
        }
        let out = Self.feed(&correlator, [
            "Mar  3 09:00:02 mx postfix/smtp[1]: 1A2B3C4D5E: to=<r@example.net>, relay=none, delay=1, status=sent (ok)",
        ], clock: &clock)
        let record = String(decoding: out, as: UTF8.self)
        #expect(correlator.openMessages == 1000)
        // The sender and message-id survived 5000 newer queue ids.
        #expect(record.contains(#""message_id":""#) && !record.contains(#""sender":null"#))
    }

    /// `removed` ends a message: a reused queue id starts afresh.
    @Test func removedEndsAMessageAndIdsAreReused() throws {
        var correlator = Correlator()
        var clock = TestSupport.clock(year: 2026)
        let out = Self.feed(&correlator, [
            "Mar  3 09:00:00 mx postfix/qmgr[1]: 4104E3D: from=<a@example.org>, size=10, nrcpt=1 (queue active)",
            "Mar  3 09:00:01 mx postfix/smtp[2]: 4104E3D: to=<b@example.net>, relay=none, delay=1, delays=0/0/1/0, dsn=4.4.1, status=deferred (x)",
            "Mar  3 09:00:02 mx postfix/qmgr[1]: 4104E3D: removed",
            "Mar  3 10:00:00 mx postfix/smtpd[3]: 4104E3D: client=unknown[192.0.2.1]",
            "Mar  3 10:00:01 mx postfix/qmgr[1]: 4104E3D: from=<c@example.org>, size=20, nrcpt=1 (queue active)",
            "Mar  3 10:00:02 mx postfix/smtp[2]: 4104E3D: to=<d@example.net>, relay=none, delay=1, delays=0/0/1/0, dsn=4.4.1, status=deferred (x)",
        ], clock: &clock)
        let text = String(decoding: out, as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[1].contains("\"message_size\":20") && lines[1].contains("\"first_seen_at\":\"2026-03-03T10:00:00Z\""))
        #expect(correlator.openMessages == 1)
    }

    /// Junk naming a new syslog host on every line does not grow the host table without
    /// bound, and messages of hosts past its capacity still correlate, each apart from
    /// the same queue id on another host.
    @Test func hostTableStaysBoundedAndHostsStayApart() {
        var correlator = Correlator()
        var clock = TestSupport.clock(year: 2026)
        let many = HostTable.capacity + 3000
        _ = Self.feed(&correlator, (0..<many).map { "Mar  3 09:00:00 h\($0) postfix/smtpd[1]: 4104E3D: client=unknown[192.0.2.1]" },
                      clock: &clock)
        #expect(correlator.hostCount == HostTable.capacity)
        let out = Self.feed(&correlator, [
            "Mar  3 09:00:01 h\(many - 1) postfix/qmgr[1]: 4104E3D: from=<a@example.org>, size=11, nrcpt=1 (queue active)",
            "Mar  3 09:00:01 h\(many - 2) postfix/qmgr[1]: 4104E3D: from=<b@example.org>, size=22, nrcpt=1 (queue active)",
            "Mar  3 09:00:02 h\(many - 1) postfix/smtp[2]: 4104E3D: to=<c@example.net>, relay=none, delay=1, status=sent (ok)",
            "Mar  3 09:00:02 h\(many - 2) postfix/smtp[2]: 4104E3D: to=<d@example.net>, relay=none, delay=1, status=sent (ok)",
        ], clock: &clock)
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.contains("\"message_size\":11") == true)
        #expect(lines.last?.contains("\"message_size\":22") == true)
    }
}
