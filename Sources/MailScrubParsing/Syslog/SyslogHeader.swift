import MailScrubBase

/// The syslog header of a line, as byte ranges into it.
///
/// Accepts BSD stamps (`May 20 22:16:47`, `May 01 ...`, `May 2 ...`, with fractions as
/// journalctl `short-precise` writes them), RFC 3339 stamps (`2022-01-08T19:42:12.572958+00:00`,
/// journalctl `short-iso` with `+0000`, or a space for the `T`), journalctl `short-full`
/// (`Wed 2026-05-20 22:16:40 UTC`) and `short-unix` (`1747779400.123456`), RFC 5424
/// headers (`<22>1 2026-05-20T22:16:40Z mx1 postfix/smtp 2104 - - msg`), an optional
/// `<PRI>` and BSD `<facility.level>` marker, a missing stamp or host, and tags with or
/// without `[pid]`. A line that fits none of that is not an error: `program` is nil and
/// the message is the whole line.
public struct SyslogHeader: Equatable, Sendable {
    /// How the header was written, for `--stats`.
    public enum Format: String, CaseIterable, Sendable {
        /// RFC 3164 `May 20 22:16:40` (also journalctl `short` and `short-precise`).
        case bsd
        /// RFC 3339, with `T` or a space (rsyslog, journalctl `short-iso`).
        case iso
        /// journalctl `short-full`.
        case shortFull = "short-full"
        /// journalctl `short-unix`.
        case unix = "short-unix"
        case rfc5424
        /// Host and tag without a stamp.
        case unstamped
        /// No header at all (a line without its syslog prefix, or not syslog).
        case none

        /// Position in `allCases`, for counting without a dictionary (or an array per line).
        package var index: Int {
            switch self {
            case .bsd: 0
            case .iso: 1
            case .shortFull: 2
            case .unix: 3
            case .rfc5424: 4
            case .unstamped: 5
            case .none: 6
            }
        }
    }

    /// The timestamp as written, or nil when the line has none.
    @PackedRange public var timestamp: Range<Int>? = nil
    /// The syslog host field, or nil when the line has none.
    @PackedRange public var host: Range<Int>? = nil
    /// The tag without `[pid]`, e.g. `postfix/submission/smtpd`; nil when no tag was found.
    @PackedRange public var program: Range<Int>? = nil
    /// The digits inside `[pid]`, when present.
    @PackedRange public var pid: Range<Int>? = nil
    /// Offset of the message text after `tag[pid]: `; when no tag was found, 0 or the
    /// offset after a run of NULs.
    public var messageStart: Int
    public var format = Format.none

    static let unparsed = SyslogHeader(timestamp: nil, host: nil, program: nil, pid: nil, messageStart: 0)

    /// No header: the message is the whole line, or what follows a run of NULs.
    private static func unparsed(from start: Int) -> SyslogHeader {
        SyslogHeader(timestamp: nil, host: nil, program: nil, pid: nil, messageStart: start)
    }

    /// Parses the header of `line`; never fails, see the type's summary.
    public static func parse(_ line: UnsafeRawBufferPointer) -> SyslogHeader {
        // A crash or a full disk leaves a run of NULs (and the torn start of a line) in
        // front of the next line written: the line proper starts after such a run. Of
        // the places after a NUL run, the first where a stamped syslog header parses wins (later
        // NULs may be junk inside the line). Lines almost never hold a NUL: memchr tells first.
        guard line.contains(byte: 0) else { return parse(line, from: 0) }
        let whole = parse(line, from: 0)
        if whole.program != nil { return whole }
        var firstRunEnd: Int?
        var i = 0
        while let nul = line.firstIndex(of: 0, from: i, to: line.count) {
            var runEnd = nul + 1
            while runEnd < line.count, line[runEnd] == 0 { runEnd += 1 }
            if firstRunEnd == nil { firstRunEnd = runEnd }
            // Only a full header (with its stamp) counts: text after a NUL inside a line
            // can look like a bare `word:` tag.
            let recovered = parse(line, from: runEnd)
            if recovered.program != nil, recovered.timestamp != nil { return recovered }
            i = runEnd
        }
        // No stamped header anywhere: a line that starts with NULs is what follows them;
        // any other keeps the whole line as its message.
        if line[0] == 0, let firstRunEnd { return unparsed(from: firstRunEnd) }
        return whole
    }

