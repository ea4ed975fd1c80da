import Foundation
import MailScrubBase

/// Every mode on several threads. The input is cut into blocks of whole lines (never
/// inside a journald export entry); each worker thread reads a block with its own
/// pipeline and keys, and blocks are written in input order.
///
/// Records mode has three stages: a worker parses a block; this thread correlates the
/// parsed blocks in input order (reading their times, so no guess is needed); a worker
/// writes the records a block completed. Correlation is the only stage in order.
///
/// A line's output depends on the lines before it in two ways only: the year of a
/// traditional stamp (which steps forward from December to January) and the latest
/// time, which picks the key of a line without a stamp when keys rotate. Workers read
/// each block as if it began the input (`Pipeline.fresh`); in order, each block's guess
/// is checked against the true state, and the rare block that guessed wrong (a year
/// crossing at its start, a stampless line under rotating keys after a later stamp) is
/// read again, in order, from the true state. So the output is byte for byte that of
/// one thread, whatever the number of threads and however the input is chunked.
final class BlockScheduler: @unchecked Sendable {
    private struct Job {
        var sequence: Int
        var bytes: [UInt8]
        var anchor: (year: Int, month: Int)?
        /// The first block of an input file: its anchor resets the year's carry, as
        /// `Pipeline.startFile` does on one thread.
        var startsFile: Bool
    }

    /// What a worker does next: read (or, in records mode, parse) a block, or write the
    /// records a correlated block completed.
    private enum Task {
        case read(Job)
        case encode(sequence: Int, records: RecordBatch)
    }

    let workers: [Pipeline]
    let fixer: Pipeline
    /// Blocks submitted and not yet written, at most.
    private var blocksInFlight: Int { (correlates ? 4 : 2) * workers.count }
    private let blockBytes: Int
    private let readsExport: Bool
    private let keysFixed: Bool
    private let correlates: Bool

    // Shared with the worker threads, under `condition`.
    private let condition = NSCondition()
    private var queue: [Task] = []
    private var queueHead = 0
    /// Correlated blocks to write, taken before any block in `queue`: they are what the
    /// output waits for, in order, while a block to parse only adds to the backlog.
    private var encodes: [Task] = []
    private var results: [Int: Pipeline.BlockResult] = [:]
    private var parsed: [Int: Pipeline.ParsedBlock] = [:]
    private var stopping = false
    /// Records mode's emptied buffers, kept for the next blocks: a block's parsed lines
    /// take megabytes, and fresh ones cost a page fault per page (measured at `--jobs 2`:
    /// system time 0.3 s of 1.5 s before, 0.1 s after). Lines and events gain nothing
    /// from it, and keep none.
    private var spareBlocks: [[UInt8]] = []
    private var spareOutputs: [[UInt8]] = []
    private var spareParsed: [Pipeline.ParsedBlock] = []
    private var spareBatches: [RecordBatch] = []

    // The reading thread's own.
    private var splitter: LineSplitter
    private var boundary = JournalExportReader()
    private var block: [UInt8] = []
    private var jobs: [Int: Job] = [:]
    private var nextSequence = 0
    private var nextToCorrelate = 0
    private var nextToWrite = 0
    private var anchor: (year: Int, month: Int)?
    private var fileStarts = false
    private var truth: Pipeline.Continuity
    private let fresh: Pipeline.Continuity
    /// Lines cut to the length limit here (the workers only ever see them cut).
    private(set) var truncatedLines = 0
    /// Key ids the lines used, read in order, and the time of the last line's key.
    private(set) var keyIDs: Set<String> = []
    private(set) var lastKeyTime: LogTime?

    init(
        fixer: Pipeline, workers: [Pipeline], blockBytes: Int, maxLineLength: Int, readsExport: Bool, keysFixed: Bool,
        correlates: Bool
    ) {
        self.fixer = fixer
        self.workers = workers
        self.blockBytes = blockBytes
        self.readsExport = readsExport
        self.keysFixed = keysFixed
        self.correlates = correlates
        splitter = LineSplitter(maxLineLength: maxLineLength)
        fresh = fixer.fresh
        truth = fresh
        for worker in workers {
            let box = WorkerBox(pipeline: worker)
            let thread = Thread { [self] in work(box.pipeline) }
            thread.name = "mailscrub worker"
            thread.start()
        }
    }

    /// A block never spans files: each is read under its own file's anchor, and a
    /// worker ends an export entry cut by its block's end as `Pipeline.startFile` does.
    func startFile(anchor: (year: Int, month: Int)?) {
        _ = boundary.finish()
        submit()
        if let anchor {
            self.anchor = anchor
            fileStarts = true
        }
    }

