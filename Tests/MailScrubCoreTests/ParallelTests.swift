import Foundation
import MailScrubBase
import Testing
@testable import MailScrubCore
@testable import MailScrubCorrelation
@testable import MailScrubKeys
@testable import MailScrubParsing

/// `--jobs`: lines and events on several threads give, byte for byte, what one thread
/// gives, with the same counts, key ids and errors, however the input is cut.
@Suite struct ParallelTests {
    /// Every input among the golden files.
    static let inputs: [String] = {
        let root = TestSupport.goldenDirectory
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return folders.flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)) ?? [])
                .filter { $0.hasSuffix(".log") || $0 == "journal.json" || $0 == "journal-seq.json" || $0 == "journal-export.txt" }
                .map { "\(folder)/\($0)" }
        }.sorted()
    }()

    static func input(_ name: String) throws -> [UInt8] {
        try Array(Data(contentsOf: TestSupport.goldenDirectory.appendingPathComponent(name)))
    }

    /// A pipeline for both runs of a comparison: `jobs` threads, blocks of `blockBytes`.
    static func pipeline(
        _ mode: Pipeline.Mode, keys: KeyRing, clock: SyslogClock = TestSupport.clock(), now: LogTime = LogTime(seconds: 0),
        correlation: Correlator.Options = Correlator.Options(), jobs: Int = 1, blockBytes: Int = 1 << 20
    ) -> Pipeline {
        Pipeline(mode: mode, keys: keys, clock: clock, now: now, correlation: correlation, jobs: jobs, blockBytes: blockBytes)
    }

    /// Output as text, so a failure shows lines, not bytes.
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// What a run left to compare besides its output.
    static func counts(_ p: Pipeline) -> String {
        "\(p.lineCount) \(p.truncatedLineCount) \(p.linesWithNUL) \(p.postfixLineCount) \(p.linesByFormat.sorted { $0.key < $1.key }) "
            + "\(p.linesByKind.sorted { $0.key.rawValue < $1.key.rawValue }) \(p.linesByOutcome.sorted { $0.key.rawValue < $1.key.rawValue }) "
            + "\(p.keyIDsUsed.sorted()) \(p.recordsByStatus.sorted { $0.key < $1.key }) \(p.evictedMessages)"
    }

    @Test(arguments: inputs)
    func everyGoldenInputIsTheSameOnSeveralThreads(name: String) throws {
        let input = try Self.input(name)
        for mode in Pipeline.Mode.allCases {
            let one = Self.pipeline(mode, keys: SingleKey(TestSupport.pseudonymizer()))
            let expected = try TestSupport.run(one, input)
            // A block of one line, a few lines, and the whole input; chunks of 1 to 4096.
            for (jobs, blockBytes, chunkSize) in [(2, 1, 13), (3, 97, 1), (2, 4096, 4096), (4, 700, 61)] {
                let many = Self.pipeline(mode, keys: SingleKey(TestSupport.pseudonymizer()), jobs: jobs, blockBytes: blockBytes)
                let output = try TestSupport.run(many, input, chunkSize: chunkSize)
                #expect(Self.text(output) == Self.text(expected), "\(name) \(mode) jobs=\(jobs) block=\(blockBytes) chunk=\(chunkSize)")
                #expect(Self.counts(many) == Self.counts(one), "\(name) \(mode) jobs=\(jobs)")
            }
        }
    }

    /// `local_domains`, `max_age` and `max_open_messages` hold on every thread: the
    /// correlating one gets them too.
    @Test func correlationSettingsReachEveryThread() throws {
        var log = try Self.input("records/direction-local-domains.log")
        // Messages left open, for the cap to evict.
        for k in 0..<1500 {
            log += Array("Jan  2 10:00:00 mx postfix/smtpd[9]: \(String(0xA0000 + k, radix: 16, uppercase: true)): client=a[192.0.2.1]\n".utf8)
        }
        let settings = Correlator.Options(localDomains: ["example.org"], maxAge: 3600, maxOpenMessages: 1000)
        let one = Self.pipeline(.records, keys: SingleKey(TestSupport.pseudonymizer()), correlation: settings)
        let expected = try TestSupport.run(one, log)
        let defaults = Self.pipeline(.records, keys: SingleKey(TestSupport.pseudonymizer()))
        #expect(Self.text(try TestSupport.run(defaults, log)) != Self.text(expected), "the settings change the records")
        #expect(one.evictedMessages > 0)
        for (jobs, blockBytes) in [(2, 300), (3, 4096)] {
            let many = Self.pipeline(.records, keys: SingleKey(TestSupport.pseudonymizer()), correlation: settings,
                                     jobs: jobs, blockBytes: blockBytes)
            #expect(Self.text(try TestSupport.run(many, log, chunkSize: 777)) == Self.text(expected), "jobs=\(jobs)")
            #expect(Self.counts(many) == Self.counts(one), "jobs=\(jobs)")
        }
    }

    /// Under `--year 2026` a block that starts in January after December cannot know the
    /// year went on: it is read again in order (records: correlated in order, where the
    /// times are read), so its lines say 2027.
    @Test func aYearCrossedBeforeABlockStartsIsCarriedIntoIt() throws {
        var log = ""
        for (day, month) in [(30, "Dec"), (31, "Dec"), (1, "Jan"), (2, "Jan")] {
            for k in 0..<20 {
                log += "\(month) \(day < 10 ? " " : "")\(day) 10:00:\(String(format: "%02d", k)) mx postfix/smtp[7]: 3F2A81C0D4: to=<z\(k)@example.org>, relay=none, delay=1, status=sent (ok)\n"
            }
        }
        let input = Array(log.utf8)
        for mode in Pipeline.Mode.allCases {
            let one = Self.pipeline(mode, keys: SingleKey(TestSupport.pseudonymizer()), clock: TestSupport.clock(year: 2026))
            let expected = try TestSupport.run(one, input)
            if mode != .lines { #expect(String(decoding: expected, as: UTF8.self).contains("\"2027-01-02T10:00:19Z\"")) }
            for blockBytes in [1, 300, 5000] {
                let many = Self.pipeline(mode, keys: SingleKey(TestSupport.pseudonymizer()), clock: TestSupport.clock(year: 2026),
                                         jobs: 2, blockBytes: blockBytes)
                #expect(Self.text(try TestSupport.run(many, input, chunkSize: 333)) == Self.text(expected), "\(mode) block=\(blockBytes)")
            }
        }
    }

    static let secrets = [
        "2026-03-03": "secret of the third of march, 0123456789",
        "2026-03-04": "secret of the fourth of march, 012345678",
        "2026-03-05": "secret of the fifth of march, 0123456789",
    ]

    /// Lines of three days under daily keys, each day followed by lines without a stamp
    /// (a grep by queue id pasted in), whose key is the latest day's.
    static var rotatingLog: [UInt8] {
        var log = ""
        for day in 3...5 {
            for k in 0..<15 {
                log += "Mar  \(day) 09:00:\(String(format: "%02d", k)) mx postfix/smtp[2]: 4104E3D: to=<b\(k)@example.net>, relay=none, delay=1, delays=0/0/1/0, dsn=4.4.1, status=deferred (x)\n"
            }
            for k in 0..<5 { log += "4104E3D: to=<pasted\(k)@example.net>, relay=none, delay=1, delays=0/0/1/0, dsn=4.4.1, status=deferred (x)\n" }
        }
        return Array(log.utf8)
    }

    /// Past two workers, blocks shrink so that the input in flight stays within
    /// `bytesInFlight` (down to 64 KiB blocks); at two, blocks are what they always were,
    /// and a smaller limit (as these tests set) is kept.
    @Test func blocksInFlightStayWithinTheBudget() {
        #expect(Pipeline.parallelBlockBytes(mode: .lines, jobs: 2, limit: 1 << 20) == 1 << 20)
        #expect(Pipeline.parallelBlockBytes(mode: .records, jobs: 2, limit: 1 << 20) == 512 << 10)
        #expect(Pipeline.parallelBlockBytes(mode: .events, jobs: 2, limit: 300) == 300)
        for mode in Pipeline.Mode.allCases {
            for jobs in 2...64 {
                let size = Pipeline.parallelBlockBytes(mode: mode, jobs: jobs, limit: 1 << 20)
                let inFlight = (mode == .records ? 4 : 2) * jobs
                #expect(size == 64 << 10 || size * inFlight <= Pipeline.bytesInFlight, "\(mode) jobs=\(jobs)")
                #expect(size >= 64 << 10)
            }
        }
    }

    @Test func rotatingKeysPickTheSameKeyForLinesWithoutAStampAndSealWithTheLast() throws {
        let now = RotationTests.at("2026-03-03T00:00:00Z")
        for mode in Pipeline.Mode.allCases {
            let oneRing = RotationTests.ring(Self.secrets)
            let one = Self.pipeline(mode, keys: oneRing, clock: TestSupport.clock(year: 2026), now: now)
            let expected = try TestSupport.run(one, Self.rotatingLog)
            #expect(one.keyIDsUsed.count == 3)
            // Six workers share their memos' memory: the rings' pseudonymizers have smaller ones.
            for (jobs, blockBytes) in [(3, 1), (3, 250), (3, 2000), (6, 250)] {
                let ring = RotationTests.ring(Self.secrets)
                let many = Self.pipeline(mode, keys: ring, clock: TestSupport.clock(year: 2026), now: now, jobs: jobs, blockBytes: blockBytes)
                #expect(Self.text(try TestSupport.run(many, Self.rotatingLog, chunkSize: 100)) == Self.text(expected), "\(mode) jobs=\(jobs) block=\(blockBytes)")
                #expect(many.keyIDsUsed == one.keyIDsUsed)
                #expect(ring.sealing?.keyID == oneRing.sealing?.keyID)
            }
        }
    }

    @Test(arguments: Pipeline.Mode.allCases)
    func aMissingEpochFailsAtTheSameEpochAfterWholeLines(mode: Pipeline.Mode) throws {
        var secrets = Self.secrets
        secrets["2026-03-04"] = nil
        let now = RotationTests.at("2026-03-03T00:00:00Z")
        let everything = try TestSupport.run(Self.pipeline(mode, keys: RotationTests.ring(Self.secrets), clock: TestSupport.clock(year: 2026), now: now), Self.rotatingLog)
        for jobs in [1, 2, 3] {
            let many = Self.pipeline(mode, keys: RotationTests.ring(secrets), clock: TestSupport.clock(year: 2026), now: now, jobs: jobs, blockBytes: 300)
            var output: [UInt8] = []
            #expect(throws: KeyError(epoch: "2026-03-04")) {
                try Self.rotatingLog.withUnsafeBytes { b in
                    try many.feed(b) { output.append(contentsOf: $0) }
                    try many.finish { output.append(contentsOf: $0) }
                }
            }
            // What was written is whole lines of the run that had every key.
            #expect(everything.starts(with: output) && (output.isEmpty || output.last == ASCII.newline), "\(mode) jobs=\(jobs)")
        }
    }

    static func delivery(_ stamp: String, _ k: Int) -> String {
        "\(stamp) mx postfix/smtp[7]: 3F2A81C0D4: to=<z\(k)@example.org>, relay=none, delay=1, status=sent (ok)\n"
    }

    /// Runs `files` (each with its anchor) through one pipeline, as the CLI reads files.
    static func runFiles(_ mode: Pipeline.Mode, _ files: [((Int, Int)?, [UInt8])], jobs: Int, blockBytes: Int) throws -> String {
        let pipeline = Self.pipeline(mode, keys: SingleKey(TestSupport.pseudonymizer()), jobs: jobs, blockBytes: blockBytes)
        var output: [UInt8] = []
        let sink: (UnsafeRawBufferPointer) -> Void = { output.append(contentsOf: $0) }
        for (anchor, bytes) in files {
            try pipeline.startFile(anchor: anchor)
            try bytes.withUnsafeBytes { try pipeline.feed($0, sink: sink) }
        }
        try pipeline.finish(sink: sink)
        return Self.text(output)
    }

    /// Each file's stamps take their year from that file's anchor, in every block.
    @Test(arguments: [Pipeline.Mode.events, .records])
    func eachFileKeepsItsOwnYearAnchor(mode: Pipeline.Mode) throws {
        let first = Array((0..<30).map { Self.delivery("Nov 28 10:00:00", $0) }.joined().utf8)
        let second = Array((0..<30).map { Self.delivery("Feb  2 10:00:00", $0) }.joined().utf8)
        let files: [((Int, Int)?, [UInt8])] = [((2025, 12), first), ((2026, 3), second)]
        let text = try Self.runFiles(mode, files, jobs: 1, blockBytes: 200)
        #expect(text.contains("2025-11-28T10:00:00Z") && text.contains("2026-02-02T10:00:00Z"))
        #expect(try Self.runFiles(mode, files, jobs: 2, blockBytes: 200) == text, "\(mode)")
    }

    /// A file starts its year afresh from its anchor even when the anchor is the one of
    /// the file before: on one thread, `startFile` forgets the year stamps had stepped
    /// into, and so must every block.
    @Test(arguments: Pipeline.Mode.allCases)
    func aFileWithTheSameAnchorStartsItsYearAfresh(mode: Pipeline.Mode) throws {
        // Under a June anchor, December is last year's, and the January after it this year's.
        let first = Array(((0..<20).map { Self.delivery("Dec 30 10:00:00", $0) } + (0..<20).map { Self.delivery("Jan  2 10:00:00", $0) }).joined().utf8)
        let second = Array((0..<20).map { Self.delivery("Dec 31 10:00:00", $0) }.joined().utf8)
        let files: [((Int, Int)?, [UInt8])] = [((2026, 6), first), ((2026, 6), second)]
        let one = try Self.runFiles(mode, files, jobs: 1, blockBytes: 300)
        if mode != .lines { #expect(one.contains("2025-12-31T10:00:00Z") && !one.contains("2026-12-31"), "\(one.prefix(300))") }
        for blockBytes in [1, 300, 5000] {
            #expect(try Self.runFiles(mode, files, jobs: 2, blockBytes: blockBytes) == one, "\(mode) block=\(blockBytes)")
        }
    }

    /// An export entry cut by the end of its file ends there, on any number of threads:
    /// the next file's first line is not one of its fields.
    @Test func anExportEntryNeverSpansFiles() throws {
        let first = Array("__REALTIME_TIMESTAMP=1716243426000000\n_HOSTNAME=mx\nSYSLOG_IDENTIFIER=postfix/smtpd\nMESSAGE=connect from a.example.com[192.0.2.1]\n".utf8)
        let second = Array("MESSAGE=disconnect from b.example.com[192.0.2.2]\nMay 20 22:17:06 mx postfix/smtpd[1]: connect from c.example.com[192.0.2.3]\n".utf8)
        for mode in Pipeline.Mode.allCases {
            func run(jobs: Int) throws -> String {
                let pipeline = Self.pipeline(mode, keys: SingleKey(TestSupport.pseudonymizer()), jobs: jobs, blockBytes: 50)
                var output: [UInt8] = []
                let sink: (UnsafeRawBufferPointer) -> Void = { output.append(contentsOf: $0) }
                try pipeline.startFile(anchor: nil)
                try first.withUnsafeBytes { try pipeline.feed($0, sink: sink) }
                try pipeline.startFile(anchor: nil)
                try second.withUnsafeBytes { try pipeline.feed($0, sink: sink) }
                try pipeline.finish(sink: sink)
                return Self.text(output)
            }
            let one = try run(jobs: 1)
            // Events: the entry, then the second file's two lines as text; lines: the
            // entry written back and closed, then those two lines as they were.
            if mode == .events {
                #expect(one.split(separator: "\n").count == 3, "\(one)")
            } else if mode == .lines {
                #expect(one.contains("]\n\nMESSAGE=disconnect from b.example.com["), "\(one)")
            }
            #expect(!one.contains("192.0.2"))
            #expect(try run(jobs: 2) == one, "\(mode)")
        }
    }

    /// A flush waits for every block read so far (`tail -F` sees each line at once).
    @Test func flushWritesEverythingReadSoFar() throws {
        let pipeline = Self.pipeline(.lines, keys: SingleKey(TestSupport.pseudonymizer()), jobs: 2, blockBytes: 1 << 20)
        var output: [UInt8] = []
        let line = Array("May 20 22:17:06 mx1 postfix/smtpd[1]: connect from a.example.com[192.0.2.1]\nMay 20 22:17".utf8)
        try line.withUnsafeBytes { try pipeline.feed($0) { output.append(contentsOf: $0) } }
        try pipeline.flush { output.append(contentsOf: $0) }
        #expect(output.count > 20 && output.last == ASCII.newline && !String(decoding: output, as: UTF8.self).contains("192.0.2.1"))
        try pipeline.finish { output.append(contentsOf: $0) }
        #expect(output.split(separator: ASCII.newline).count == 2)
    }
}