    private static func parse(_ line: UnsafeRawBufferPointer, from start: Int) -> SyslogHeader {
        let end = line.count
        var i = start
        while i < end, ASCII.isSpace(line[i]) { i += 1 }
        // A `<PRI>` as syslog puts it on the wire (`<22>May 20 …`), and then perhaps the
        // version of an RFC 5424 header.
        if i + 2 < end, line[i] == ASCII.lessThan, ASCII.isDigit(line[i + 1]) {
            var j = i + 1
            while j < end, j - i <= 4, ASCII.isDigit(line[j]) { j += 1 }
            if j < end, line[j] == ASCII.greaterThan {
                i = j + 1
                if let header = rfc5424(line, from: i) { return header }
            }
        }
        var header = SyslogHeader.unparsed
        header.format = .unstamped
        if let stamp = timestamp(line, from: i) {
            header.timestamp = i..<stamp.end
            header.format = stamp.format
            i = stamp.end
            while i < end, line[i] == ASCII.space { i += 1 }
        }
        // FreeBSD's `<mail.info>` marker between stamp and host.
        if i < end, line[i] == ASCII.lessThan, let close = line.firstIndex(of: ASCII.greaterThan, from: i, to: min(end, i + 32)) {
            i = close + 1
            while i < end, line[i] == ASCII.space { i += 1 }
        }
        if let tag = tag(line, at: i) {
            header.program = tag.program
            header.pid = tag.pid
            header.messageStart = tag.messageStart
        } else {
            var tokenEnd = i
            while tokenEnd < end, line[tokenEnd] != ASCII.space { tokenEnd += 1 }
            var next = tokenEnd
            while next < end, line[next] == ASCII.space { next += 1 }
            // `QID: info: header …` (a grep or paste without the syslog prefix) has no host:
            // a host field never ends in a colon.
            guard tokenEnd > i, line[tokenEnd - 1] != ASCII.colon,
                  (i..<tokenEnd).allSatisfy({ isHostByte(line[$0]) }),
                  let tag = tag(line, at: next) else {
                return unparsed(from: start)
            }
            header.host = i..<tokenEnd
            header.program = tag.program
            header.pid = tag.pid
            header.messageStart = tag.messageStart
        }
        // Solaris adds `[ID 197553 mail.info] ` before the message.
        if line.matches("[ID ", at: header.messageStart),
           let close = line.firstIndex(of: ASCII.rightBracket, from: header.messageStart, to: end) {
            header.messageStart = min(end, close + 2)
        }
        return header
    }

    /// The last component of the tag: `smtpd` for `postfix/submission/smtpd`.
    public func daemon(in line: UnsafeRawBufferPointer) -> Range<Int>? {
        guard let program else { return nil }
        let slash = line.lastIndex(of: ASCII.slash, from: program.lowerBound, to: program.upperBound)
        return (slash.map { $0 + 1 } ?? program.lowerBound)..<program.upperBound
    }

    /// Bytes of a syslog tag: `postfix/submission/smtpd`, `postfix-10.0.0.1/smtp`,
    /// `amavis` (ASCII letters and digits, `/`, `.`, `-`, `_`).
    package static func isTagByte(_ b: UInt8) -> Bool { ASCII.inSet(b, 0x03FF_E000_0000_0000, 0x07FF_FFFE_87FF_FFFE) }
    /// Bytes of a syslog host field: a name, or an IPv4/IPv6 address (letters and
    /// digits, `.`, `-`, `_`, `:`).
    package static func isHostByte(_ b: UInt8) -> Bool { ASCII.inSet(b, 0x07FF_6000_0000_0000, 0x07FF_FFFE_87FF_FFFE) }