    func feed(_ chunk: UnsafeRawBufferPointer, sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        // This thread reads all input, so its work per line is kept to a few compares:
        // whole lines of `chunk` that follow one another are copied into the block as one
        // run (`run`: offsets into the chunk, newlines included), and the export reader
        // and the block's size are held in locals while the chunk is split.
        var run = 0..<0
        var exports = JournalExportReader()
        swap(&exports, &boundary)
        defer { swap(&exports, &boundary) }
        var taken = block.count
        try splitter.append(chunk) { line in
            if readsExport { _ = exports.read(line.bytes) }
            if let start = line.bytes.baseAddress.flatMap({ chunk.baseAddress?.distance(to: $0) }),
               start >= 0, start + line.bytes.count < chunk.count, line.terminated, !line.truncated {
                if run.upperBound != start {
                    taken = append(&run, of: chunk)
                    run = start..<start
                }
                run = run.lowerBound..<start + line.bytes.count + 1
            } else {
                taken = append(&run, of: chunk)
                taken = take(line)
            }
            if taken + run.count >= blockBytes, !readsExport || exports.isIdle {
                taken = append(&run, of: chunk)
                submit()
                taken = 0
                // Records blocks are half the size and pass three stages, two of them on
                // workers: twice as many in flight keep both cores busy (measured at
                // --jobs 2: 0.72-0.77 s with four, 0.67-0.70 s with eight, 6 MB more).
                try writeReady(sink: sink, waitingUntilBelow: blocksInFlight)
            }
        }
        _ = append(&run, of: chunk)
    }

    /// Copies the lines of `chunk` in `run` into the block and empties `run`; returns
    /// the block's size.
    private func append(_ run: inout Range<Int>, of chunk: UnsafeRawBufferPointer) -> Int {
        if !run.isEmpty { block.appendBytes(chunk, run) }
        run = 0..<0
        return block.count
    }

    /// Submits what is read so far (when it ends between export entries) and writes
    /// every block submitted.
    func flush(sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        if !readsExport || boundary.isIdle { submit() }
        try writeReady(sink: sink, waitingUntilBelow: 1)
    }

    func finish(sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        splitter.finish { line in
            if readsExport { _ = boundary.read(line.bytes) }
            _ = take(line)
        }
        submit()
        try writeReady(sink: sink, waitingUntilBelow: 1)
        stop()
    }

    /// Lets the worker threads end once the queue is empty.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    /// Copies one line into the block (the export reader has read it); returns the
    /// block's size.
    private func take(_ line: Line) -> Int {
        if line.truncated { truncatedLines += 1 }
        block.appendBytes(line.bytes)
        if line.terminated { block.append(ASCII.newline) }
        return block.count
    }

    private func submit() {
        guard !block.isEmpty else { return }
        let job = Job(sequence: nextSequence, bytes: block, anchor: anchor, startsFile: fileStarts)
        fileStarts = false
        nextSequence += 1
        // The fixer of lines and events may need the bytes again; records are parsed once.
        jobs[job.sequence] = correlates ? Job(sequence: job.sequence, bytes: [], anchor: job.anchor, startsFile: job.startsFile) : job
        condition.lock()
        block = spareBlocks.popLast() ?? []
        queue.append(.read(job))
        condition.signal()
        condition.unlock()
        block.reserveCapacity(blockBytes + 4096)
    }

    /// Keeps an emptied buffer for a later block; the caller holds `condition`. A few
    /// at most: in a steady run, about as many are freed as are taken.
    private static func recycle(_ bytes: inout [UInt8], into spares: inout [[UInt8]], keeping limit: Int) {
        guard spares.count < limit, bytes.capacity > 0 else { return }
        bytes.removeAll(keepingCapacity: true)
        spares.append(bytes)
    }

