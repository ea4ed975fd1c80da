import MailScrubBase

/// Turns syslog timestamps into instants.
///
/// RFC 3339 stamps are used as written (a stamp without offset is local time). BSD
/// stamps (`May 20 22:16:47`) carry neither year nor zone: the year comes from a fixed
/// `--year`, else from an anchor date (today, or an input file's modification time),
/// stepping back a year for months after the anchor's and forward when the stream
/// crosses from December to January; the zone comes from an injected offset function,
/// so the core never reads the clock or zone files.
extension LogTime {
    /// An RFC 3339 time with its offset (`2026-11-24T03:00:00Z`), as written in key files
    /// and `--now`; nil when it does not read as one.
    public init?(rfc3339 text: String) {
        var clock = SyslogClock(fixedYear: nil, anchorYear: 1970, anchorMonth: 1, zoneOffset: { _ in 0 })
        guard let time = Array(text.utf8).withUnsafeBytes({ clock.time($0, 0..<$0.count) }) else { return nil }
        self = time
    }
}

public struct SyslogClock {
    /// Seconds east of UTC in force at a local wall-clock time (given as if it were UTC).
    public typealias ZoneOffset = (Int64) -> Int

    private let zoneOffset: ZoneOffset
    private let fixedYear: Int?
    private var anchorYear: Int
    private var anchorMonth: Int
    /// The year of the current BSD stamps, once the first one has been seen.
    private var year: Int?
    private var lastMonth = 0
    /// The local hour the cached offset belongs to, and the offset.
    private var cachedHour = Int64.min
    private var cachedOffset = 0
    /// The last stamp read (up to 24 bytes, zero-padded; length -1 for none) and its
    /// instant. Lines of one second repeat their stamp, and reading the same stamp again
    /// gives the same instant: a BSD stamp's year only steps on a change of month.
    private var lastStamp: (UInt64, UInt64, UInt64) = (0, 0, 0)
    private var lastStampLength = -1
    private var lastTime: LogTime?

    public init(fixedYear: Int?, anchorYear: Int, anchorMonth: Int, zoneOffset: @escaping ZoneOffset) {
        self.fixedYear = fixedYear
        self.anchorYear = anchorYear
        self.anchorMonth = anchorMonth
        self.zoneOffset = zoneOffset
    }

    /// Starts a new input whose latest possible date is `year`/`month` (a file's mtime).
    public mutating func reanchor(year: Int, month: Int) {
        anchorYear = year
        anchorMonth = month
        carry = Carry()
    }

    /// What one stretch of input hands the next about BSD stamps: the year they are in
    /// (nil before the first) and the month of the last one. Parallel runs read blocks
    /// from a fresh carry and check the guess against the true one (`firstBSD`).
    public struct Carry: Equatable, Sendable {
        var year: Int?
        var lastMonth = 0

        /// No year yet: what a block of a parallel run starts from.
        package init() {}

        init(year: Int?, lastMonth: Int) {
            self.year = year
            self.lastMonth = lastMonth
        }
    }

    /// Setting it also forgets `firstBSD`.
    public var carry: Carry {
        get { Carry(year: year, lastMonth: lastMonth) }
        set {
            year = newValue.year
            lastMonth = newValue.lastMonth
            firstBSD = nil
            lastStampLength = -1
        }
    }

    /// The month of the first BSD stamp read since `carry` was set, and the year it got.
    public private(set) var firstBSD: (month: Int, year: Int)?

    /// The year a BSD stamp of `month` is given after `carry`.
    public func year(of month: Int, after carry: Carry) -> Int {
        if let year = carry.year { return carry.lastMonth == 12 && month == 1 ? year + 1 : year }
        return fixedYear ?? (month > anchorMonth ? anchorYear - 1 : anchorYear)
    }

