import MailScrubBase

/// Rotation periods and their epochs: the span of log time one key covers, named by a
/// label (`2026-11-24`, `2026-W48`, `2026-11`, `all`). Epochs are in UTC.
public enum Epoch {
    /// The label of the epoch `time` falls in.
    public static func label(_ time: LogTime, _ period: Policy.Period) -> String {
        let days = Int(time.seconds >= 0 ? time.seconds / 86_400 : (time.seconds - 86_399) / 86_400)
        let (y, m, d) = CivilTime.date(days: days)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        switch period {
        case .never: return "all"
        case .daily: return "\(y)-\(two(m))-\(two(d))"
        case .monthly: return "\(y)-\(two(m))"
        case .weekly:
            let (isoYear, week) = isoWeek(days: days)
            return "\(isoYear)-W\(two(week))"
        }
    }

    /// The first instant of the epoch `time` falls in.
    public static func start(_ time: LogTime, _ period: Policy.Period) -> LogTime {
        let days = Int(time.seconds >= 0 ? time.seconds / 86_400 : (time.seconds - 86_399) / 86_400)
        switch period {
        case .never: return LogTime(seconds: 0)
        case .daily: return LogTime(seconds: Int64(days) * 86_400)
        case .weekly:
            let weekday = ((days + 3) % 7 + 7) % 7  // Monday = 0 (1970-01-01 was a Thursday)
            return LogTime(seconds: Int64(days - weekday) * 86_400)
        case .monthly:
            let (y, m, _) = CivilTime.date(days: days)
            return LogTime(seconds: Int64(CivilTime.days(year: y, month: m, day: 1)) * 86_400)
        }
    }

    /// The first instant of the epoch after the one `time` falls in.
    public static func next(_ time: LogTime, _ period: Policy.Period) -> LogTime? {
        let start = start(time, period).seconds
        switch period {
        case .never: return nil
        case .daily: return LogTime(seconds: start + 86_400)
        case .weekly: return LogTime(seconds: start + 7 * 86_400)
        case .monthly:
            let (y, m, _) = CivilTime.date(days: Int(start / 86_400))
            let (ny, nm) = m == 12 ? (y + 1, 1) : (y, m + 1)
            return LogTime(seconds: Int64(CivilTime.days(year: ny, month: nm, day: 1)) * 86_400)
        }
    }

    /// The first instant of the epoch before the one `time` falls in.
    public static func previous(_ time: LogTime, _ period: Policy.Period) -> LogTime? {
        guard period != .never else { return nil }
        return start(LogTime(seconds: start(time, period).seconds - 1), period)
    }

    /// The first instant of the epoch a label names, or nil when `label` is not exactly
    /// the label of an epoch of `period` (`2026-13-45`, a weekly label for a daily store).
    public static func start(label: String, _ period: Policy.Period) -> LogTime? {
        if period == .never { return label == "all" ? LogTime(seconds: 0) : nil }
        let parts = label.split(separator: "-", omittingEmptySubsequences: false)
        func number(_ text: Substring, digits: Int) -> Int? {
            guard text.count == digits, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int(text)
        }
        guard let first = parts.first, let year = number(first, digits: 4), (1970...9999).contains(year) else { return nil }
        var days: Int?
        switch period {
        case .never:
            return nil
        case .daily:
            if parts.count == 3, let m = number(parts[1], digits: 2), let d = number(parts[2], digits: 2),
               (1...12).contains(m), (1...31).contains(d) {
                days = CivilTime.days(year: year, month: m, day: d)
            }
        case .monthly:
            if parts.count == 2, let m = number(parts[1], digits: 2), (1...12).contains(m) {
                days = CivilTime.days(year: year, month: m, day: 1)
            }
        case .weekly:
            if parts.count == 2, parts[1].first == "W", let w = number(parts[1].dropFirst(), digits: 2), (1...53).contains(w) {
                // 4 January is always in week 1.
                let january4 = LogTime(seconds: Int64(CivilTime.days(year: year, month: 1, day: 4)) * 86_400)
                days = Int(Self.start(january4, .weekly).seconds / 86_400) + (w - 1) * 7
            }
        }
        guard let days else { return nil }
        let start = LogTime(seconds: Int64(days) * 86_400)
        // A day past the month's end (2026-02-30) or week 53 of a 52-week year reads as
        // another epoch: the label must come back unchanged.
        return Self.label(start, period) == label ? start : nil
    }

    /// ISO 8601 week-numbering year and week of a day count since 1970-01-01.
    static func isoWeek(days: Int) -> (year: Int, week: Int) {
        let weekday = ((days + 3) % 7 + 7) % 7  // Monday = 0
        let thursday = days - weekday + 3  // the week belongs to the year of its Thursday
        let year = CivilTime.date(days: thursday).year
        let firstDay = CivilTime.days(year: year, month: 1, day: 1)
        return (year, (thursday - firstDay) / 7 + 1)
    }
}
