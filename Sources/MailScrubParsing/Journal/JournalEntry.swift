import MailScrubBase

/// The fields mailscrub reads from one journald entry as `journalctl -o json` (or
/// `-o json-seq`) writes it, one JSON object per line; `JournalExportReader` fills it
/// from `-o export` too.
///
/// Values are decoded: a string's escapes, or the array of numbers journald writes for
/// a value that is not valid UTF-8 (a Latin-1 subject in `MESSAGE`). A field journald
/// logged more than once is an array of values: the first is kept. Every other field
/// is skipped, so it can never reach output.
public struct JournalEntry {
    /// `__REALTIME_TIMESTAMP`: microseconds since the epoch, when present, numeric and
    /// before the year 10000.
    public var realtime: Int64?
    /// `realtime` as a log time; with microseconds when it has some.
    public var time: LogTime? {
        realtime.map { micros in
            let fraction = Int32(micros % 1_000_000)
            return LogTime(seconds: micros / 1_000_000, microseconds: fraction, hasFraction: fraction != 0)
        }
    }
    public var hostname: [UInt8] = []
    /// `SYSLOG_IDENTIFIER`, else `_COMM`.
    public var identifier: [UInt8] = []
    /// `SYSLOG_PID`, else `_PID`; digits only.
    public var pid: [UInt8] = []
    public var priority: [UInt8] = []
    public var facility: [UInt8] = []
    public var message: [UInt8] = []
    public var hasMessage = false

    private var comm: [UInt8] = []
    private var processID: [UInt8] = []
    private var value: [UInt8] = []

    public init() {}

    /// Reads `line`; false when it is not a JSON object (which is then read as text).
    /// An entry after a run of NUL bytes (a crash-damaged journal export) is found as
    /// a syslog line is; an entry cut short (a full disk) keeps the fields read so far,
    /// the last string up to the cut.
    public mutating func parse(_ b: UnsafeRawBufferPointer) -> Bool {
        if parse(b, from: 0) { return true }
        guard b.contains(byte: 0) else { return false }
        var i = 0
        while let nul = b.firstIndex(of: 0, from: i, to: b.count) {
            var runEnd = nul + 1
            while runEnd < b.count, b[runEnd] == 0 { runEnd += 1 }
            if runEnd < b.count, b[runEnd] == ASCII.leftBrace, parse(b, from: runEnd) { return true }
            i = runEnd
        }
        return false
    }

    /// Forgets the fields of the last entry.
    mutating func reset() {
        realtime = nil
        hasMessage = false
        for index in [1, 2, 3, 4, 5, 6, 7, 8] { clear(index) }
    }

    /// Keeps field `name` with `value` if it is one mailscrub reads (`-o export`).
    mutating func set(_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) {
        guard let key = Self.key(Array(name)) else { return }
        self.value.removeAll(keepingCapacity: true)
        self.value.append(contentsOf: value)
        store(key)
    }

    private mutating func parse(_ b: UnsafeRawBufferPointer, from start: Int) -> Bool {
        reset()
        var i = start
        // json-seq puts an RS (0x1E) before each entry; a crash leaves NULs.
        while i < b.count, b[i] == 0x1E || b[i] == 0 || ASCII.isSpace(b[i]) { i += 1 }
        guard i < b.count, b[i] == ASCII.leftBrace else { return false }
        i += 1
        var fields = 0
        while true {
            skipSpace(b, &i)
            guard i < b.count else { return fields > 0 && finish() }
            if b[i] == ASCII.rightBrace { break }
            guard b[i] == ASCII.quote else { return false }
            i = JSONStringDecoder.decode(b, from: i + 1, into: &value)
            let key = Self.key(value)
            skipSpace(b, &i)
            guard i < b.count else { return fields > 0 && finish() }
            guard b[i] == ASCII.colon else { return false }
            i += 1
            skipSpace(b, &i)
            guard readValue(b, &i) else { return false }
            if let key { store(key) }
            fields += 1
            skipSpace(b, &i)
            guard i < b.count else { return finish() }
            if b[i] == ASCII.comma {
                i += 1
                skipSpace(b, &i)
                // A comma before the closing brace is not JSON.
                guard i >= b.count || b[i] == ASCII.quote else { return false }
            } else if b[i] != ASCII.rightBrace {
                return false
            }
        }
        // Nothing but white space may follow the entry.
        i += 1
        skipSpace(b, &i)
        return i == b.count && finish()
    }

    /// Fills in what journald leaves to other fields; always true.
    @discardableResult
    mutating func finish() -> Bool {
        if identifier.isEmpty { identifier = comm }
        if pid.isEmpty { pid = processID }
        if !pid.allSatisfy(ASCII.isDigit) { pid.removeAll() }
        return true
    }

