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
    private var scrubber = LineScrubber()
    private let correlator: Correlator
    private let recordEncoder = RecordEncoder()
    /// Records the current line completed, before they are written.
    private var completed: [DeliveryRecord] = []
    private var events = EventEncoder()
    private var clock: SyslogClock
    private var splitter: LineSplitter
    private var output: [UInt8] = []
    /// When set, output is handed over after every line that produced some (`--line-buffered`).
    public var flushEachLine = false

    private var counts = LineCounts()
    /// Lines read so far.
    public var lineCount: Int { counts.lines }
    /// Lines longer than the splitter's cap, whose tails were dropped.
    public var truncatedLineCount: Int { counts.truncated }
    /// When set, lines holding bytes that are not UTF-8 are counted (`--stats`); off by
    /// default, as it costs a pass over every byte. Lines with NUL bytes are always counted.
    public var countsDamagedLines = false
    /// Lines holding NUL bytes, and lines holding bytes that are not well-formed UTF-8.
    public var linesWithNUL: Int { counts.withNUL }
    public var linesWithInvalidUTF8: Int { counts.withInvalidUTF8 }
    /// Lines by event kind, in every mode; kinds not seen are left out.
    public var linesByKind: [PostfixEvent.Kind: Int] {
        var byKind: [PostfixEvent.Kind: Int] = [:]
        for (kind, n) in zip(PostfixEvent.Kind.allCases, counts.byKind) where n > 0 { byKind[kind] = n }
        return byKind
    }
    /// Lines by outcome, in every mode; outcomes not seen are left out.
    public var linesByOutcome: [LineOutcome: Int] {
        var byOutcome: [LineOutcome: Int] = [:]
        for (outcome, n) in zip(LineOutcome.allCases, counts.byOutcome) where n > 0 { byOutcome[outcome] = n }
        return byOutcome
    }
    /// Records written, by status.
    public var recordsByStatus: [String: Int] { (scheduler?.fixer ?? self).correlatorCounts.byStatus }
    /// Open messages dropped for age or the cap.
    public var evictedMessages: Int { (scheduler?.fixer ?? self).correlatorCounts.evicted }

    /// How input is framed: under `.syslog` (and `.rfc5424`) every line is text; else a
    /// line that opens with `{` and reads as a journald entry is one, and any other line
    /// is text, so a journald export and a syslog file may even be concatenated.
    public var inputFormat = InputFormat.auto
    private var journal = JournalEntry()
    private var export = JournalExportReader()
    /// A journald entry as a syslog line, and its scrubbed form (lines mode).
    private var synthetic: [UInt8] = []
    private var scrubbed: [UInt8] = []
    /// True when `synthetic` has a syslog tag (the entry's identifier was fit for one).
    private var syntheticHasTag = false

    /// Lines by how they were written: each syslog header format, and `journal-json`.
    public var linesByFormat: [String: Int] {
        var byFormat: [String: Int] = [:]
        for (format, n) in zip(SyslogHeader.Format.allCases, counts.byFormat) where n > 0 { byFormat[format.rawValue] = n }
        if counts.journalLines > 0 { byFormat[InputFormat.journalJSON.rawValue] = counts.journalLines }
        if counts.exportLines > 0 { byFormat["journal-export"] = counts.exportLines }
        return byFormat
    }
    /// Lines from Postfix: a syslog tag naming postfix (or postlog), a queue id or
    /// `NOQUEUE` where a line without syslog prefix starts, or a line a Postfix parser
    /// understood.
    public var postfixLineCount: Int { counts.postfix }

    /// The log time of lines that carry none: the latest one seen, at first `now`.
    private var latest: LogTime
    /// `now` as given: where a block of a parallel run starts from.
    private let start: LogTime
    /// The latest time the current block took for a line without one, the first time it
    /// did, and the latest stamp the block read (parallel runs check a block's guess).
    private var firstFallback: LogTime?
    private var blockLatest: LogTime?
    /// Key ids the current block used, the last key and the time it was looked up for.
    private var blockKeyIDs: Set<String> = []
    private var lastKey: Pseudonymizer?
    private var lastKeyTime: LogTime?

    /// On a worker of a parallel records run: lines are parsed into `parsed`, not correlated.
    private var collects = false
    private var parsed = ParsedBlock()

    /// Threads for `jobs` > 1, made at the first line.
    private let jobs: Int
    private let blockBytes: Int
    private var scheduler: BlockScheduler?
    private var schedulerChecked = false

    /// `now` stands in for the time of lines without a readable timestamp before any with
    /// one (their key is chosen by it when keys rotate).
    public init(
        mode: Mode, keys: KeyRing, clock: SyslogClock, now: LogTime = LogTime(seconds: 0),
        correlation: Correlator.Options = Correlator.Options(),
        maxLineLength: Int = LineSplitter.defaultMaxLineLength,
        jobs: Int = 1, blockBytes: Int = 1 << 20
    ) {
        self.mode = mode
        self.keys = keys
        latest = now
        start = now
        self.jobs = jobs
        self.blockBytes = blockBytes
        correlator = Correlator(options: correlation)
        self.clock = clock
        splitter = LineSplitter(maxLineLength: maxLineLength)
    }

    deinit {
        scheduler?.stop()
    }

    /// Starts the next input file. A journald export entry the previous file ended in
    /// ends there (an entry never spans files), and with `anchor` (the file's
    /// modification time) traditional stamps take their year from it: the file's latest
    /// possible date is that year and month.
    public func startFile(anchor: (year: Int, month: Int)?) throws {
        if let scheduler = parallel() { return scheduler.startFile(anchor: anchor) }
        if export.finish() {
            journal = export.entry
            try journalRecord(terminated: true, asExport: true)
        }
        if let anchor { clock.reanchor(year: anchor.year, month: anchor.month) }
    }

    /// Processes a chunk of input; `sink` receives output blocks when enough is pending.
    /// Throws what the sink throws, or a `KeyError` for a line whose epoch has no key.
    public func feed(_ chunk: UnsafeRawBufferPointer, sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        if let scheduler = parallel() { return try scheduler.feed(chunk, sink: sink) }
        try splitter.append(chunk) { line in try handle(line, sink: sink) }
    }

    /// Ends the input (a last line without newline is processed; in lines mode it stays
    /// without one) and hands all pending output to `sink`.
    public func finish(sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        if let scheduler = parallel() {
            try scheduler.finish(sink: sink)
            counts.truncated += scheduler.truncatedLines
            for worker in scheduler.workers { counts.add(worker.counts) }
            keyIDsSeen = scheduler.keyIDs
            // The manifest is sealed with the key of the last line, as in one thread.
            if let time = scheduler.lastKeyTime { _ = try keys.pseudonymizer(for: time) }
            return
        }
        try splitter.finish { line in try handle(line, sink: sink) }
        if export.finish() {
            journal = export.entry
            try journalRecord(terminated: true, asExport: true)
        }
        try flush(sink: sink)
    }

    /// Hands everything pending to `sink`. In a parallel run, waits for every block read
    /// so far first.
    public func flush(sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        if let scheduler = parallel() { return try scheduler.flush(sink: sink) }
        try flushOutput(sink: sink)
    }

    private func flushOutput(sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        guard !output.isEmpty else { return }
        try output.withUnsafeBytes { try sink($0) }
        output.removeAll(keepingCapacity: true)
    }

    private func handle(_ line: Line, sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        counts.read(line, checkUTF8: countsDamagedLines)
        let before = output.count
        try route(line)
        if output.count >= Self.blockSize || (flushEachLine && output.count > before) { try flushOutput(sink: sink) }
    }

    /// A line of a journald export entry, a journald JSON entry, or syslog text.
    private func route(_ line: Line) throws {
        if inputFormat != .syslog, inputFormat != .rfc5424 {
            switch export.read(line.bytes) {
            case .text:
                break
            case .field:
                counts.exportLines += 1
                return
            case .entry:
                counts.exportLines += 1
                journal = export.entry
                return try journalRecord(terminated: true, asExport: true)
            case .entryThenText:
                journal = export.entry
                try journalRecord(terminated: true, asExport: true)
            }
            if line.bytes.contains(byte: ASCII.leftBrace), journal.parse(line.bytes) {
                counts.journalLines += 1
                return try journalRecord(terminated: line.terminated, asExport: false)
            }
        }
        try text(line.bytes, terminated: line.terminated, counted: true)
    }

    /// The journald entry in `journal`: written back (lines mode), or read as the syslog
    /// line it makes.
    private func journalRecord(terminated: Bool, asExport: Bool) throws {
        if mode == .lines { return try journalEntry(terminated: terminated, asExport: asExport) }
        synthesizeLine(stamped: true)
        try synthetic.withUnsafeBytes { try text($0, terminated: terminated, counted: false) }
    }

    /// One line of syslog text (or a journald entry written as one), parsed once for
    /// every mode: lines mode scrubs it with that parse.
    private func text(_ b: UnsafeRawBufferPointer, terminated: Bool, counted: Bool) throws {
        let event = EventParser.parse(b)
        count(b, event, format: counted)
        switch mode {
        case .lines:
            // A single key needs no line time: the stamp is not read at all then.
            let p = try keys.fixed ?? key(for: lineTime(b, event.header))
            scrubber.scrub(b, event, with: p, into: &output)
            if terminated { output.append(ASCII.newline) }
        case .records where collects:
            // A worker of a parallel run: the line is correlated later, in order.
            parsed.storage.append(contentsOf: b)
            parsed.lines.append((parsed.storage.count, event))
        case .records, .events:
            let time = event.header.timestamp.flatMap { clock.time(b, $0) }
            if let time { see(time) } else { fallback() }
            if mode == .records {
                completed.removeAll(keepingCapacity: true)
                correlator.process(b, event, time: time ?? latest, into: &completed)
                // Each record with the key of its own time.
                for record in completed {
                    recordEncoder.encode(record, with: try keys.pseudonymizer(for: record.loggedAt), into: &output)
                }
            } else {
                let p = try key(for: time ?? latest)
                events.encode(b, event, time: time, with: p, into: &output)
            }
        }
    }

    /// Counts a line by outcome and kind, and (`format`, for lines as read, not the
    /// syslog lines journald entries make) by header format.
    private func count(_ b: UnsafeRawBufferPointer, _ event: PostfixEvent, format: Bool) {
        counts.parsed(event, LineOutcome(event, in: b), format: format)
    }

    /// The journald entry just parsed as a syslog line in `synthetic`: `[stamp] [host]
    /// [identifier[pid]: ]message`. A host or identifier a syslog header cannot hold
    /// (spaces, odd bytes) is left out; the message is scrubbed all the same.
    private func synthesizeLine(stamped: Bool) {
        synthetic.removeAll(keepingCapacity: true)
        if stamped, let time = journal.time {
            time.appendRFC3339(to: &synthetic)
            synthetic.append(ASCII.space)
        }
        syntheticHasTag = !journal.identifier.isEmpty && journal.identifier.allSatisfy(SyslogHeader.isTagByte)
        if syntheticHasTag {
            if !journal.hostname.isEmpty, journal.hostname.allSatisfy(SyslogHeader.isHostByte) {
                synthetic.append(contentsOf: journal.hostname)
                synthetic.append(ASCII.space)
            }
            synthetic.append(contentsOf: journal.identifier)
            if !journal.pid.isEmpty {
                synthetic.append(ASCII.leftBracket)
                synthetic.append(contentsOf: journal.pid)
                synthetic.append(ASCII.rightBracket)
            }
            synthetic.append(ASCII.colon)
            synthetic.append(ASCII.space)
        }
        synthetic.append(contentsOf: journal.message)
    }

    /// Lines mode for a journald entry: the entry again, in the form it came in (JSON, or
    /// `-o export`), with the fields mailscrub knows (`__REALTIME_TIMESTAMP` first, as
    /// `verify` expects of JSON), host, identifier and message scrubbed as the syslog
    /// line they make; no other field.
    private func journalEntry(terminated: Bool, asExport: Bool) throws {
        synthesizeLine(stamped: false)
        if let time = journal.time { see(time) } else { fallback() }
        let p = try key(for: journal.time ?? latest)
        scrubbed.removeAll(keepingCapacity: true)
        synthetic.withUnsafeBytes { line in
            let event = EventParser.parse(line)
            count(line, event, format: false)
            scrubber.scrub(line, event, with: p, into: &scrubbed)
        }
        if !asExport { VerifierRepair.repairForJSON(&scrubbed, from: 0, with: p) }
        scrubbed.withUnsafeBytes { b in
            let header = SyslogHeader.parse(b)
            // Only a tag the entry gave: a message shaped like `word: text` is no identifier.
            let identified = syntheticHasTag && header.program != nil
            var realtime: [UInt8] = []
            if let micros = journal.realtime {
                // Rounded down as the policy says, like a syslog stamp in lines mode.
                let unit = Coarsening.seconds(p.policy.timePrecision) * 1_000_000
                JSONWriter.appendInteger(Int(unit == 1_000_000 ? micros : Coarsening.floor(micros, unit)), to: &realtime)
            }
            realtime.withUnsafeBytes { stamp in
                func field(_ name: StaticString, _ v: UnsafeRawBufferPointer, _ range: Range<Int>?) {
                    guard let range else { return }
                    if asExport {
                        Self.appendExportField(name, UnsafeRawBufferPointer(rebasing: v[range]), to: &output)
                    } else {
                        JSONWriter.appendKey(name, to: &output)
                        JSONWriter.appendString(v, range, to: &output)
                    }
                }
                if asExport {
                    field("__REALTIME_TIMESTAMP", stamp, journal.realtime == nil ? nil : 0..<stamp.count)
                } else {
                    output.append(ASCII.leftBrace)
                    JSONWriter.appendKey("__REALTIME_TIMESTAMP", first: true, to: &output)
                    if journal.realtime != nil { JSONWriter.appendString(stamp, 0..<stamp.count, to: &output) } else { JSONWriter.appendNull(to: &output) }
                }
                field("_HOSTNAME", b, identified ? header.host : nil)
                field("SYSLOG_IDENTIFIER", b, identified ? header.program : nil)
                field("_PID", b, identified ? header.pid : nil)
                journal.priority.withUnsafeBytes { field("PRIORITY", $0, journal.priority.isEmpty ? nil : 0..<$0.count) }
                journal.facility.withUnsafeBytes { field("SYSLOG_FACILITY", $0, journal.facility.isEmpty ? nil : 0..<$0.count) }
                if journal.hasMessage {
                    field("MESSAGE", b, (identified ? header.messageStart : 0)..<b.count)
                } else if !asExport {
                    JSONWriter.appendKey("MESSAGE", to: &output)
                    JSONWriter.appendNull(to: &output)
                }
            }
            if asExport {
                output.append(ASCII.newline)
            } else {
                output.append(ASCII.rightBrace)
                if terminated { output.append(ASCII.newline) }
            }
        }
    }

    /// `NAME=value` and a line break; a value holding control characters or bytes that
    /// are not UTF-8 in journald's binary form (`NAME`, line break, 64-bit little-endian
    /// length, value, line break).
    private static func appendExportField(_ name: StaticString, _ value: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        let plain = !value.contains(where: { $0 < 0x20 && $0 != ASCII.tab }) && UTF8Sequence.isValid(value)
        if !plain {
            out.append(ASCII.newline)
            for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: UInt64(value.count) >> (8 * UInt64(k)))) }
        } else {
            out.append(ASCII.equals)
        }
        out.append(contentsOf: value)
        out.append(ASCII.newline)
    }

    /// The time a line's key is chosen by: its own stamp, else the latest seen.
    private func lineTime(_ b: UnsafeRawBufferPointer, _ header: SyslogHeader) -> LogTime {
        if let stamp = header.timestamp, let time = clock.time(b, stamp) {
            see(time)
            return time
        }
        fallback()
        return latest
    }

    private func see(_ time: LogTime) {
        Self.see(time, latest: &latest, blockLatest: &blockLatest)
    }

    private static func see(_ time: LogTime, latest: inout LogTime, blockLatest: inout LogTime?) {
        if time > latest { latest = time }
        if blockLatest.map({ time > $0 }) ?? true { blockLatest = time }
    }

    private func fallback() {
        if firstFallback == nil { firstFallback = latest }
    }

    /// The key of a line at `time`, noting which keys a block used (lines and events).
    private func key(for time: LogTime) throws(KeyError) -> Pseudonymizer {
        if let fixed = keys.fixed { return fixed }
        let p = try keys.pseudonymizer(for: time)
        lastKeyTime = time
        if p !== lastKey {
            lastKey = p
            blockKeyIDs.insert(p.keyID)
        }
        return p
    }

    // MARK: Parallel runs

    private func parallel() -> BlockScheduler? {
        if !schedulerChecked {
            schedulerChecked = true
            if jobs > 1, !flushEachLine {
                // The workers read with their own keys; the one that rereads blocks in
                // order (or correlates them, in records mode) uses this pipeline's, and its
                // line counts are never added.
                let pipelines = (0...jobs).map { k in
                    let worker = Pipeline(mode: mode, keys: k == 0 ? keys : keys.replica(), clock: clock, now: start,
                                          maxLineLength: splitter.maxLineLength)
                    worker.inputFormat = inputFormat
                    worker.countsDamagedLines = countsDamagedLines
                    return worker
                }
                scheduler = BlockScheduler(
                    fixer: pipelines[0], workers: Array(pipelines.dropFirst()),
                    // Parsed lines take about three times their bytes: smaller blocks keep
                    // records mode's memory near that of the other modes.
                    blockBytes: mode == .records ? max(1, blockBytes / 2) : blockBytes,
                    maxLineLength: splitter.maxLineLength,
                    readsExport: inputFormat != .syslog && inputFormat != .rfc5424, keysFixed: keys.fixed != nil,
                    correlates: mode == .records)
            }
        }
        return scheduler
    }

    /// What a block of lines and events depends on from the lines before it.
    struct Continuity {
        var carry: SyslogClock.Carry
        var latest: LogTime
    }

    /// Where every block of a parallel run is first read from: no BSD year yet, `now`.
    var fresh: Continuity { Continuity(carry: SyslogClock.Carry(), latest: start) }

    var continuity: Continuity { Continuity(carry: clock.carry, latest: latest) }

    /// What a block read in a parallel run wrote, and what it took from its start.
    struct BlockResult {
        var output: [UInt8] = []
        /// The first BSD stamp's month and the year it was given.
        var firstBSD: (month: Int, year: Int)?
        /// The time a line without one took, the first time one did.
        var firstFallback: LogTime?
        /// The latest stamp read, and the clock's state after the block.
        var latest: LogTime?
        var carry = SyslogClock.Carry()
        /// Key ids used (rotating keys only), and the time of the last line's key.
        var keyIDs: Set<String> = []
        var lastKeyTime: LogTime?
        var error: KeyError?
    }

    /// Anchors the year of traditional stamps in a block read again in order.
    func anchorClock(year: Int, month: Int) {
        clock.reanchor(year: year, month: month)
    }

    /// The year a BSD stamp of `month` gets after `carry`, under this pipeline's anchor.
    func year(of month: Int, after carry: SyslogClock.Carry) -> Int {
        clock.year(of: month, after: carry)
    }

    /// Reads one block of whole lines from `state` (`anchor` is the year and month of
    /// its file, when one was given), writing to `sink`.
    func readBlock(
        _ bytes: [UInt8], anchor: (year: Int, month: Int)?, from state: Continuity,
        sink: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> BlockResult {
        if let anchor { clock.reanchor(year: anchor.year, month: anchor.month) }
        clock.carry = state.carry
        latest = state.latest
        firstFallback = nil
        blockLatest = nil
        blockKeyIDs.removeAll(keepingCapacity: true)
        lastKey = nil
        lastKeyTime = nil
        var result = BlockResult()
        do {
            try bytes.withUnsafeBytes { b in try splitter.append(b) { line in try handle(line, sink: sink) } }
            try splitter.finish { line in try handle(line, sink: sink) }
            if export.finish() {
                journal = export.entry
                try journalRecord(terminated: true, asExport: true)
            }
            try flushOutput(sink: sink)
        } catch let error as KeyError {
            output.removeAll(keepingCapacity: true)
            splitter = LineSplitter(maxLineLength: splitter.maxLineLength)
            export = JournalExportReader()
            result.error = error
        }
        result.firstBSD = clock.firstBSD
        result.firstFallback = firstFallback
        result.latest = blockLatest
        result.carry = clock.carry
        result.keyIDs = blockKeyIDs
        result.lastKeyTime = lastKeyTime
        return result
    }

    /// The lines of one block as a worker parsed them (records mode), each with its
    /// event: journald entries as the syslog lines they make. Line i is
    /// `storage[lines[i - 1].end..<lines[i].end]`; the event's ranges count from its start.
    struct ParsedBlock {
        var storage: [UInt8] = []
        var lines: [(end: Int, event: PostfixEvent)] = []

        /// Empties the block, keeping its buffers for the next.
        mutating func removeAll() {
            storage.removeAll(keepingCapacity: true)
            lines.removeAll(keepingCapacity: true)
        }
    }

    /// Parses one block of whole lines for the correlating thread into `block` (empty,
    /// perhaps with buffers kept from an earlier block), counting them as read.
    func parseBlock(_ bytes: [UInt8], into block: inout ParsedBlock) {
        collects = true
        swap(&parsed, &block)
        parsed.storage.reserveCapacity(bytes.count)
        let none: (UnsafeRawBufferPointer) -> Void = { _ in }
        // Safe to force try: collecting looks up no key and writes to no sink.
        try! bytes.withUnsafeBytes { b in try splitter.append(b) { line in try handle(line, sink: none) } }
        try! splitter.finish { line in try handle(line, sink: none) }
        if export.finish() {
            journal = export.entry
            try! journalRecord(terminated: true, asExport: true)
        }
        collects = false
        swap(&parsed, &block)
    }

    /// Correlates a parsed block, in input order: its times are read here, where the
    /// year of a traditional stamp is known. Returns the records the block completed.
    func correlate(_ block: ParsedBlock, anchor: (year: Int, month: Int)?) -> [DeliveryRecord] {
        if let anchor { clock.reanchor(year: anchor.year, month: anchor.month) }
        // The state each line updates, in locals while the block is read: as properties
        // of this class, every line would pay runtime exclusivity checks for them.
        var clock = self.clock
        var latest = self.latest
        var blockLatest = self.blockLatest
        var completed: [DeliveryRecord] = []
        swap(&completed, &self.completed)
        completed.removeAll(keepingCapacity: true)
        block.storage.withUnsafeBytes { storage in
            // By index: an event is large, and iterating by value would copy each one.
            block.lines.withUnsafeBufferPointer { lines in
                var start = 0
                for i in lines.indices {
                    let end = lines[i].end
                    let b = UnsafeRawBufferPointer(rebasing: storage[start..<end])
                    start = end
                    let time = lines[i].event.header.timestamp.flatMap { clock.time(b, $0) }
                    if let time { Self.see(time, latest: &latest, blockLatest: &blockLatest) }
                    correlator.process(b, lines[i].event, time: time ?? latest, into: &completed)
                }
            }
        }
        self.clock = clock
        self.latest = latest
        self.blockLatest = blockLatest
        self.completed = completed
        return completed
    }

    /// Writes records with the key of each one's time (records mode, on a worker), into
    /// `output` (empty, perhaps with capacity kept from an earlier block).
    func encodeRecords(_ records: [DeliveryRecord], into output: inout [UInt8]) -> BlockResult {
        blockKeyIDs.removeAll(keepingCapacity: true)
        lastKey = nil
        lastKeyTime = nil
        var result = BlockResult()
        do throws(KeyError) {
            for record in records { recordEncoder.encode(record, with: try key(for: record.loggedAt), into: &output) }
        } catch {
            output.removeAll(keepingCapacity: true)
            result.error = error
        }
        swap(&result.output, &output)
        result.keyIDs = blockKeyIDs
        result.lastKeyTime = lastKeyTime
        return result
    }

    /// Records written and open messages evicted, by this pipeline's correlator.
    var correlatorCounts: (byStatus: [String: Int], evicted: Int) { (correlator.recordsByStatus, correlator.evicted) }

    /// Key ids used so far (run manifests): in a parallel run, those of the lines as
    /// read in order, never a key a worker tried on a wrong guess.
    public var keyIDsUsed: Set<String> { keys.keyIDsUsed.union(keyIDsSeen) }
    private var keyIDsSeen: Set<String> = []
}