    /// Whether a month name as syslog writes it (`Jan` … `Dec`) is at `i`.
    private static func isMonth(_ b: UnsafeRawBufferPointer, at i: Int) -> Bool {
        let names: StaticString = "JanFebMarAprMayJunJulAugSepOctNovDec"
        let n = names.utf8Start
        for k in stride(from: 0, to: 36, by: 3) where b[i] == n[k] && b[i + 1] == n[k + 1] && b[i + 2] == n[k + 2] {
            return true
        }
        return false
    }

    /// End and format of a timestamp starting at `i`, or nil.
    static func timestamp(_ b: UnsafeRawBufferPointer, from i: Int) -> (end: Int, format: Format)? {
        let end = b.count
        if isISODate(b, at: i) {
            // `2026-05-20 22:16:40[.123456][+00:00]`: a space where RFC 3339 has `T`.
            if i + 10 < end, b[i + 10] == ASCII.space, let clock = clockEnd(b, at: i + 11) {
                var j = clock
                while j < end, b[j] != ASCII.space, j - clock < 6 { j += 1 }
                return (j < end && b[j] == ASCII.space ? j : clock, .iso)
            }
            var j = i
            while j < end, b[j] != ASCII.space { j += 1 }
            return (j, .iso)
        }
        // journalctl short-full: `Wed 2026-05-20 22:16:40 UTC`. The zone is an upper-case
        // abbreviation or a numeric offset (`+03`), never a host name.
        if CalendarNames.isWeekday(b, at: i), i + 4 < end, b[i + 3] == ASCII.space, isISODate(b, at: i + 4),
           i + 14 < end, b[i + 14] == ASCII.space, let clock = clockEnd(b, at: i + 15) {
            var j = clock
            if j + 1 < end, b[j] == ASCII.space, b[j + 1] == ASCII.plus || b[j + 1] == ASCII.hyphen || isUpper(b[j + 1]) {
                let numeric = !isUpper(b[j + 1])
                var k = j + 2
                while k < end, k - j <= 6, numeric ? ASCII.isDigit(b[k]) || b[k] == ASCII.colon : isUpper(b[k]) { k += 1 }
                if k < end, b[k] == ASCII.space { j = k }
            }
            return (j, .shortFull)
        }
        // journalctl short-unix: `1747779400.123456`.
        if i < end, ASCII.isDigit(b[i]) {
            var j = i
            while j < end, ASCII.isDigit(b[j]) { j += 1 }
            guard (9...11).contains(j - i), j + 7 < end, b[j] == ASCII.dot else { return nil }
            let fraction = j + 1
            j = fraction
            while j < end, ASCII.isDigit(b[j]) { j += 1 }
            guard j - fraction == 6, b[j] == ASCII.space else { return nil }
            return (j, .unix)
        }
        guard i + 15 <= end, isMonth(b, at: i), b[i + 3] == ASCII.space else {
            return nil
        }
        var j = i + 4
        while j < end, b[j] == ASCII.space { j += 1 }
        let dayStart = j
        while j < end, ASCII.isDigit(b[j]) { j += 1 }
        guard (1...2).contains(j - dayStart), j < end, b[j] == ASCII.space else { return nil }
        guard let clock = clockEnd(b, at: j + 1) else { return nil }
        return (clock, .bsd)
    }

    private static func isUpper(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }

    /// True for `YYYY-MM-DD` at `i` (digits are checked where a date cannot do without).
    private static func isISODate(_ b: UnsafeRawBufferPointer, at i: Int) -> Bool {
        i + 10 <= b.count && ASCII.isDigit(b[i]) && ASCII.isDigit(b[i + 3]) && b[i + 4] == ASCII.hyphen
            && b[i + 7] == ASCII.hyphen
    }