    /// Correlates parsed blocks and writes finished ones, in order, waiting until fewer
    /// than `limit` blocks are outstanding.
    private func writeReady(sink: (UnsafeRawBufferPointer) throws -> Void, waitingUntilBelow limit: Int) throws {
        while nextToWrite < nextSequence {
            var next: Pipeline.ParsedBlock?
            var result: Pipeline.BlockResult?
            condition.lock()
            while true {
                if correlates, let block = parsed.removeValue(forKey: nextToCorrelate) {
                    next = block
                    break
                }
                if let done = results.removeValue(forKey: nextToWrite) {
                    result = done
                    break
                }
                if nextSequence - nextToWrite < limit { break }
                condition.wait()
            }
            condition.unlock()
            if var block = next.take() {
                // Safe to force unwrap: every submitted job is kept until its result is written.
                let job = jobs[nextToCorrelate]!
                condition.lock()
                var records = spareBatches.popLast() ?? RecordBatch()
                condition.unlock()
                fixer.correlate(block, anchor: job.startsFile ? job.anchor : nil, into: &records)
                condition.lock()
                if spareParsed.count < blocksInFlight {
                    block.removeAll()
                    spareParsed.append(block)
                }
                encodes.append(.encode(sequence: nextToCorrelate, records: records))
                condition.signal()
                condition.unlock()
                nextToCorrelate += 1
                continue
            }
            guard var result = result.take() else { return }
            // Safe to force unwrap: every submitted job is kept until its result is written.
            let job = jobs.removeValue(forKey: nextToWrite)!
            nextToWrite += 1
            try write(job, result, sink: sink)
            if correlates {
                condition.lock()
                Self.recycle(&result.output, into: &spareOutputs, keeping: blocksInFlight)
                condition.unlock()
            }
        }
    }

    private func write(_ job: Job, _ result: Pipeline.BlockResult, sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        if correlates {
            if let error = result.error { throw error }
            try result.output.withUnsafeBytes { if !$0.isEmpty { try sink($0) } }
            keyIDs.formUnion(result.keyIDs)
            if let time = result.lastKeyTime { lastKeyTime = time }
            return
        }
        if job.startsFile, let anchor = job.anchor {
            fixer.anchorClock(year: anchor.year, month: anchor.month)
            truth.carry = SyslogClock.Carry()
        }
        var guessed = result.error == nil
        if let first = result.firstBSD, fixer.year(of: first.month, after: truth.carry) != first.year { guessed = false }
        if let fallback = result.firstFallback, !keysFixed, truth.latest > fallback { guessed = false }
        let used: Pipeline.BlockResult
        if guessed {
            try result.output.withUnsafeBytes { if !$0.isEmpty { try sink($0) } }
            if result.firstBSD != nil { truth.carry = result.carry }
            if let latest = result.latest, latest > truth.latest { truth.latest = latest }
            used = result
        } else {
            used = try fixer.readBlock(job.bytes, anchor: nil, from: truth, sink: sink)
            if let error = used.error { throw error }
            truth = fixer.continuity
        }
        keyIDs.formUnion(used.keyIDs)
        if let time = used.lastKeyTime { lastKeyTime = time }
    }

    private func work(_ worker: Pipeline) {
        while true {
            condition.lock()
            while queueHead == queue.count, encodes.isEmpty, !stopping { condition.wait() }
            if !encodes.isEmpty {
                let task = encodes.removeFirst()
                condition.unlock()
                run(task, on: worker)
                continue
            }
            guard queueHead < queue.count else {
                condition.unlock()
                return
            }
            let task = queue[queueHead]
            // The slot is overwritten so the array does not keep the block's bytes alive.
            queue[queueHead] = .encode(sequence: -1, records: RecordBatch())
            queueHead += 1
            if queueHead == queue.count {
                queue.removeAll(keepingCapacity: true)
                queueHead = 0
            }
            condition.unlock()
            run(task, on: worker)
        }
    }

    /// Consumes `task`, so that the buffers it holds are unique when they are recycled: a
    /// copy left alive would make emptying one allocate a new buffer, whose pages then
    /// fault in as the next block fills it.
    private func run(_ task: consuming Task, on worker: Pipeline) {
        switch consume task {
        case .read(var job) where correlates:
            condition.lock()
            var block = spareParsed.popLast() ?? Pipeline.ParsedBlock()
            condition.unlock()
            worker.parseBlock(job.bytes, into: &block)
            condition.lock()
            parsed[job.sequence] = block
            Self.recycle(&job.bytes, into: &spareBlocks, keeping: blocksInFlight)
        case .read(let job):
            var output: [UInt8] = []
            // Safe to ignore: the sink only appends, and key errors come back in the result.
            var result = (try? worker.readBlock(job.bytes, anchor: job.anchor, from: fresh) { output.append(contentsOf: $0) })
                ?? Pipeline.BlockResult()
            result.output = output
            condition.lock()
            results[job.sequence] = result
        case .encode(let sequence, var records):
            condition.lock()
            var output = spareOutputs.popLast() ?? []
            condition.unlock()
            let result = worker.encodeRecords(records, into: &output)
            condition.lock()
            results[sequence] = result
            if spareBatches.count < blocksInFlight {
                records.removeAll()
                spareBatches.append(records)
            }
        }
        condition.broadcast()
        condition.unlock()
    }
}

/// A worker's pipeline, handed to its thread and used there alone.
private struct WorkerBox: @unchecked Sendable {
    let pipeline: Pipeline
}