    /// The fields kept, by index into the `store` switch.
    private static func key(_ name: [UInt8]) -> Int? {
        switch String(decoding: name, as: UTF8.self) {
        case "__REALTIME_TIMESTAMP": 0
        case "_HOSTNAME": 1
        case "SYSLOG_IDENTIFIER": 2
        case "SYSLOG_PID": 3
        case "PRIORITY": 4
        case "SYSLOG_FACILITY": 5
        case "MESSAGE": 6
        case "_COMM": 7
        case "_PID": 8
        default: nil
        }
    }

    private mutating func clear(_ index: Int) {
        switch index {
        case 1: hostname.removeAll(keepingCapacity: true)
        case 2: identifier.removeAll(keepingCapacity: true)
        case 3: pid.removeAll(keepingCapacity: true)
        case 4: priority.removeAll(keepingCapacity: true)
        case 5: facility.removeAll(keepingCapacity: true)
        case 6: message.removeAll(keepingCapacity: true)
        case 7: comm.removeAll(keepingCapacity: true)
        default: processID.removeAll(keepingCapacity: true)
        }
    }

    /// Keeps the value just read (in `value`) as field `index`; a repeated field keeps its first value.
    private mutating func store(_ index: Int) {
        switch index {
        case 0:
            guard realtime == nil, !value.isEmpty, value.count <= 18, value.allSatisfy(ASCII.isDigit) else { return }
            let micros = value.reduce(0) { $0 * 10 + Int64($1 - 0x30) }
            // Past 9999-12-31 is no time a journal holds (and no four-digit year).
            if micros < 253_402_300_800_000_000 { realtime = micros }
        case 1: if hostname.isEmpty { hostname = value }
        case 2: if identifier.isEmpty { identifier = value }
        case 3: if pid.isEmpty { pid = value }
        case 4: if priority.isEmpty, value.allSatisfy(ASCII.isDigit) { priority = value }
        case 5: if facility.isEmpty, value.allSatisfy(ASCII.isDigit) { facility = value }
        case 6:
            if !hasMessage {
                message = value
                hasMessage = true
            }
        case 7: if comm.isEmpty { comm = value }
        case 8: if processID.isEmpty { processID = value }
        default: break
        }
    }

    /// Reads one value at `i` into `value`: a string decoded, an array of numbers as
    /// its bytes, an array of values as its first; other values (numbers, `null`,
    /// objects) as nothing. False when the JSON is broken.
    private mutating func readValue(_ b: UnsafeRawBufferPointer, _ i: inout Int) -> Bool {
        value.removeAll(keepingCapacity: true)
        guard i < b.count else { return false }
        switch b[i] {
        case ASCII.quote:
            // A string cut by the end of the line is kept up to the cut.
            i = JSONStringDecoder.decode(b, from: i + 1, into: &value)
            return true
        case ASCII.leftBracket:
            i += 1
            skipSpace(b, &i)
            if i < b.count, ASCII.isDigit(b[i]) {
                // A value that is not UTF-8: its bytes as numbers.
                while i < b.count, ASCII.isDigit(b[i]) {
                    var byte = 0
                    while i < b.count, ASCII.isDigit(b[i]), byte < 256 {
                        byte = byte * 10 + Int(b[i] - 0x30)
                        i += 1
                    }
                    guard byte < 256 else { return false }
                    value.append(UInt8(byte))
                    skipSpace(b, &i)
                    if i < b.count, b[i] == ASCII.comma {
                        i += 1
                        skipSpace(b, &i)
                    }
                }
                guard i < b.count, b[i] == ASCII.rightBracket else { return false }
                i += 1
                return true
            }
            // Several values: keep the first, skip the rest.
            var first = true
            while i < b.count, b[i] != ASCII.rightBracket {
                if first {
                    guard readValue(b, &i) else { return false }
                    first = false
                } else {
                    let kept = value
                    guard readValue(b, &i) else { return false }
                    value = kept
                }
                skipSpace(b, &i)
                if i < b.count, b[i] == ASCII.comma {
                    i += 1
                    skipSpace(b, &i)
                }
            }
            guard i < b.count else { return false }
            i += 1
            return true
        case ASCII.leftBrace:
            // Not written by journalctl: skipped whole, strings and all.
            var depth = 0
            while i < b.count {
                switch b[i] {
                case ASCII.quote: i = JSONStringDecoder.decode(b, from: i + 1, into: &value) - 1
                case ASCII.leftBrace, ASCII.leftBracket: depth += 1
                case ASCII.rightBrace, ASCII.rightBracket: depth -= 1
                default: break
                }
                i += 1
                if depth == 0 { break }
            }
            value.removeAll(keepingCapacity: true)
            return depth == 0
        default:
            // A number, true, false or null.
            let start = i
            while i < b.count, b[i] != ASCII.comma, b[i] != ASCII.rightBrace, b[i] != ASCII.rightBracket, !ASCII.isSpace(b[i]) {
                i += 1
            }
            return i > start
        }
    }

    private func skipSpace(_ b: UnsafeRawBufferPointer, _ i: inout Int) {
        while i < b.count, ASCII.isSpace(b[i]) || b[i] == ASCII.carriageReturn { i += 1 }
    }
}
