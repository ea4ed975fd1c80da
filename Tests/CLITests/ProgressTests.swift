import Foundation
import Testing

/// The progress line on stderr: on a terminal or when asked, never into a pipe or file.
@Suite struct ProgressTests {
    typealias CLI = CLITests

    /// Runs `mailscrub ARGS` under bash, its input arriving in two parts 0.6 s apart,
    /// so that a progress line is due before the run ends.
    static func runWithSlowInput(_ arguments: String, in dir: URL, terminal: Bool = false) throws -> CLI.Result {
        let part = String(repeating: CLI.sampleLine, count: 200)
        try Data(part.utf8).write(to: dir.appendingPathComponent("part.log"))
        let command = "{ cat part.log; sleep 0.6; cat part.log; } | \"\(CLI.binary.path)\" \(arguments) > out.txt"
        if terminal {
            return try CLI.run(["-qec", command, "/dev/null"], in: dir, executable: "/usr/bin/script")
        }
        return try CLI.run(["-c", command], in: dir, executable: "/bin/bash")
    }

    @Test func progressIsDrawnWhereAskedAndErasedAtTheEnd() throws {
        let dir = try CLI.scratchDirectory()
        let config = try CLI.writeConfig("secret: \(CLI.vectorSecret)\n", in: dir)
        let shown = try Self.runWithSlowInput("--config \(config) --emit lines --progress", in: dir)
        #expect(shown.status == 0)
        #expect(shown.stderr.hasPrefix("\rmailscrub: "), "\(shown.stderr.debugDescription)")
        #expect(shown.stderr.contains(" MB/s, ") && shown.stderr.contains(" lines\u{1B}[K"), "\(shown.stderr.debugDescription)")
        #expect(shown.stderr.hasSuffix("\r\u{1B}[K"), "erased at the end")
        let withProgress = try String(contentsOf: dir.appendingPathComponent("out.txt"), encoding: .utf8)

        // Into a pipe, nothing but the output; the output is the same.
        let quiet = try Self.runWithSlowInput("--config \(config) --emit lines", in: dir)
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr.debugDescription)")
        #expect(try String(contentsOf: dir.appendingPathComponent("out.txt"), encoding: .utf8) == withProgress)
    }

    @Test func aTerminalGetsProgressUnlessTurnedOff() throws {
        let dir = try CLI.scratchDirectory()
        let config = try CLI.writeConfig("secret: \(CLI.vectorSecret)\n", in: dir)
        let records = try Self.runWithSlowInput("--config \(config)", in: dir, terminal: true)
        #expect(records.stdout.contains("MB/s, 0 records\u{1B}[K"), "\(records.stdout.debugDescription)")
        let off = try Self.runWithSlowInput("--config \(config) --no-progress", in: dir, terminal: true)
        #expect(!off.stdout.contains("MB/s"), "\(off.stdout.debugDescription)")
        // Output to the same terminal: progress would garble it, so there is none.
        let part = String(repeating: CLI.sampleLine, count: 200)
        let command = "{ printf '%s' '\(part)'; sleep 0.6; printf '%s' '\(part)'; } | \"\(CLI.binary.path)\" --config \(config) --emit lines"
        let onScreen = try CLI.run(["-qec", command, "/dev/null"], in: dir, executable: "/usr/bin/script")
        #expect(onScreen.stdout.contains("mx postfix/qmgr[9]") && !onScreen.stdout.contains("MB/s"), "\(onScreen.stdout.debugDescription)")
    }

    /// The share of the input read is shown when the input is files of known size.
    @Test func filesOfKnownSizeShowTheirShare() throws {
        let dir = try CLI.scratchDirectory()
        let config = try CLI.writeConfig("secret: \(CLI.vectorSecret)\n", in: dir)
        // 4.2 MB: a debug build (what `swift test` runs) takes well over a redraw interval.
        let log = dir.appendingPathComponent("big.log")
        try Data(String(repeating: CLI.sampleLine, count: 40_000).utf8).write(to: log)
        let result = try CLI.run(["--config", config, "--progress", "--emit", "lines", "--jobs", "1", log.path], in: dir)
        #expect(result.status == 0)
        #expect(result.stderr.contains(" of 4.2 MB (") && result.stderr.contains("%), "), "\(result.stderr.debugDescription)")
        #expect(result.stderr.hasSuffix("\r\u{1B}[K"))
    }
}
