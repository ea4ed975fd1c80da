import MailScrubBase

/// The work of one thread on lines in input order: routing journald entries and
/// syslog text, parsing each line once, and scrubbing, encoding or correlating it.
///
/// A struct its `Pipeline` lends out for a whole chunk of input (and the splitter
/// beside it): every per-line access to this state is then checked statically, whereas
/// properties of a class each line paid about nine runtime exclusivity checks.
struct LineProcessor {
    let mode: Pipeline.Mode
    let keys: KeyRing
    private var scrubber = LineScrubber()
    private var correlator: Correlator
    private var recordEncoder = RecordEncoder()
    /// Records the current line completed, before they are written.
    private var completed = RecordBatch()
    private var events = EventEncoder()
    private var clock: SyslogClock
    private var output: [UInt8] = []
    /// See `Pipeline.flushEachLine`, `countsDamagedLines` and `inputFormat`.
    var flushEachLine = false
    var countsDamagedLines = false
    var inputFormat = InputFormat.auto
    var counts = LineCounts()

    private var journal = JournalEntry()
    private var export = JournalExportReader()
    /// A journald entry as a syslog line, and its scrubbed form (lines mode).
    private var synthetic: [UInt8] = []
    private var scrubbed: [UInt8] = []
    /// True when `synthetic` has a syslog tag (the entry's identifier was fit for one).
    private var syntheticHasTag = false

    /// The log time of lines that carry none: the latest one seen, at first `now`.
    private var latest: LogTime
    /// `now` as given: where a block of a parallel run starts from.
    let start: LogTime
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
    private var parsed = Pipeline.ParsedBlock()

    init(mode: Pipeline.Mode, keys: KeyRing, clock: SyslogClock, now: LogTime, correlation: Correlator.Options) {
        self.mode = mode
        self.keys = keys
        latest = now
        start = now
        correlator = Correlator(options: correlation)
        self.clock = clock
    }

    /// Records written and open messages evicted, by this thread's correlator.
    var correlatorCounts: (byStatus: [String: Int], evicted: Int) { (correlator.recordsByStatus, correlator.evicted) }

    // MARK: One thread

    /// See `Pipeline.startFile`.
    mutating func startFile(anchor: (year: Int, month: Int)?) throws {
        try finishExportEntry()
        if let anchor { clock.reanchor(year: anchor.year, month: anchor.month) }
    }

    mutating func feed(
        _ chunk: UnsafeRawBufferPointer, splitter: inout LineSplitter, sink: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        try splitter.append(chunk) { line in try handle(line, sink: sink) }
    }

    mutating func finish(splitter: inout LineSplitter, sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        try splitter.finish { line in try handle(line, sink: sink) }
        try finishExportEntry()
        try flushOutput(sink: sink)
    }

    /// A journald export entry that input ends in ends there.
    private mutating func finishExportEntry() throws {
        if export.finish() {
            journal = export.entry
            try journalRecord(terminated: true, asExport: true)
        }
    }

    mutating func flushOutput(sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        guard !output.isEmpty else { return }
        try output.withUnsafeBytes { try sink($0) }
        output.removeAll(keepingCapacity: true)
    }

    private mutating func handle(_ line: Line, sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        counts.read(line, checkUTF8: countsDamagedLines)
        let before = output.count
        try route(line)
        if output.count >= Pipeline.blockSize || (flushEachLine && output.count > before) { try flushOutput(sink: sink) }
    }

    /// A line of a journald export entry, a journald JSON entry, or syslog text.
    private mutating func route(_ line: Line) throws {
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
    private mutating func journalRecord(terminated: Bool, asExport: Bool) throws {
        if mode == .lines { return try journalEntry(terminated: terminated, asExport: asExport) }
        synthesizeLine(stamped: true)
        var line: [UInt8] = []
        swap(&line, &synthetic)
        defer { swap(&line, &synthetic) }
        try line.withUnsafeBytes { try text($0, terminated: terminated, counted: false) }
    }

    /// One line of syslog text (or a journald entry written as one), parsed once for
    /// every mode: lines mode scrubs it with that parse.
    private mutating func text(_ b: UnsafeRawBufferPointer, terminated: Bool, counted: Bool) throws {
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
            parsed.storage.appendBytes(b)
            parsed.lines.append((parsed.storage.count, event))
        case .records, .events:
            let time = event.header.timestamp.flatMap { clock.time(b, $0) }
            if let time { see(time) } else { fallback() }
            if mode == .records {
                completed.removeAll()
                correlator.process(b, event, time: time ?? latest, into: &completed)
                // Each record with the key of its own time.
                for record in completed.records {
                    recordEncoder.encode(record, of: completed, with: try keys.pseudonymizer(for: record.loggedAt), into: &output)
                }
            } else {
                let p = try key(for: time ?? latest)
                events.encode(b, event, time: time, with: p, into: &output)
            }
        }
    }

