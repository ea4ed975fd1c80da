#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Foundation
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

            With --manifest, the one FILE must also be the output that manifest describes:
            its SHA-256 is recomputed, and with the config's secret or key store the
            manifest's HMAC seal too; a mismatch exits 65.
            """
    )

    @OptionGroup var options: ConfigOptions

    @Option(help: "Pseudonym length in bytes, for checking without the config (as a recipient of the data would).")
    var hashBytes: Int?

    @Option(help: "The run manifest of the one FILE: check its output_sha256 and, with the key, its seal.")
    var manifest: String?

    @Argument(help: "Files to check; standard input when none (or '-').")
    var files: [String] = []

    func validate() throws {
        if manifest != nil, files.count != 1 || files == ["-"] {
            throw ValidationError("--manifest checks one output FILE: give exactly one")
        }
        if let hashBytes, !PseudonymOptions.hashBytesRange.contains(hashBytes) {
            throw ValidationError("--hash-bytes must be from 8 to 32")
        }
    }

    func run() throws {
        try reportingFailures {
            var bytes = hashBytes ?? 16
            var policy = Policy.builtInDefault
            if hashBytes == nil {
                // The config's hash_bytes, or the policy's when it sets one; without a
                // config the length is a guess, and a wrong one passes nothing or too much.
                let setup = try options.setup()
                guard setup.config != nil || options.policy?.isEmpty == false else {
                    throw Failure(.config, "verify needs the config (for hash_bytes and the policy) or --hash-bytes N, and no config was found (--config, $MAILSCRUB_CONFIG, \(ConfigLoader.defaultPath))")
                }
                bytes = setup.options.hashBytes
                policy = setup.policy
            } else if options.config != nil || options.policy != nil {
                policy = try options.setup().policy
            }
            if let manifest { try checkManifest(manifest, output: files[0]) }
            let verifier = OutputVerifier(hashBytes: bytes, policy: policy)
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

    /// Compares `output` with the manifest at `path`: output_sha256 always, the HMAC seal
    /// when a key with its id is at hand (the config's secret or the key store).
    private func checkManifest(_ path: String, output: String) throws {
        let bytes = try ConfigLoader.readFile(path, what: "manifest")
        let text = String(decoding: bytes, as: UTF8.self)
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              object["manifest"] as? String == RunManifest.schema,
              let expected = object["output_sha256"] as? String, let keyID = object["hmac_key_id"] as? String,
              let seal = object["hmac"] as? String else {
            throw Failure(.dataError, "verify: \(path): not a \(RunManifest.schema) manifest")
        }
        guard try Self.sha256(of: output) == expected else {
            throw Failure(.dataError, "verify: \(output) does not match its manifest \(path): output_sha256 differs (changed, cut short, or another run's)")
        }
        let setup = try options.setup()
        var candidates: [String] = []
        if let secret = setup.config?.secret, !secret.isEmpty { candidates.append(secret) }
        if let store = setup.keyStore, access(store.path, F_OK) == 0 {
            try store.checkPermissions()
            candidates += try store.keys().map(\.secret)
        }
        guard let secret = candidates.first(where: { Pseudonymizer(secret: $0).keyID == keyID }) else {
            StandardError.write("mailscrub: verify: \(path): output_sha256 matches; the seal was not checked (no key with id \(keyID) in the config or key store)")
            return
        }
        // The seal covers the text before `,"hmac":…` closed by `}` (see RunManifest).
        let suffix = ",\"hmac\":\"\(seal)\"}\n"
        guard text.hasSuffix(suffix) else { throw Failure(.dataError, "verify: \(path): the manifest's seal is not where it belongs") }
        let body = Array((text.dropLast(suffix.count) + "}").utf8)
        guard Pseudonymizer(secret: secret).manifestMAC(body) == seal else {
            throw Failure(.dataError, "verify: \(path): the manifest's seal does not match (altered, or sealed with another key)")
        }
    }

    /// Lowercase hex SHA-256 of a file's bytes as they are (never decompressed).
    static func sha256(of path: String) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(.noInput, "\(path): cannot open: \(errnoText())") }
        defer { close(fd) }
        let digest = SHA256Digest()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: InputFiles.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try readSome(fd, buffer.baseAddress!, buffer.count, path)
            if n == 0 { break }
            digest.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        return digest.finish()
    }
}
