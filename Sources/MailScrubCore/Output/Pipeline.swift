/// The one entry point for the binary and the tests: bytes in, output blocks out.
/// Splits input into lines and, per mode, scrubs each line, writes one event per line,
/// or correlates lines into delivery records. Does no I/O itself.
public final class Pipeline {
    /// What the pipeline writes.
    public enum Mode: String, CaseIterable, Sendable {
        /// One NDJSON record per delivery attempt (the default).
        case records
        /// One NDJSON object per line.
        case events
        /// The input lines with sensitive tokens replaced.
        case lines
    }

    /// Output is handed to the sink once this many bytes are pending (or on `flush`).
    public static let blockSize = 256 * 1024

    public let mode: Mode
    private let keys: KeyRing
    private let scrubber: LineScrubber
    private let correlator: Correlator
    private let events: EventEncoder
    private var clock: SyslogClock
    private var splitter: LineSplitter
    private var output: [UInt8] = []
    /// When set, output is handed over after every line that produced some (`--line-buffered`).
    public var flushEachLine = false

    /// Lines read so far.
    public private(set) var lineCount = 0
    /// Lines longer than the splitter's cap, whose tails were dropped.
    public private(set) var truncatedLineCount = 0
    /// When set, lines holding NUL bytes or bytes that are not UTF-8 are counted
    /// (`--stats`); off by default, as it costs a pass over every byte.
    public var countsDamagedLines = false
    /// Lines holding NUL bytes, and lines holding bytes that are not well-formed UTF-8.
    public private(set) var linesWithNUL = 0
    public private(set) var linesWithInvalidUTF8 = 0
    /// Lines by event kind (records and events modes), indexed like `PostfixEvent.Kind.allCases`.
    private var kindCounts = [Int](repeating: 0, count: PostfixEvent.Kind.allCases.count)
    /// Lines by event kind (records and events modes); kinds not seen are left out.
    public var linesByKind: [PostfixEvent.Kind: Int] {
        var counts: [PostfixEvent.Kind: Int] = [:]
        for (kind, n) in zip(PostfixEvent.Kind.allCases, kindCounts) where n > 0 { counts[kind] = n }
        return counts
    }
    /// Records written, by status.
    public var recordsByStatus: [String: Int] { correlator.recordsByStatus }
    /// Open messages dropped for age or the cap.
    public var evictedMessages: Int { correlator.evicted }

    /// The log time of lines that carry none: the latest one seen, at first `now`.
    private var latest: LogTime

    /// `now` stands in for the time of lines without a readable timestamp before any with
    /// one (their key is chosen by it when keys rotate).
    public init(
        mode: Mode, keys: KeyRing, clock: SyslogClock, now: LogTime = LogTime(seconds: 0),
        correlation: Correlator.Options = Correlator.Options(),
        maxLineLength: Int = LineSplitter.defaultMaxLineLength
    ) {
        self.mode = mode
        self.keys = keys
        latest = now
        scrubber = LineScrubber()
        correlator = Correlator(keys: keys, options: correlation)
        events = EventEncoder(scrubber: scrubber)
        self.clock = clock
        splitter = LineSplitter(maxLineLength: maxLineLength)
    }

    /// Starts the next input, whose latest possible date is `year`/`month` (the year of
    /// traditional syslog stamps is inferred from it).
    public func startInput(anchorYear: Int, anchorMonth: Int) {
        clock.reanchor(year: anchorYear, month: anchorMonth)
    }

    /// Processes a chunk of input; `sink` receives output blocks when enough is pending.
    /// Throws what the sink throws, or a `KeyError` for a line whose epoch has no key.
    public func feed(_ chunk: UnsafeRawBufferPointer, sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        try splitter.append(chunk) { line in try handle(line, sink: sink) }
    }

    /// Ends the input (a last line without newline is processed; in lines mode it stays
    /// without one) and hands all pending output to `sink`.
    public func finish(sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        try splitter.finish { line in try handle(line, sink: sink) }
        try flush(sink: sink)
    }

    /// Hands everything pending to `sink`.
    public func flush(sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        guard !output.isEmpty else { return }
        try output.withUnsafeBytes { try sink($0) }
        output.removeAll(keepingCapacity: true)
    }

    private func handle(_ line: Line, sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        lineCount += 1
        if line.truncated { truncatedLineCount += 1 }
        if countsDamagedLines { countDamage(line.bytes) }
        let before = output.count
        switch mode {
        case .lines:
            let p = try keys.fixed ?? keys.pseudonymizer(for: lineTime(line.bytes, SyslogHeader.parse(line.bytes)))
            scrubber.scrub(line.bytes, with: p, into: &output)
            if line.terminated { output.append(ASCII.newline) }
        case .records, .events:
            let event = EventParser.parse(line.bytes)
            kindCounts[event.kind.index] += 1
            let time = event.header.timestamp.flatMap { clock.time(line.bytes, $0) }
            if let time, time > latest { latest = time }
            if mode == .records {
                try correlator.process(line.bytes, event, time: time ?? latest, into: &output)
            } else {
                let p = try keys.fixed ?? keys.pseudonymizer(for: time ?? latest)
                events.encode(line.bytes, event, time: time, with: p, into: &output)
            }
        }
        if output.count >= Self.blockSize || (flushEachLine && output.count > before) { try flush(sink: sink) }
    }

    private func countDamage(_ b: UnsafeRawBufferPointer) {
        if b.contains(byte: 0) { linesWithNUL += 1 }
        var i = 0
        while i < b.count {
            if b[i] < 0x80 {
                i += 1
            } else if let length = UTF8Sequence.length(b, at: i, end: b.count) {
                i += length
            } else {
                linesWithInvalidUTF8 += 1
                return
            }
        }
    }

    /// The time a line's key is chosen by: its own stamp, else the latest seen.
    private func lineTime(_ b: UnsafeRawBufferPointer, _ header: SyslogHeader) -> LogTime {
        if let stamp = header.timestamp, let time = clock.time(b, stamp) {
            if time > latest { latest = time }
            return time
        }
        return latest
    }
}
