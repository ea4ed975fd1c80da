import MailScrubBase

/// Reads the value of a logged Date header (RFC 5322, with the usual deviations):
/// `Tue, 3 Mar 2026 10:15:01 +0100`, `3 Mar 26 10:15 GMT`, `Tue, 03 Mar 2026 10:15:01 +0100 (CET)`.
package enum DateHeader {
    /// The instant, or nil when the value does not read as a date.
    package static func parse(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> LogTime? {
        var i = range.lowerBound
        let end = range.upperBound
        func skipSpaces() { while i < end, ASCII.isSpace(b[i]) || b[i] == ASCII.question { i += 1 } }
        func number(_ max: Int) -> Int? {
            var v = 0
            let start = i
            while i < end, i - start < max, ASCII.isDigit(b[i]) { v = v * 10 + Int(b[i] - 0x30); i += 1 }
            return i > start ? v : nil
        }
        skipSpaces()
        // Optional day name and comma.
        if i + 3 <= end, ASCII.isAlpha(b[i]) {
            while i < end, ASCII.isAlpha(b[i]) { i += 1 }
            if i < end, b[i] == ASCII.comma { i += 1 }
            skipSpaces()
        }
        guard let day = number(2), (1...31).contains(day) else { return nil }
        skipSpaces()
        guard let month = CalendarNames.month(b, at: i) else { return nil }
        i += 3
        while i < end, ASCII.isAlpha(b[i]) { i += 1 }
        skipSpaces()
        let yearStart = i
        guard var year = number(4) else { return nil }
        if i - yearStart <= 2 { year += year < 50 ? 2000 : 1900 } else if i - yearStart == 3 { year += 1900 }
        skipSpaces()
        guard let hour = number(2), i < end, b[i] == ASCII.colon else { return nil }
        i += 1
        guard let minute = number(2) else { return nil }
        var second = 0
        if i < end, b[i] == ASCII.colon {
            i += 1
            second = min(number(2) ?? 0, 59)
        }
        guard hour < 24, minute < 60 else { return nil }
        skipSpaces()
        var offset = 0
        if i < end, b[i] == ASCII.plus || b[i] == ASCII.hyphen {
            let sign = b[i] == ASCII.hyphen ? -1 : 1
            i += 1
            guard let hhmm = number(4) else { return nil }
            offset = sign * ((hhmm / 100) * 3600 + (hhmm % 100) * 60)
        } else if i < end, ASCII.isAlpha(b[i]) {
            offset = zoneAbbreviationOffset(b, i, end) ?? 0
        }
        let local = CivilTime.seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return LogTime(seconds: local - Int64(offset))
    }

    /// The RFC 5322 obsolete zone names; anything else counts as UTC ("-0000" meaning unknown).
    private static func zoneAbbreviationOffset(_ b: UnsafeRawBufferPointer, _ i: Int, _ end: Int) -> Int? {
        let table: [(StaticString, Int)] = [
            ("edt", -4), ("est", -5), ("cdt", -5), ("cst", -6), ("mdt", -6), ("mst", -7), ("pdt", -7), ("pst", -8),
        ]
        for (name, hours) in table where b.matchesIgnoringCase(name, at: i) { return hours * 3600 }
        return nil
    }
}
