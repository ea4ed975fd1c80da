#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Foundation
import MailScrubCore

extension Pipeline.Mode: ExpressibleByArgument {}
extension InputFormat: ExpressibleByArgument {}

/// The default subcommand: reads logs and writes records, events or lines.
struct ScrubCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scrub",
        abstract: "Pseudonymize Postfix logs (the default when no subcommand is named)."
    )

    @OptionGroup var options: ConfigOptions

    @Option(help: "Output: 'records' (one NDJSON object per delivery), 'events' (one per line) or 'lines' (the log, scrubbed).")
    var emit: Pipeline.Mode = .records

    @Option(help: "How input is framed: 'auto' (a line that reads as a journald entry, JSON or export, is one; any other is syslog text), 'journal-json' (the same), or 'syslog' (every line is text; 'rfc5424' is the same: each line's header, RFC 3164, RFC 5424, RFC 3339 or journalctl short-*, is recognized by itself).")
    var inputFormat: InputFormat = .auto

    @Option(help: "Year of the first traditional syslog stamp (default: inferred from today or each file's modification time).")
    var year: Int?

    @Option(help: "IANA time zone of traditional syslog stamps (default: config 'timezone', else the system zone).")
    var timezone: String?

    @Flag(help: "Write each record or line as soon as it is produced (by default, output to a pipe or terminal is written whenever the input waits for more).")
    var lineBuffered = false

    @Option(help: "Threads to run on (default: the number of cores). The output is the same for every number.")
    var jobs: Int?

    @Flag(help: "Print counts to stderr at the end: lines by format, outcome and kind, records by status, evicted messages.")
    var stats = false

    @Option(help: "Write a JSON manifest of this run (counts, digests, key ids, HMAC seal) to this file.")
    var manifest: String?

    @Option(help: "Write the output to this file instead of standard output: to a temporary file beside it, renamed to FILE only when the run succeeds.")
    var output: String?

    @Flag(help: "Refuse to run without a config (never fall back to a one-time random key); also set by MAILSCRUB_REQUIRE_CONFIG=1. For scheduled runs.")
    var requireConfig = false

    @Flag(inversion: .prefixedNo, help: "Show progress on stderr: input read, MB/s, output written (default: when stderr is a terminal and the output is not).")
    var progress: Bool?

    @Argument(help: "Log files to read in order; standard input when none (or '-').")
    var files: [String] = []

    func validate() throws {
        if let year, !(1970...9999).contains(year) { throw ValidationError("--year must be a year such as 2026") }
        if let jobs, !(1...256).contains(jobs) { throw ValidationError("--jobs must be a number of threads from 1 to 256") }
    }

    func run() throws {
        try reportingFailures {
            signal(SIGPIPE, SIG_IGN)
            try suggestSubcommand()
            // Every path written to is checked before any input is read.
            if let manifest { try checkWritable(manifest, option: "--manifest") }
            let outputFile = try output.map { try OutputFile($0) }
            let outputFD = outputFile?.fd ?? 1
            let setup = try options.setup()
            let keys = try ConfigLoader.keyRing(setup, requireConfig: requireConfig || ProcessInfo.processInfo.environment["MAILSCRUB_REQUIRE_CONFIG"] == "1")
            let loaded = setup.config
            let zoneName = timezone ?? loaded?.timezone
            let zone: TimeZone
            if let zoneName {
                guard let named = TimeZone(identifier: zoneName) else {
                    throw Failure(timezone != nil ? .usage : .config, "unknown time zone '\(zoneName)' (\(timezone != nil ? "--timezone" : "config 'timezone'"))")
                }
                zone = named
            } else {
                zone = TimeZone.current
            }
            let now = try currentTime(nil)
            let today = Calendar(identifier: .gregorian).dateComponents(in: zone, from: Date(timeIntervalSince1970: TimeInterval(now.seconds)))
            let clock = SyslogClock(
                fixedYear: year ?? loaded?.year, anchorYear: today.year ?? 1970, anchorMonth: today.month ?? 1,
                zoneOffset: { local in
                    // The offset at a local time: look it up at the instant that local time
                    // would be in UTC, then once more at the corrected instant (DST edges).
                    let guess = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local)))
                    return zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local - Int64(guess))))
                })
            let pipeline = Pipeline(
                mode: emit, keys: keys, clock: clock,
                now: now,
                correlation: loaded?.correlation ?? Correlator.Options(),
                jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
            // Into a pipe or terminal, output goes out whenever the input has nothing more
            // ready (before waiting for it), so a `tail -F | mailscrub` reader sees each
            // record as soon as its line arrived, while a bulk run still writes in large blocks.
            pipeline.flushEachLine = lineBuffered
            pipeline.inputFormat = inputFormat
            pipeline.countsDamagedLines = stats
            let flushWhenInputWaits = outputFile == nil && !standardOutputIsRegularFile()
            // The output digest costs a pass over every byte written: only for manifests.
            let outputDigest = manifest == nil ? nil : SHA256Digest()
            var outputBytes = 0
            var inputBytes = 0
            var inputsByCompression: [String: Int] = [:]
            let sink: (UnsafeRawBufferPointer) throws -> Void = { block in
                try writeAll(fd: outputFD, block.baseAddress!, block.count)
                outputDigest?.update(block)
                outputBytes += block.count
            }
            let inputs = InputFiles(paths: files)
            // By default only on a terminal, and not when the output goes to that terminal too.
            let showProgress = progress ?? (isatty(2) == 1 && (outputFile != nil || isatty(1) == 0))
            let progressLine = showProgress ? ProgressLine(totalBytes: inputs.totalSize()) : nil
            // Erased before anything else reaches stderr: statistics, warnings, errors.
            defer { progressLine?.clear() }
            do {
                try inputs.forEachChunk({ chunk in
                    inputBytes += chunk.count
                    try pipeline.feed(chunk, sink: sink)
                    if let progressLine {
                        let written = emit == .records ? pipeline.recordsByStatus.values.reduce(0, +) : pipeline.lineCount
                        progressLine.update(readBytes: inputs.position.bytes, written: written, unit: emit.rawValue)
                    }
                }, inputWaits: {
                    if flushWhenInputWaits { try pipeline.flush(sink: sink) }
                }, startOfFile: { modified, compression in
                    inputsByCompression[compression?.rawValue ?? "none", default: 0] += 1
                    var anchor: (year: Int, month: Int)?
                    if let modified, year == nil, loaded?.year == nil {
                        let parts = Calendar(identifier: .gregorian).dateComponents(in: zone, from: modified)
                        anchor = (parts.year ?? 1970, parts.month ?? 1)
                    }
                    try pipeline.startFile(anchor: anchor)
                })
                try pipeline.finish(sink: sink)
            } catch let error as CorruptInput {
                // Every line read before the damage is processed and written; then the error.
                do {
                    try pipeline.finish(sink: sink)
                } catch is OutputClosed {}
                progressLine?.clear()
                if stats { StandardError.write(Self.statistics(pipeline, inputsByCompression: inputsByCompression)) }
                throw Failure(.dataError, error.message)
            } catch is OutputClosed {
                return
            } catch let error as KeyError {
                throw Failure(.config, error.description)
            }
            progressLine?.clear()
            if pipeline.truncatedLineCount > 0 {
                StandardError.write(
                    "mailscrub: \(pipeline.truncatedLineCount) line(s) longer than \(LineSplitter.defaultMaxLineLength) bytes were cut to that length")
            }
            if stats { StandardError.write(Self.statistics(pipeline, inputsByCompression: inputsByCompression)) }
            // Never silent: input that holds no Postfix line at all is an error, a small
            // share of Postfix lines a warning, each with the likely cause.
            if pipeline.lineCount > 0 && pipeline.postfixLineCount * 20 < pipeline.lineCount {
                let message = Self.unrecognizedInput(pipeline)
                if pipeline.postfixLineCount == 0 { throw Failure(.dataError, message) }
                StandardError.write("mailscrub: warning: \(message)")
            }
            if let manifest, let outputDigest {
                var sealer: Pseudonymizer
                if let used = keys.sealing {
                    sealer = used
                } else {
                    do throws(KeyError) {
                        sealer = try keys.pseudonymizer(for: now)
                    } catch {
                        throw Failure(.config, "cannot seal the manifest: \(error.description)")
                    }
                }
                let text = RunManifest(
                    version: MailScrubCommand.version, mode: emit.rawValue, inputBytes: inputBytes,
                    inputLines: pipeline.lineCount, outputBytes: outputBytes, outputSHA256: outputDigest.finish(),
                    recordsByStatus: pipeline.recordsByStatus, unrecognizedLines: pipeline.linesByKind[.unrecognized] ?? 0,
                    postfixLines: pipeline.postfixLineCount, linesByFormat: pipeline.linesByFormat,
                    inputsByCompression: inputsByCompression,
                    evictedQueueIDs: pipeline.evictedMessages, keyIDs: Array(pipeline.keyIDsUsed), policy: setup.policy.name,
                    policySHA256: setup.policyDigest, configSHA256: setup.configDigest
                ).sealed(with: sealer)
                try writeFileAtomically(String(decoding: text, as: UTF8.self), to: manifest, overwrite: true, mode: 0o644)
            }
            // Last, so the file appears only for a run that succeeded, manifest and all.
            try outputFile?.commit()
        }
    }

    /// The `--stats` report: one `key=value` line per group.
    static func statistics(_ pipeline: Pipeline, inputsByCompression: [String: Int]) -> String {
        func join(_ counts: [String: Int]) -> String {
            counts.isEmpty ? "none" : counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        var kinds: [String: Int] = [:]
        for (kind, n) in pipeline.linesByKind { kinds[kind.rawValue] = n }
        var outcomes: [String: Int] = [:]
        for (outcome, n) in pipeline.linesByOutcome { outcomes[outcome.rawValue] = n }
        return """
            mailscrub: stats: lines read=\(pipeline.lineCount) unrecognized=\(pipeline.linesByKind[.unrecognized] ?? 0) truncated=\(pipeline.truncatedLineCount) with-nul=\(pipeline.linesWithNUL) invalid-utf8=\(pipeline.linesWithInvalidUTF8)
            mailscrub: stats: inputs by compression: \(join(inputsByCompression))
            mailscrub: stats: lines by format: \(join(pipeline.linesByFormat)) postfix=\(pipeline.postfixLineCount)
            mailscrub: stats: lines by outcome: \(join(outcomes))
            mailscrub: stats: lines by kind: \(join(kinds))
            mailscrub: stats: records by status: \(join(pipeline.recordsByStatus))
            mailscrub: stats: evicted queue ids=\(pipeline.evictedMessages)
            """
    }

    /// Why so few lines were Postfix's, in one line: counts and the likely cause, never
    /// the content of a line.
    static func unrecognizedInput(_ pipeline: Pipeline) -> String {
        let total = pipeline.lineCount
        let formats = pipeline.linesByFormat
        let unframed = formats[SyslogHeader.Format.none.rawValue] ?? 0
        let cause: String
        if pipeline.linesWithNUL * 4 > total {
            cause = "the input looks binary: an archive mailscrub does not read (it reads gzip, xz, zstd and bzip2), or not a log"
        } else if (formats[InputFormat.journalJSON.rawValue] ?? 0) + (formats["journal-export"] ?? 0) > total / 2 {
            cause = "the journal entries come from other programs: select Postfix's (journalctl -u 'postfix*')"
        } else if unframed * 2 > total {
            cause = "most lines have no syslog header: another log format? (see --input-format and README, Where your logs are)"
        } else {
            cause = "the syslog lines come from other programs: is this the mail log? (a syslog_name without 'postfix' in it is not counted)"
        }
        return "\(pipeline.postfixLineCount) of \(total) lines read are Postfix lines; \(cause)"
    }

    /// A FILE that does not exist but reads like a mistyped subcommand (`keygne`) is
    /// refused with the subcommand it resembles, before anything is read.
    private func suggestSubcommand() throws {
        let names = MailScrubCommand.configuration.subcommands.compactMap { $0.configuration.commandName }
        for file in files where file != "-" && !file.contains("/") && access(file, F_OK) != 0 {
            if let name = names.min(by: { editDistance(file, $0) < editDistance(file, $1) }), editDistance(file, name) <= 2 {
                throw Failure(.usage, "\(file): no such file; did you mean 'mailscrub \(name)'?")
            }
        }
        if files.isEmpty || files.contains("-"), isatty(0) == 1 {
            StandardError.write("mailscrub: reading standard input (Ctrl-D to end; 'mailscrub --help' for usage)")
        }
    }

    private func standardOutputIsRegularFile() -> Bool {
        var info = stat()
        return fstat(1, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }
}

/// Levenshtein distance between two short words.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.utf8), b = Array(b.utf8)
    var row = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
        var previous = row[0]
        row[0] = i
        for j in 1...max(b.count, 1) where !b.isEmpty {
            let kept = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
            previous = kept
        }
    }
    return a.isEmpty ? b.count : row[b.count]
}