    /// The instant of the timestamp in `range` of `b`, or nil when it cannot be read.
    /// Reads every stamp `SyslogHeader` finds: BSD, RFC 3339 (also with a space for
    /// `T` and a `+hhmm` offset), journalctl `short-full` and `short-unix`.
    public mutating func time(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> LogTime? {
        guard !range.isEmpty else { return nil }
        guard range.count <= 24 else { return read(b, range) }
        var stamp: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &stamp) {
            // Safe to force unwrap: both are at least one byte long.
            copyBytes(to: $0.baseAddress!, from: b.baseAddress! + range.lowerBound, count: range.count)
        }
        if range.count == lastStampLength, stamp == lastStamp { return lastTime }
        let time = read(b, range)
        lastStamp = stamp
        lastStampLength = range.count
        lastTime = time
        return time
    }

    private mutating func read(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> LogTime? {
        if ASCII.isDigit(b[range.lowerBound]) {
            if range.count > 4, b[range.lowerBound + 4] == ASCII.hyphen { return rfc3339(b, range) }
            return unixTime(b, range)
        }
        if range.count > 4, CalendarNames.isWeekday(b, at: range.lowerBound), b[range.lowerBound + 3] == ASCII.space {
            return shortFull(b, range.lowerBound + 4..<range.upperBound)
        }
        return bsd(b, range)
    }

    /// `1747779400.123456`: seconds since the epoch (journalctl `short-unix`).
    private func unixTime(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> LogTime? {
        var i = r.lowerBound
        var seconds: Int64 = 0
        while i < r.upperBound, i - r.lowerBound < 12, ASCII.isDigit(b[i]) {
            seconds = seconds * 10 + Int64(b[i] - 0x30)
            i += 1
        }
        guard i > r.lowerBound else { return nil }
        let fraction = self.fraction(b, &i, r.upperBound)
        guard i == r.upperBound else { return nil }
        return LogTime(seconds: seconds, microseconds: fraction.micros, hasFraction: fraction.present)
    }

    /// `2026-05-20 22:16:40 UTC` after the weekday (journalctl `short-full`). The zone is
    /// an abbreviation, or `+03` where the zone has none: UTC and numeric offsets are
    /// exact; any other name is taken as the configured zone (journalctl writes the
    /// zone of the host it runs on: give that one with `--timezone`).
    private mutating func shortFull(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> LogTime? {
        guard let space = b.lastIndex(of: ASCII.space, from: r.lowerBound, to: r.upperBound), space > r.lowerBound + 10 else {
            return rfc3339(b, r)
        }
        var i = space + 1
        let zone = i..<r.upperBound
        if b.matchesWhole("utc", zone) || b.matchesWhole("gmt", zone) || b.matchesWhole("ut", zone) || b.matchesWhole("z", zone) {
            return rfc3339(b, r.lowerBound..<space, offset: 0)
        }
        if i < r.upperBound, b[i] == ASCII.plus || b[i] == ASCII.hyphen {
            let sign = b[i] == ASCII.hyphen ? -1 : 1
            i += 1
            guard let hh = number(b, &i, maxDigits: 2) else { return nil }
            if i < r.upperBound, b[i] == ASCII.colon { i += 1 }
            let mm = number(b, &i, maxDigits: 2) ?? 0
            guard i == r.upperBound else { return nil }
            return rfc3339(b, r.lowerBound..<space, offset: sign * (hh * 3600 + mm * 60))
        }
        return rfc3339(b, r.lowerBound..<space)
    }

    private mutating func bsd(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> LogTime? {
        guard let month = CalendarNames.month(b, at: r.lowerBound) else { return nil }
        var i = r.lowerBound + 3
        while i < r.upperBound, b[i] == ASCII.space { i += 1 }
        guard let day = number(b, &i, maxDigits: 2), i < r.upperBound, b[i] == ASCII.space else { return nil }
        i += 1
        guard let (h, m, s) = clock(b, &i, r.upperBound) else { return nil }
        let fraction = self.fraction(b, &i, r.upperBound)
        let year = year(of: month, after: carry)
        if firstBSD == nil { firstBSD = (month, year) }
        self.year = year
        lastMonth = month
        let local = CivilTime.seconds(year: year, month: month, day: day, hour: h, minute: m, second: s)
        return LogTime(seconds: local - Int64(offset(local)), microseconds: fraction.micros, hasFraction: fraction.present)
    }

    /// An RFC 3339 stamp; `offset` stands in for a stamp written without one (else the
    /// configured zone's).
    private mutating func rfc3339(_ b: UnsafeRawBufferPointer, _ r: Range<Int>, offset fixedOffset: Int? = nil) -> LogTime? {
        var i = r.lowerBound
        let end = r.upperBound
        guard let y = number(b, &i, maxDigits: 4), i < end, b[i] == ASCII.hyphen else { return nil }
        i += 1
        guard let mo = number(b, &i, maxDigits: 2), i < end, b[i] == ASCII.hyphen else { return nil }
        i += 1
        guard let d = number(b, &i, maxDigits: 2), i < end, b[i] == 0x54 || b[i] == 0x74 || b[i] == ASCII.space else {
            return nil
        }
        i += 1
        guard let (h, m, s) = clock(b, &i, end), (1...12).contains(mo), (1...31).contains(d) else { return nil }
        let fraction = self.fraction(b, &i, end)
        let local = CivilTime.seconds(year: y, month: mo, day: d, hour: h, minute: m, second: s)
        let offsetSeconds: Int
        if i < end, b[i] == 0x5A || b[i] == 0x7A {
            offsetSeconds = 0
        } else if i < end, b[i] == ASCII.plus || b[i] == ASCII.hyphen {
            // `+01:00` (RFC 3339) or `+0100` (journald short-iso).
            let sign = b[i] == ASCII.hyphen ? -1 : 1
            i += 1
            guard let hh = number(b, &i, maxDigits: 2) else { return nil }
            if i < end, b[i] == ASCII.colon { i += 1 }
            let mm = number(b, &i, maxDigits: 2) ?? 0
            offsetSeconds = sign * (hh * 3600 + mm * 60)
        } else {
            offsetSeconds = fixedOffset ?? offset(local)
        }
        return LogTime(seconds: local - Int64(offsetSeconds), microseconds: fraction.micros, hasFraction: fraction.present)
    }

    private mutating func offset(_ local: Int64) -> Int {
        let hour = local >= 0 ? local / 3600 : (local - 3599) / 3600
        if hour != cachedHour {
            cachedHour = hour
            cachedOffset = zoneOffset(local)
        }
        return cachedOffset
    }

    private func number(_ b: UnsafeRawBufferPointer, _ i: inout Int, maxDigits: Int) -> Int? {
        var value = 0
        let start = i
        while i < b.count, i - start < maxDigits, ASCII.isDigit(b[i]) {
            value = value * 10 + Int(b[i] - 0x30)
            i += 1
        }
        return i > start ? value : nil
    }

    private func clock(_ b: UnsafeRawBufferPointer, _ i: inout Int, _ end: Int) -> (Int, Int, Int)? {
        guard let h = number(b, &i, maxDigits: 2), i < end, b[i] == ASCII.colon else { return nil }
        i += 1
        guard let m = number(b, &i, maxDigits: 2), i < end, b[i] == ASCII.colon else { return nil }
        i += 1
        guard let s = number(b, &i, maxDigits: 2), h < 24, m < 60, s < 61 else { return nil }
        return (h, m, min(s, 59))
    }

    private func fraction(_ b: UnsafeRawBufferPointer, _ i: inout Int, _ end: Int) -> (present: Bool, micros: Int32) {
        guard i < end, b[i] == ASCII.dot else { return (false, 0) }
        i += 1
        var micros: Int32 = 0
        var digits = 0
        while i < end, ASCII.isDigit(b[i]) {
            if digits < 6 {
                micros = micros * 10 + Int32(b[i] - 0x30)
                digits += 1
            }
            i += 1
        }
        for _ in digits..<6 { micros *= 10 }
        // `.000000` is the same instant as none: written alike, whichever format gave it.
        return (micros != 0, micros)
    }
}
