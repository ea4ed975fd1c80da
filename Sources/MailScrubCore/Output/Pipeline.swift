import MailScrubBase

/// The one entry point for the binary and the tests: bytes in, output blocks out.
/// Splits input into lines and, per mode, scrubs each line, writes one event per line,
/// or correlates lines into delivery records: on one thread through its
/// `LineProcessor`, on several through a `BlockScheduler` of pipelines. Does no I/O.
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
    /// The per-line work and its state, lent out whole for each call (see
    /// `LineProcessor`); nil only while lent.
    private var core: LineProcessor?
    private var splitter: LineSplitter
    /// When set, output is handed over after every line that produced some (`--line-buffered`).
    public var flushEachLine: Bool {
        get { core!.flushEachLine }
        set { core!.flushEachLine = newValue }
    }

    private var counts: LineCounts { core!.counts }
    /// Lines read so far.
    public var lineCount: Int { counts.lines }
    /// Lines longer than the splitter's cap, whose tails were dropped.
    public var truncatedLineCount: Int { counts.truncated }
    /// When set, lines holding bytes that are not UTF-8 are counted (`--stats`); off by
    /// default, as it costs a pass over every byte. Lines with NUL bytes are always counted.
    public var countsDamagedLines: Bool {
        get { core!.countsDamagedLines }
        set { core!.countsDamagedLines = newValue }
    }
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
    public var inputFormat: InputFormat {
        get { core!.inputFormat }
        set { core!.inputFormat = newValue }
    }

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

    private let keys: KeyRing
    private let start: LogTime
    private let clock: SyslogClock
    private let correlation: Correlator.Options
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
        start = now
        self.clock = clock
        self.correlation = correlation
        self.jobs = jobs
        self.blockBytes = blockBytes
        core = LineProcessor(mode: mode, keys: keys, clock: clock, now: now, correlation: correlation)
        splitter = LineSplitter(maxLineLength: maxLineLength)
    }

    deinit {
        scheduler?.stop()
    }

    /// Lends the core and the splitter to `body` for the whole call: inside, each line
    /// reaches its state without runtime exclusivity checks. A sink must therefore not
    /// call back into this pipeline (its counters are lent out too).
    private func withCore<R>(_ body: (inout LineProcessor, inout LineSplitter) throws -> R) rethrows -> R {
        var lent = core.take()!
        defer { core = lent }
        return try body(&lent, &splitter)
    }

    /// Starts the next input file. A journald export entry the previous file ended in
    /// ends there (an entry never spans files), and with `anchor` (the file's
    /// modification time) traditional stamps take their year from it: the file's latest
    /// possible date is that year and month.
    public func startFile(anchor: (year: Int, month: Int)?) throws {
        if let scheduler = parallel() { return scheduler.startFile(anchor: anchor) }
        try withCore { core, _ in try core.startFile(anchor: anchor) }
    }

    /// Processes a chunk of input; `sink` receives output blocks when enough is pending.
    /// Throws what the sink throws, or a `KeyError` for a line whose epoch has no key.
    public func feed(_ chunk: UnsafeRawBufferPointer, sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        if let scheduler = parallel() { return try scheduler.feed(chunk, sink: sink) }
        try withCore { core, splitter in try core.feed(chunk, splitter: &splitter, sink: sink) }
    }

    /// Ends the input (a last line without newline is processed; in lines mode it stays
    /// without one) and hands all pending output to `sink`.
    public func finish(sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        if let scheduler = parallel() {
            try scheduler.finish(sink: sink)
            core!.counts.truncated += scheduler.truncatedLines
            for worker in scheduler.workers { core!.counts.add(worker.counts) }
            keyIDsSeen = scheduler.keyIDs
            // The manifest is sealed with the key of the last line, as in one thread.
            if let time = scheduler.lastKeyTime { _ = try keys.pseudonymizer(for: time) }
            return
        }
        try withCore { core, splitter in try core.finish(splitter: &splitter, sink: sink) }
    }

    /// Hands everything pending to `sink`. In a parallel run, waits for every block read
    /// so far first.
    public func flush(sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        if let scheduler = parallel() { return try scheduler.flush(sink: sink) }
        try withCore { core, _ in try core.flushOutput(sink: sink) }
    }

    // MARK: Parallel runs

    private func parallel() -> BlockScheduler? {
        if !schedulerChecked {
            schedulerChecked = true
            if jobs > 1, !flushEachLine {
                // The workers read with their own keys; the one that rereads blocks in
                // order (or correlates them, in records mode) uses this pipeline's, and its
                // line counts are never added.
                // The workers share the memory of two memos: more threads, smaller memos.
                let pipelines = (0...jobs).map { k in
                    let worker = Pipeline(mode: mode, keys: k == 0 ? keys : keys.replica(memoShare: jobs / 2), clock: clock, now: start,
                                          correlation: correlation, maxLineLength: splitter.maxLineLength)
                    worker.inputFormat = inputFormat
                    worker.countsDamagedLines = countsDamagedLines
                    return worker
                }
                scheduler = BlockScheduler(
                    fixer: pipelines[0], workers: Array(pipelines.dropFirst()),
                    blockBytes: Self.parallelBlockBytes(mode: mode, jobs: jobs, limit: blockBytes),
                    maxLineLength: splitter.maxLineLength,
                    readsExport: inputFormat != .syslog && inputFormat != .rfc5424, keysFixed: keys.fixed != nil,
                    correlates: mode == .records)
            }
        }
        return scheduler
    }

    /// Input bytes of the blocks in flight at most, whatever the number of workers. Each
    /// worker keeps two blocks in flight (four in records mode), and their output and
    /// parsed lines take several times their bytes: so past two workers blocks shrink,
    /// and memory stays flat in `--jobs` (events at `--jobs 16` took 229 MB with 1 MiB
    /// blocks).
    static let bytesInFlight = 4 << 20

    /// The block size of a parallel run: `limit`, halved in records mode (parsed lines
    /// take about three times their bytes), and smaller as `bytesInFlight` requires,
    /// down to 64 KiB.
    static func parallelBlockBytes(mode: Mode, jobs: Int, limit: Int) -> Int {
        let perWorker = mode == .records ? 4 : 2
        let base = mode == .records ? max(1, limit / 2) : limit
        return min(base, max(64 << 10, bytesInFlight / (perWorker * jobs)))
    }

    /// What a block of lines and events depends on from the lines before it.
    struct Continuity {
        var carry: SyslogClock.Carry
        var latest: LogTime
    }

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

    /// Where every block of a parallel run is first read from: no BSD year yet, `now`.
    var fresh: Continuity { core!.fresh }

    var continuity: Continuity { core!.continuity }

    /// Anchors the year of traditional stamps in a block read again in order.
    func anchorClock(year: Int, month: Int) {
        core!.anchorClock(year: year, month: month)
    }

    /// The year a BSD stamp of `month` gets after `carry`, under this pipeline's anchor.
    func year(of month: Int, after carry: SyslogClock.Carry) -> Int {
        core!.year(of: month, after: carry)
    }

    /// Reads one block of whole lines from `state` (`anchor` is the year and month of
    /// its file, when one was given), writing to `sink`.
    func readBlock(
        _ bytes: [UInt8], anchor: (year: Int, month: Int)?, from state: Continuity,
        sink: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> BlockResult {
        try withCore { core, splitter in try core.readBlock(bytes, anchor: anchor, from: state, splitter: &splitter, sink: sink) }
    }

    /// Parses one block of whole lines for the correlating thread into `block` (empty,
    /// perhaps with buffers kept from an earlier block), counting them as read.
    func parseBlock(_ bytes: [UInt8], into block: inout ParsedBlock) {
        withCore { core, splitter in core.parseBlock(bytes, into: &block, splitter: &splitter) }
    }

    /// Correlates a parsed block, in input order: its times are read here, where the
    /// year of a traditional stamp is known. Appends the records the block completed to
    /// `batch`.
    func correlate(_ block: ParsedBlock, anchor: (year: Int, month: Int)?, into batch: inout RecordBatch) {
        withCore { core, _ in core.correlate(block, anchor: anchor, into: &batch) }
    }

    /// Writes records with the key of each one's time (records mode, on a worker), into
    /// `output` (empty, perhaps with capacity kept from an earlier block).
    func encodeRecords(_ batch: RecordBatch, into output: inout [UInt8]) -> BlockResult {
        withCore { core, _ in core.encodeRecords(batch, into: &output) }
    }

    /// Records written and open messages evicted, by this pipeline's correlator.
    var correlatorCounts: (byStatus: [String: Int], evicted: Int) { core!.correlatorCounts }

    /// Key ids used so far (run manifests): in a parallel run, those of the lines as
    /// read in order, never a key a worker tried on a wrong guess.
    public var keyIDsUsed: Set<String> { keys.keyIDsUsed.union(keyIDsSeen) }
    private var keyIDsSeen: Set<String> = []
}
