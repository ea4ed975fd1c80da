import Foundation
@testable import MailScrubCore
@testable import MailScrubKeys
@testable import MailScrubCorrelation
@testable import MailScrubParsing

/// Shared fixtures: the fixed test secret and helpers to run the pipeline in memory.
enum TestSupport {
    /// Fixed secret for golden files; never used anywhere but tests.
    static let secret = "mailscrub golden-test secret, not for production use"

    static func pseudonymizer(_ options: PseudonymOptions = PseudonymOptions()) -> Pseudonymizer {
        Pseudonymizer(secret: secret, options: options)
    }

    /// A clock for tests: UTC, year inferred against December 2026 unless `year` is given.
    static func clock(year: Int? = nil, zoneOffset: Int = 0) -> SyslogClock {
        SyslogClock(fixedYear: year, anchorYear: 2026, anchorMonth: 12, zoneOffset: { _ in zoneOffset })
    }

    /// Runs `input` through the lines pipeline, feeding it in chunks of `chunkSize`.
    static func scrubLines(_ input: [UInt8], chunkSize: Int = 4096, with p: Pseudonymizer = pseudonymizer()) -> [UInt8] {
        run(input, mode: .lines, chunkSize: chunkSize, with: p)
    }

    /// Runs `input` through the pipeline in `mode`, in chunks of `chunkSize`.
    static func run(
        _ input: [UInt8], mode: Pipeline.Mode, chunkSize: Int = 4096, with p: Pseudonymizer = pseudonymizer(),
        clock: SyslogClock = clock(), correlation: Correlator.Options = Correlator.Options()
    ) -> [UInt8] {
        // Safe to force try: a single key never lacks an epoch, and the sink cannot fail.
        try! run(input, mode: mode, chunkSize: chunkSize, keys: SingleKey(p), clock: clock, correlation: correlation)
    }

    /// Runs `input` through the pipeline with a key ring; throws a missing epoch key.
    /// `jobs` > 1 runs lines and events on that many threads, in blocks of `blockBytes`.
    static func run(
        _ input: [UInt8], mode: Pipeline.Mode, chunkSize: Int = 4096, keys: KeyRing,
        clock: SyslogClock = clock(), correlation: Correlator.Options = Correlator.Options(),
        jobs: Int = 1, blockBytes: Int = 1 << 20
    ) throws -> [UInt8] {
        try run(Pipeline(mode: mode, keys: keys, clock: clock, correlation: correlation, jobs: jobs, blockBytes: blockBytes),
                input, chunkSize: chunkSize)
    }

    /// Feeds `input` to `pipeline` in chunks of `chunkSize` and returns all it wrote.
    static func run(_ pipeline: Pipeline, _ input: [UInt8], chunkSize: Int = 4096) throws -> [UInt8] {
        var output: [UInt8] = []
        let sink: (UnsafeRawBufferPointer) -> Void = { output.append(contentsOf: $0) }
        try input.withUnsafeBytes { bytes in
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + chunkSize)
                try pipeline.feed(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), sink: sink)
                start = end
            }
        }
        try pipeline.finish(sink: sink)
        return output
    }

    static func scrubLine(_ line: String, with p: Pseudonymizer = pseudonymizer()) -> String {
        var out: [UInt8] = []
        var bytes = Array(line.utf8)
        var scrubber = LineScrubber()
        bytes.withUnsafeMutableBytes { scrubber.scrub(UnsafeRawBufferPointer($0), with: p, into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The folder holding golden pairs, in the source tree so re-recording can write it.
    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
}

/// Compares `actual` with the checked-in golden file; `RECORD_GOLDEN=1` rewrites it
/// (and still fails, so a re-recording is never silent).
struct GoldenFile {
    var url: URL

    func check(_ actual: [UInt8]) -> String? {
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            try? Data(actual).write(to: url)
            return "re-recorded \(url.lastPathComponent); review the diff and run again without RECORD_GOLDEN"
        }
        guard let expected = try? Data(contentsOf: url) else {
            return "missing golden file \(url.path); run with RECORD_GOLDEN=1 to create it"
        }
        guard Array(expected) != actual else { return nil }
        return diff(expected: Array(expected), actual: actual)
    }

    /// A readable report of the first differing lines.
    private func diff(expected: [UInt8], actual: [UInt8]) -> String {
        let e = expected.split(separator: 0x0A, omittingEmptySubsequences: false)
        let a = actual.split(separator: 0x0A, omittingEmptySubsequences: false)
        var report = "\(url.lastPathComponent) differs (expected \(e.count) lines, got \(a.count)):\n"
        var shown = 0
        for i in 0..<max(e.count, a.count) where shown < 5 {
            let el = i < e.count ? String(decoding: e[i], as: UTF8.self) : "<none>"
            let al = i < a.count ? String(decoding: a[i], as: UTF8.self) : "<none>"
            if el != al {
                report += "line \(i + 1):\n- \(el)\n+ \(al)\n"
                shown += 1
            }
        }
        return report
    }
}
