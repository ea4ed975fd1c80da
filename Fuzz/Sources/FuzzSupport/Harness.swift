import Foundation
import MailScrubCore

/// One fuzz target: generates a log from the input, runs it through the pipeline in one
/// mode under one of the shipped policies, and checks three oracles. A failed oracle
/// prints what it saw and aborts, which libFuzzer records as a crash with its input.
///
/// - leak: no planted marker (`qz`, any case) reaches the output;
/// - verify: `mailscrub verify` (`OutputVerifier`) finds nothing in the output;
/// - determinism: the input fed in one chunk and split at random boundaries gives
///   the same bytes, and so does (lines and events) a run on two worker threads in
///   blocks of a few lines.
public final class Harness {
    private let mode: Pipeline.Mode
    /// The shipped policies (`policy/*.yml`), each with its own key; built once.
    private let rings: [(name: String, keys: SingleKey, verifier: OutputVerifier)]

    public init(mode: Pipeline.Mode) {
        self.mode = mode
        let policyDirectory = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("policy")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: policyDirectory.path))?
            .filter { $0.hasSuffix(".yml") }.sorted() ?? []
        precondition(!files.isEmpty, "no policies in \(policyDirectory.path)")
        rings = files.map { file in
            let path = policyDirectory.appendingPathComponent(file).path
            // Safe to force: the shipped policies are tested to parse.
            let text = try! String(contentsOfFile: path, encoding: .utf8)
            let policy = try! Policy.parse(text, path: path)
            let options = PseudonymOptions(hashBytes: policy.hashBytes ?? 16)
            let p = Pseudonymizer(secret: "mailscrub fuzzing secret, not for production", options: options, policy: policy)
            return (file, SingleKey(p), OutputVerifier(hashBytes: options.hashBytes, policy: policy))
        }
    }

    public func run(_ data: UnsafeRawBufferPointer) {
        guard data.count >= 2 else { return }
        let ring = rings[Int(data[0]) % rings.count]
        var seed = UInt64(data[1]) &+ 1
        var generator = Generator(UnsafeRawBufferPointer(rebasing: data[2...]))
        let log = generator.generate()

        let whole = process(log, keys: ring.keys) { _ in log.count }
        let split = process(log, keys: ring.keys) { remaining in
            // xorshift: chunk sizes from 1 to 64, the same for the same input.
            seed ^= seed << 13
            seed ^= seed >> 7
            seed ^= seed << 17
            return min(remaining, Int(seed % 64) + 1)
        }
        if !same(whole, split) { fail("determinism", ring.name, log, whole, detail: split) }
        let blockBytes = Int(seed % 300) + 1
        let parallel = process(log, keys: ring.keys, jobs: 2, blockBytes: blockBytes) { remaining in min(remaining, 97) }
        if !same(whole, parallel) { fail("determinism on two threads, blocks of \(blockBytes)", ring.name, log, whole, detail: parallel) }
        // Records and events are JSON, which strict readers take only as well-formed UTF-8
        // (lines mode passes the log's own bytes through).
        if mode != .lines, String(validating: whole, as: UTF8.self) == nil {
            fail("output is not well-formed UTF-8", ring.name, log, whole)
        }
        if let leak = markerOffset(whole) {
            let lineStart = whole[..<leak].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            let lineEnd = whole[leak...].firstIndex(of: 0x0A) ?? whole.count
            fail("leak at byte \(leak) in: \(String(decoding: whole[lineStart..<lineEnd], as: UTF8.self))", ring.name, log, whole)
        }
        var findings: [OutputVerifier.Finding] = []
        whole.withUnsafeBytes { out in
            var lineStart = 0
            var number = 1
            while lineStart <= out.count {
                let lineEnd = lineStart == out.count ? lineStart
                    : memchr(out.baseAddress! + lineStart, 0x0A, out.count - lineStart).map { UnsafeRawPointer($0) - out.baseAddress! } ?? out.count
                ring.verifier.check(UnsafeRawBufferPointer(rebasing: out[lineStart..<lineEnd]), lineNumber: number, into: &findings)
                lineStart = lineEnd + 1
                number += 1
            }
        }
        if let first = findings.first {
            fail("verify: \(first.kind) at line \(first.line) column \(first.column)", ring.name, log, whole)
        }
    }

    private func process(_ log: [UInt8], keys: SingleKey, jobs: Int = 1, blockBytes: Int = 1 << 20, chunk: (Int) -> Int) -> [UInt8] {
        let clock = SyslogClock(fixedYear: 2026, anchorYear: 2026, anchorMonth: 12, zoneOffset: { _ in 0 })
        let pipeline = Pipeline(
            mode: mode, keys: keys, clock: clock,
            correlation: Correlator.Options(maxOpenMessages: 1000), maxLineLength: 4096, jobs: jobs, blockBytes: blockBytes)
        var output: [UInt8] = []
        let sink: (UnsafeRawBufferPointer) -> Void = { output.append(contentsOf: $0) }
        log.withUnsafeBytes { bytes in
            var start = 0
            while start < bytes.count {
                let end = start + max(1, chunk(bytes.count - start))
                // Safe to force: a single key has every epoch and the sink cannot throw.
                try! pipeline.feed(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), sink: sink)
                start = end
            }
            try! pipeline.finish(sink: sink)
        }
        return output
    }

    /// Offset of the first `qz` (any case) in `output`. Output rarely holds a `z`, so the
    /// search jumps from one `z` or `Z` to the next with memchr and looks behind it.
    private func markerOffset(_ output: [UInt8]) -> Int? {
        output.withUnsafeBytes { out -> Int? in
            guard out.count >= 2, let base = out.baseAddress else { return nil }
            var earliest: Int?
            for z: Int32 in [0x7A, 0x5A] {
                var from = 1
                while from < out.count, let hit = memchr(base + from, z, out.count - from) {
                    let at = UnsafeRawPointer(hit) - base
                    if out[at - 1] | 0x20 == 0x71 {
                        earliest = min(earliest ?? at - 1, at - 1)
                        break
                    }
                    from = at + 1
                }
            }
            return earliest
        }
    }

    /// Byte equality through memcmp, which the fuzzer's instrumentation leaves alone:
    /// Swift's element-wise `==` was a tenth of an execution.
    private func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.count == b.count && (a.isEmpty || a.withUnsafeBytes { x in b.withUnsafeBytes { y in memcmp(x.baseAddress!, y.baseAddress!, a.count) == 0 } })
    }

    private func fail(_ what: String, _ policy: String, _ log: [UInt8], _ output: [UInt8], detail: [UInt8]? = nil) -> Never {
        var message = "ORACLE FAILED: \(what) (mode \(mode.rawValue), policy \(policy))\n--- input\n"
        message += String(decoding: log, as: UTF8.self)
        message += "\n--- output\n" + String(decoding: output, as: UTF8.self)
        if let detail { message += "\n--- output fed in chunks\n" + String(decoding: detail, as: UTF8.self) }
        FileHandle.standardError.write(Data((message + "\n").utf8))
        // The exact bytes, for replaying the log through the mailscrub binary.
        if let path = ProcessInfo.processInfo.environment["FUZZ_DUMP_LOG"] {
            FileManager.default.createFile(atPath: path, contents: Data(log))
        }
        abort()
    }
}
