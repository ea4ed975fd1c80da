#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import MailScrubCore

/// What the scrubber writes.
enum EmitMode: String, ExpressibleByArgument, CaseIterable {
    /// The input lines with sensitive tokens replaced.
    case lines
}

/// The default subcommand: reads logs and writes them pseudonymized.
struct ScrubCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scrub",
        abstract: "Pseudonymize Postfix log lines (the default when no subcommand is named)."
    )

    @Option(help: "Config file (default: $MAILSCRUB_CONFIG, else config/mailscrub.yml).")
    var config: String?

    @Option(help: "Output: 'lines' writes each input line with sensitive tokens replaced.")
    var emit: EmitMode = .lines

    @Flag(help: "Write each line as soon as it is processed (default when output is a terminal).")
    var lineBuffered = false

    @Argument(help: "Log files to read in order; standard input when none (or '-').")
    var files: [String] = []

    func run() throws {
        try reportingFailures {
            signal(SIGPIPE, SIG_IGN)
            let pseudonymizer = try ConfigLoader.pseudonymizer(explicit: config)
            let pipeline = LinesPipeline(scrubber: LineScrubber(pseudonymizer: pseudonymizer))
            let flushEachChunk = lineBuffered || isatty(1) == 1
            let sink: (UnsafeRawBufferPointer) throws -> Void = { block in
                try writeAll(fd: 1, block.baseAddress!, block.count)
            }
            do {
                try InputFiles(paths: files).forEachChunk({ chunk in
                    try pipeline.feed(chunk, sink: sink)
                    if flushEachChunk { try pipeline.flush(sink: sink) }
                }, endOfFile: {})
                try pipeline.finish(sink: sink)
            } catch is OutputClosed {
                return
            }
            if pipeline.truncatedLineCount > 0 {
                StandardError.write(
                    "mailscrub: \(pipeline.truncatedLineCount) line(s) longer than \(LineSplitter.defaultMaxLineLength) bytes were cut to that length")
            }
        }
    }
}
