import Testing
@testable import MailScrubCore
@testable import MailScrubParsing

@Suite struct TimeTests {
    static func stamp(_ clock: inout SyslogClock, _ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard let time = bytes.withUnsafeBytes({ clock.time($0, 0..<$0.count) }) else { return nil }
        var out: [UInt8] = []
        time.appendRFC3339(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func futureMonthsBelongToLastYear() {
        var clock = SyslogClock(fixedYear: nil, anchorYear: 2026, anchorMonth: 3, zoneOffset: { _ in 0 })
        #expect(Self.stamp(&clock, "Dec 20 10:00:00") == "2025-12-20T10:00:00Z")
        var current = SyslogClock(fixedYear: nil, anchorYear: 2026, anchorMonth: 3, zoneOffset: { _ in 0 })
        #expect(Self.stamp(&current, "Mar  3 10:00:00") == "2026-03-03T10:00:00Z")
    }

    @Test func crossingNewYearStepsForward() {
        var clock = SyslogClock(fixedYear: 2025, anchorYear: 2026, anchorMonth: 6, zoneOffset: { _ in 0 })
        #expect(Self.stamp(&clock, "Dec 31 23:59:59") == "2025-12-31T23:59:59Z")
        #expect(Self.stamp(&clock, "Jan  1 00:00:01") == "2026-01-01T00:00:01Z")
        #expect(Self.stamp(&clock, "Jan 01 00:00:02") == "2026-01-01T00:00:02Z")
    }

    @Test func reanchoringPerFile() {
        var clock = SyslogClock(fixedYear: nil, anchorYear: 2026, anchorMonth: 11, zoneOffset: { _ in 0 })
        #expect(Self.stamp(&clock, "Nov 20 10:00:00") == "2026-11-20T10:00:00Z")
        // A rotated file last written in January 2026 holds December 2025.
        clock.reanchor(year: 2026, month: 1)
        #expect(Self.stamp(&clock, "Dec 28 10:00:00") == "2025-12-28T10:00:00Z")
    }

    /// A stamp read again is not parsed again; its instant must still follow a new
    /// anchor or carry, and a year crossing between two reads of one stamp.
    @Test func repeatedStampsGiveTheirOwnInstant() {
        var clock = SyslogClock(fixedYear: nil, anchorYear: 2026, anchorMonth: 12, zoneOffset: { _ in 0 })
        #expect(Self.stamp(&clock, "Dec 28 10:00:00") == "2026-12-28T10:00:00Z")
        #expect(Self.stamp(&clock, "Dec 28 10:00:00") == "2026-12-28T10:00:00Z")
        clock.reanchor(year: 2027, month: 1)
        #expect(Self.stamp(&clock, "Dec 28 10:00:00") == "2026-12-28T10:00:00Z")
        #expect(Self.stamp(&clock, "Jan  2 10:00:00") == "2027-01-02T10:00:00Z")
        clock.carry = SyslogClock.Carry()
        clock.reanchor(year: 2030, month: 12)
        #expect(Self.stamp(&clock, "Jan  2 10:00:00") == "2030-01-02T10:00:00Z")
        #expect(Self.stamp(&clock, "Jan  2 10:00:00") == "2030-01-02T10:00:00Z")
        // Longer than what the cache holds: read each time.
        #expect(Self.stamp(&clock, "2026-01-08T19:42:12.572958+00:00") == "2026-01-08T19:42:12.572958Z")
        #expect(Self.stamp(&clock, "2026-01-08T19:42:12.572958+00:00") == "2026-01-08T19:42:12.572958Z")
    }

    @Test func zoneOffsetAppliesToTraditionalStamps() {
        var clock = SyslogClock(fixedYear: 2026, anchorYear: 2026, anchorMonth: 12, zoneOffset: { _ in 3600 })
        #expect(Self.stamp(&clock, "Mar  3 10:00:00") == "2026-03-03T09:00:00Z")
    }

    @Test func rfc3339FormsAreUsedAsWritten() {
        var clock = SyslogClock(fixedYear: 1999, anchorYear: 1999, anchorMonth: 1, zoneOffset: { _ in 7200 })
        #expect(Self.stamp(&clock, "2026-01-08T19:42:12.572958+00:00") == "2026-01-08T19:42:12.572958Z")
        #expect(Self.stamp(&clock, "2026-01-08T19:42:12+0100") == "2026-01-08T18:42:12Z")
        #expect(Self.stamp(&clock, "2026-01-08T19:42:12.5-05:30") == "2026-01-09T01:12:12.500000Z")
        #expect(Self.stamp(&clock, "2026-01-08T19:42:12Z") == "2026-01-08T19:42:12Z")
        // No offset: local time in the configured zone.
        #expect(Self.stamp(&clock, "2026-01-08T19:42:12") == "2026-01-08T17:42:12Z")
    }

    @Test func badStampsAreNil() {
        var clock = SyslogClock(fixedYear: 2026, anchorYear: 2026, anchorMonth: 1, zoneOffset: { _ in 0 })
        for text in ["Foo  3 10:00:00", "Mar 3 1000", "2026-13-01T00:00:00Z", "", "Mar 99 25:00:00"] {
            #expect(Self.stamp(&clock, text) == nil, "\(text)")
        }
    }

    @Test func civilDatesRoundTrip() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            let (y, m, d) = CivilTime.date(days: days)
            #expect(CivilTime.days(year: y, month: m, day: d) == days)
        }
        #expect(CivilTime.days(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilTime.days(year: 2000, month: 3, day: 1) == 11_017)
    }

    @Test func dateHeaders() {
        func parse(_ text: String) -> String? {
            let bytes = Array(text.utf8)
            guard let t = bytes.withUnsafeBytes({ DateHeader.parse($0, 0..<$0.count) }) else { return nil }
            var out: [UInt8] = []
            t.appendRFC3339(to: &out)
            return String(decoding: out, as: UTF8.self)
        }
        #expect(parse("Tue, 3 Mar 2026 10:14:58 +0100") == "2026-03-03T09:14:58Z")
        #expect(parse("Tue, 03 Mar 2026 10:14:58 -0500 (EST)") == "2026-03-03T15:14:58Z")
        #expect(parse("3 Mar 26 10:15 GMT") == "2026-03-03T10:15:00Z")
        #expect(parse("Mon, 2 Feb 2026 09:00:00 PST") == "2026-02-02T17:00:00Z")
        #expect(parse("yesterday") == nil)
        #expect(parse("Tue, 3 Mar") == nil)
    }
}