    /// End of `HH:MM:SS` and an optional `.fraction` at `j`, or nil.
    private static func clockEnd(_ b: UnsafeRawBufferPointer, at j: Int) -> Int? {
        let end = b.count
        guard j + 8 <= end, ASCII.isDigit(b[j]), ASCII.isDigit(b[j + 1]), b[j + 2] == ASCII.colon,
              ASCII.isDigit(b[j + 3]), ASCII.isDigit(b[j + 4]), b[j + 5] == ASCII.colon,
              ASCII.isDigit(b[j + 6]), ASCII.isDigit(b[j + 7]) else { return nil }
        var k = j + 8
        if k < end, b[k] == ASCII.dot {
            k += 1
            while k < end, ASCII.isDigit(b[k]) { k += 1 }
        }
        return k
    }

    /// An RFC 5424 header after its `<PRI>`: `1 TIMESTAMP HOST APP PROCID MSGID SD MSG`,
    /// where any field may be `-` and SD is `-` or `[id key="value" …]…`; nil when the
    /// bytes at `i` are not one.
    private static func rfc5424(_ b: UnsafeRawBufferPointer, from i: Int) -> SyslogHeader? {
        let end = b.count
        guard i + 1 < end, b[i] == 0x31, b[i + 1] == ASCII.space else { return nil }
        var j = i + 2
        /// The next space-separated field, nil for `-`; `j` moves past it and its space.
        func field() -> Range<Int>?? {
            let start = j
            while j < end, b[j] != ASCII.space { j += 1 }
            guard j > start, j < end else { return .none }
            let range = start..<j
            j += 1
            return .some(range.count == 1 && b[start] == ASCII.hyphen ? nil : range)
        }
        guard let stamp = field(), let host = field(), let app = field(), let procID = field(), field() != nil else {
            return nil
        }
        if let stamp, !isISODate(b, at: stamp.lowerBound) { return nil }
        // Structured data: `-`, or elements whose quoted values may hold `\"` and `]`.
        if j < end, b[j] == ASCII.hyphen {
            j += 1
        } else {
            guard j < end, b[j] == ASCII.leftBracket else { return nil }
            while j < end, b[j] == ASCII.leftBracket {
                var quoted = false
                j += 1
                while j < end, quoted || b[j] != ASCII.rightBracket {
                    if b[j] == ASCII.backslash, quoted {
                        j += 1
                    } else if b[j] == ASCII.quote {
                        quoted.toggle()
                    }
                    j += 1
                }
                guard j < end else { return nil }
                j += 1
            }
        }
        if j < end, b[j] == ASCII.space { j += 1 }
        // A UTF-8 byte order mark may open the message.
        if j + 3 <= end, b[j] == 0xEF, b[j + 1] == 0xBB, b[j + 2] == 0xBF { j += 3 }
        var pid = procID
        if let procID, !(b[procID.lowerBound..<procID.upperBound].allSatisfy(ASCII.isDigit)) { pid = nil }
        var header = SyslogHeader(timestamp: stamp, host: host, program: app, pid: pid, messageStart: min(j, end))
        header.format = .rfc5424
        return header
    }

    /// A `name[pid]: ` or `name: ` tag at `i`, or nil. A queue id followed by `: ` is not a tag.
    private static func tag(_ b: UnsafeRawBufferPointer, at i: Int) -> (program: Range<Int>, pid: Range<Int>?, messageStart: Int)? {
        let end = b.count
        var j = i
        while j < end, isTagByte(b[j]) { j += 1 }
        // A tag is a program name, never free text: it ends at its pid or colon, and any
        // other byte (a space: this was a host) means this is no tag.
        guard j > i, j < end, b[j] == ASCII.leftBracket || b[j] == ASCII.colon else { return nil }
        let program = i..<j
        var pid: Range<Int>?
        if b[j] == ASCII.leftBracket {
            let pidStart = j + 1
            j = pidStart
            while j < end, ASCII.isDigit(b[j]) { j += 1 }
            guard j < end, b[j] == ASCII.rightBracket else { return nil }
            pid = pidStart..<j
            j += 1
        } else if QueueID.isQueueID(b, program) {
            return nil
        }
        guard j < end, b[j] == ASCII.colon, j + 1 == end || b[j + 1] == ASCII.space else { return nil }
        return (program, pid, min(end, j + 2))
    }
}