    /// Counts a line by outcome and kind, and (`format`, for lines as read, not the
    /// syslog lines journald entries make) by header format.
    private mutating func count(_ b: UnsafeRawBufferPointer, _ event: PostfixEvent, format: Bool) {
        counts.parsed(event, LineOutcome(event, in: b), format: format)
    }

    /// The journald entry just parsed as a syslog line in `synthetic`: `[stamp] [host]
    /// [identifier[pid]: ]message`. A host or identifier a syslog header cannot hold
    /// (spaces, odd bytes) is left out; the message is scrubbed all the same.
    private mutating func synthesizeLine(stamped: Bool) {
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
    private mutating func journalEntry(terminated: Bool, asExport: Bool) throws {
        synthesizeLine(stamped: false)
        if let time = journal.time { see(time) } else { fallback() }
        let p = try key(for: journal.time ?? latest)
        scrubbed.removeAll(keepingCapacity: true)
        synthetic.withUnsafeBytes { line in
            let event = EventParser.parse(line)
            counts.parsed(event, LineOutcome(event, in: line), format: false)
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
    private mutating func lineTime(_ b: UnsafeRawBufferPointer, _ header: SyslogHeader) -> LogTime {
        if let stamp = header.timestamp, let time = clock.time(b, stamp) {
            see(time)
            return time
        }
        fallback()
        return latest
    }

    private mutating func see(_ time: LogTime) {
        Self.see(time, latest: &latest, blockLatest: &blockLatest)
    }

    private static func see(_ time: LogTime, latest: inout LogTime, blockLatest: inout LogTime?) {
        if time > latest { latest = time }
        if blockLatest.map({ time > $0 }) ?? true { blockLatest = time }
    }

    private mutating func fallback() {
        if firstFallback == nil { firstFallback = latest }
    }

    /// The key of a line at `time`, noting which keys a block used (lines and events).
    private mutating func key(for time: LogTime) throws(KeyError) -> Pseudonymizer {
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

    /// Where every block of a parallel run is first read from: no BSD year yet, `now`.
    var fresh: Pipeline.Continuity { Pipeline.Continuity(carry: SyslogClock.Carry(), latest: start) }

    var continuity: Pipeline.Continuity { Pipeline.Continuity(carry: clock.carry, latest: latest) }

    mutating func anchorClock(year: Int, month: Int) {
        clock.reanchor(year: year, month: month)
    }

    func year(of month: Int, after carry: SyslogClock.Carry) -> Int {
        clock.year(of: month, after: carry)
    }

    /// See `Pipeline.readBlock`.
    mutating func readBlock(
        _ bytes: [UInt8], anchor: (year: Int, month: Int)?, from state: Pipeline.Continuity,
        splitter: inout LineSplitter, sink: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> Pipeline.BlockResult {
        if let anchor { clock.reanchor(year: anchor.year, month: anchor.month) }
        clock.carry = state.carry
        latest = state.latest
        firstFallback = nil
        blockLatest = nil
        blockKeyIDs.removeAll(keepingCapacity: true)
        lastKey = nil
        lastKeyTime = nil
        var result = Pipeline.BlockResult()
        do {
            try bytes.withUnsafeBytes { b in try splitter.append(b) { line in try handle(line, sink: sink) } }
            try finish(splitter: &splitter, sink: sink)
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

    /// See `Pipeline.parseBlock`.
    mutating func parseBlock(_ bytes: [UInt8], into block: inout Pipeline.ParsedBlock, splitter: inout LineSplitter) {
        collects = true
        swap(&parsed, &block)
        parsed.storage.reserveCapacity(bytes.count)
        let none: (UnsafeRawBufferPointer) -> Void = { _ in }
        // Safe to force try: collecting looks up no key and writes to no sink.
        try! bytes.withUnsafeBytes { b in try splitter.append(b) { line in try handle(line, sink: none) } }
        try! splitter.finish { line in try handle(line, sink: none) }
        try! finishExportEntry()
        collects = false
        swap(&parsed, &block)
    }

    /// See `Pipeline.correlate`.
    mutating func correlate(_ block: Pipeline.ParsedBlock, anchor: (year: Int, month: Int)?, into batch: inout RecordBatch) {
        if let anchor { clock.reanchor(year: anchor.year, month: anchor.month) }
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
                    correlator.process(b, lines[i].event, time: time ?? latest, into: &batch)
                }
            }
        }
    }

    /// See `Pipeline.encodeRecords`.
    mutating func encodeRecords(_ batch: RecordBatch, into output: inout [UInt8]) -> Pipeline.BlockResult {
        blockKeyIDs.removeAll(keepingCapacity: true)
        lastKey = nil
        lastKeyTime = nil
        var result = Pipeline.BlockResult()
        do throws(KeyError) {
            for record in batch.records {
                recordEncoder.encode(record, of: batch, with: try key(for: record.loggedAt), into: &output)
            }
        } catch {
            output.removeAll(keepingCapacity: true)
            result.error = error
        }
        swap(&result.output, &output)
        result.keyIDs = blockKeyIDs
        result.lastKeyTime = lastKeyTime
        return result
    }
}
