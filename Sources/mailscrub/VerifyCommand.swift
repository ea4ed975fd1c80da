import ArgumentParser
import MailScrubCore

/// `mailscrub verify [FILE…]`: gates a hand-off on output that holds no raw address,
/// message-id or IP address.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check sanitized output: every address-, message-id- or IP-shaped token must be a pseudonym.",
        discussion: """
            Reads records, events or lines (FILEs, or standard input) and reports each
            token that is shaped like an address, a <message-id> or an IP address but is
            not a pseudonym of the configured length, as FILE:LINE:COLUMN, without the
            value itself. Exits 65 when anything was found, 0 when the input is clean.
            """
    )

    @OptionGroup var options: ConfigOptions

    @Option(help: "Pseudonym length in bytes, when there is no config (default 16).")
    var hashBytes: Int?

    @Argument(help: "Files to check; standard input when none (or '-').")
    var files: [String] = []

    func validate() throws {
        if let hashBytes, !PseudonymOptions.hashBytesRange.contains(hashBytes) {
            throw ValidationError("--hash-bytes must be from 8 to 32")
        }
    }

    func run() throws {
        try reportingFailures {
            var bytes = hashBytes ?? 16
            if hashBytes == nil {
                // The config's hash_bytes, or the policy's when it sets one.
                bytes = try options.setup().options.hashBytes
            }
            let verifier = OutputVerifier(hashBytes: bytes)
            var total = 0
            var reported = 0
            for path in files.isEmpty ? ["-"] : files {
                var splitter = LineSplitter()
                var lineNumber = 0
                var findings: [OutputVerifier.Finding] = []
                let name = path == "-" ? "standard input" : path
                let check: (Line) -> Void = { line in
                    lineNumber += 1
                    verifier.check(line.bytes, lineNumber: lineNumber, into: &findings)
                }
                do {
                    try InputFiles(paths: [path]).forEachChunk({ chunk in
                        splitter.append(chunk, check)
                    }, inputWaits: {}, startOfFile: { _, _ in })
                } catch let error as CorruptInput {
                    throw Failure(.dataError, "verify: \(error.message)")
                }
                splitter.finish(check)
                for finding in findings where reported < 50 {
                    StandardError.write("mailscrub: \(name):\(finding.line):\(finding.column): \(finding.kind) is not a pseudonym")
                    reported += 1
                }
                total += findings.count
            }
            guard total == 0 else {
                throw Failure(.dataError, "verify: \(total) token(s) are not pseudonyms of \(2 * bytes) hex characters; do not hand this output off")
            }
        }
    }
}
