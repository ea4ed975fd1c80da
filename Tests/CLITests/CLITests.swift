import Foundation
import MailScrubCore
import Testing

/// End-to-end tests of the built `mailscrub` binary: exit codes, stderr, files, pipes.
@Suite struct CLITests {
    static let vectorSecret = "correct horse battery staple 0123456789"

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The binary SwiftPM built beside this test bundle.
    static let binary: URL = {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return exe.deletingLastPathComponent().appendingPathComponent("mailscrub")
    }()

    /// A fresh empty directory to run in, so no config/ from the repository is found.
    static func scratchDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mailscrub-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func run(
        _ arguments: [String], stdin: String = "", stdinBytes: Data? = nil, in directory: URL,
        environment: [String: String] = [:], executable: String? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable.map { URL(fileURLWithPath: $0) } ?? binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "MAILSCRUB_CONFIG")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Standard input is written on its own thread: an input larger than a pipe holds
        // would otherwise wait for the output this thread has not read yet.
        let writer = input.fileHandleForWriting
        let bytes = stdinBytes ?? Data(stdin.utf8)
        let written = DispatchSemaphore(value: 0)
        Thread {
            writer.write(bytes)
            try? writer.close()
            written.signal()
        }.start()
        let errors = ErrorReader(error.fileHandleForReading)
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.wait()
        written.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self))
    }

    /// Reads a pipe to its end on its own thread (stderr, while stdout is read).
    final class ErrorReader: @unchecked Sendable {
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle) {
            Thread { [self] in
                data = handle.readDataToEndOfFile()
                done.signal()
            }.start()
        }

        func wait() -> Data {
            done.wait()
            return data
        }
    }

    static func writeConfig(_ text: String, in dir: URL, mode: Int = 0o600, name: String = "mailscrub.yml") throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
        return url.path
    }

    static let sampleLine = "Mar  3 09:15:09 mx postfix/qmgr[9]: 3F2A81C0D4: from=<elijah@riseup.net>, size=1, nrcpt=1 (queue active)\n"

    @Test func versionAndHelp() throws {
        let dir = try Self.scratchDirectory()
        #expect(try Self.run(["--version"], in: dir).stdout == "0.1.0\n")
        let help = try Self.run(["--help"], in: dir)
        #expect(help.status == 0)
        #expect(help.stdout.contains("Exit status:") && help.stdout.contains("mailscrub keygen"))
        // A bare `mailscrub` scrubs: its options are on the first help page, beside the
        // subcommands, and `-h` and `help` show the same page.
        for option in ["--emit <emit>", "--policy <policy>", "--stats", "--jobs <jobs>", "--progress", "SUBCOMMANDS:", "keys", "USAGE: mailscrub [scrub]"] {
            #expect(help.stdout.contains(option), "\(option)")
        }
        #expect(try Self.run(["-h"], in: dir).stdout == help.stdout)
        #expect(try Self.run(["help"], in: dir).stdout == help.stdout)
        #expect(try Self.run(["help", "keys"], in: dir).stdout.contains("USAGE: mailscrub keys <subcommand>"))
    }

    @Test func withoutConfigARandomKeyIsUsedAndSaidSo() throws {
        let dir = try Self.scratchDirectory()
        let result = try Self.run(["--emit", "lines"], stdin: Self.sampleLine, in: dir)
        #expect(result.status == 0)
        #expect(result.stderr.contains("one-time random key"))
        #expect(!result.stdout.contains("elijah") && result.stdout.hasSuffix("(queue active)\n"))
        let again = try Self.run(["--emit", "lines"], stdin: Self.sampleLine, in: dir)
        #expect(again.stdout != result.stdout, "two runs without config must not share a key")
    }

    @Test func testVectorsThroughHash() throws {
        let dir = try Self.scratchDirectory()
        let config = try Self.writeConfig("secret: \(Self.vectorSecret)\n", in: dir)
        let result = try Self.run(
            ["hash", "--config", config, "elijah@riseup.net", "Elijah <Elijah+lists@RiseUp.NET.>", "root", "<>",
             "<20160520221607.GA5201@riseup.net>", "192.0.2.1"], in: dir)
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout == """
            eb0d511bf7f469785f1f1dc61af78445@a572c4b0d254029fd8cd7fe058e939bd
            eb0d511bf7f469785f1f1dc61af78445@a572c4b0d254029fd8cd7fe058e939bd
            da9217018b9f5470d2b64a26fffaf80e

            f8f8ae57dad59404a49fbad1bdf39c8a
            0dbccc59ff442f0c732f4ea4b6c3f2b2

            """)
    }

    @Test func configFoundThroughEnvironmentAndDefaultPath() throws {
        let dir = try Self.scratchDirectory()
        let config = try Self.writeConfig("secret: \(Self.vectorSecret)\n", in: dir)
        let viaEnv = try Self.run(["hash", "root"], in: dir, environment: ["MAILSCRUB_CONFIG": config])
        #expect(viaEnv.stdout == "da9217018b9f5470d2b64a26fffaf80e\n")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("config"), withIntermediateDirectories: true)
        _ = try Self.writeConfig("secret: \(Self.vectorSecret)\n", in: dir.appendingPathComponent("config"))
        let viaDefault = try Self.run(["hash", "root"], in: dir)
        #expect(viaDefault.stdout == "da9217018b9f5470d2b64a26fffaf80e\n" && viaDefault.stderr == "")
    }

    /// Wrong configs: one line on stderr naming the file, exit 78, nothing on stdout, no secret.
    @Test(arguments: [
        ("secret: CHANGEME\n", 0o600, "example placeholder"),
        ("secret: short-but-secret\n", 0o600, "shorter than 30"),
        ("secret: \(vectorSecret)\n", 0o644, "chmod 600"),
        ("secret: \(vectorSecret)\n", 0o640, "permissions 0640"),
        ("secret: \(vectorSecret)\nbad: [\n", 0o600, "not valid YAML"),
        ("secret: \(vectorSecret)\nsalt: x\n", 0o600, ":2: unknown setting 'salt'"),
    ])
    func wrongConfigsFailClearly(_ text: String, _ mode: Int, _ expected: String) throws {
        let dir = try Self.scratchDirectory()
        let config = try Self.writeConfig(text, in: dir, mode: mode)
        let result = try Self.run(["--emit", "lines", "--config", config], stdin: Self.sampleLine, in: dir)
        #expect(result.status == 78)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("mailscrub: \(config)") && result.stderr.contains(expected), "\(result.stderr)")
        #expect(result.stderr.filter { $0 == "\n" }.count == 1)
        #expect(!result.stderr.contains("short-but-secret") && !result.stderr.contains(Self.vectorSecret))
    }

    @Test func unreadableConfigPaths() throws {
        let dir = try Self.scratchDirectory()
        let missing = try Self.run(["--config", dir.appendingPathComponent("nope.yml").path], in: dir)
        #expect(missing.status == 78 && missing.stderr.contains("nope.yml: cannot read config"))
        let directory = dir.appendingPathComponent("adir")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // A directory or a device is no config: say so, never advise chmod on it.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        let isDirectory = try Self.run(["--config", directory.path], in: dir)
        #expect(isDirectory.status == 78 && isDirectory.stderr.contains("adir: is a directory, not a config file"))
        #expect(!isDirectory.stderr.contains("chmod"))
        let device = try Self.run(["--config", "/dev/null"], in: dir)
        #expect(device.status == 78 && device.stderr.contains("/dev/null: is not a regular file") && !device.stderr.contains("chmod"))
    }

    @Test func keygenWritesAPrivateConfigOnceAndNeverPrintsTheSecret() throws {
        let dir = try Self.scratchDirectory()
        let first = try Self.run(["keygen"], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        let path = dir.appendingPathComponent("config/mailscrub.yml").path
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let secretLine = try #require(text.split(separator: "\n").first { $0.hasPrefix("secret: ") })
        let secret = secretLine.dropFirst("secret: ".count).filter { $0 != "\"" }
        #expect(secret.count >= 43)
        #expect(!first.stdout.contains(secret) && !first.stderr.contains(secret))
        // The new config works as is.
        let scrub = try Self.run(["--emit", "lines"], stdin: Self.sampleLine, in: dir)
        #expect(scrub.status == 0 && scrub.stderr == "")
        let refused = try Self.run(["keygen"], in: dir)
        #expect(refused.status == 73 && refused.stderr.contains("already exists"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        let forced = try Self.run(["keygen", "--force", "--output", path], in: dir)
        #expect(forced.status == 0)
        #expect(try String(contentsOfFile: path, encoding: .utf8) != text)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("config").path)
        #expect(leftovers == ["mailscrub.yml"], "no temporary files are left behind")
    }

    @Test func filesAreReadInOrderAndStdinByDash() throws {
        let dir = try Self.scratchDirectory()
        let config = try Self.writeConfig("secret: \(Self.vectorSecret)\n", in: dir)
        try Data("a: one\n".utf8).write(to: dir.appendingPathComponent("1.log"))
        try Data("b: two".utf8).write(to: dir.appendingPathComponent("2.log"))
        let result = try Self.run(["--emit", "lines", "--config", config, "1.log", "-", "2.log"], stdin: "c: stdin\n", in: dir)
        #expect(result.stdout == "a: one\nc: stdin\nb: two")
        let missing = try Self.run(["--emit", "lines", "--config", config, "1.log", "missing.log"], in: dir)
        #expect(missing.status == 66 && missing.stderr.contains("missing.log: cannot open"))
    }

    /// Archives made by the compression tools, shared with the decompressor tests.
    static let archives = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("DecompressionTests/Fixtures")

    @Test(arguments: ["records", "lines"])
    func archivesAreReadLikeTheirDecompressedText(mode: String) throws {
        let dir = try Self.scratchDirectory()
        let config = try Self.writeConfig("secret: \(Self.vectorSecret)\n", in: dir)
        let plain = try Self.run(["--emit", mode, "--config", config, Self.archives.appendingPathComponent("sample.log").path], in: dir)
        #expect(plain.status == 0 && !plain.stdout.isEmpty)
        for name in ["sample.log.gz", "sample.log.xz", "sample.log.zst", "sample.log.bz2", "two-members.log.gz"] {
            let path = Self.archives.appendingPathComponent(name).path
            let file = try Self.run(["--emit", mode, "--config", config, path], in: dir)
            #expect(file.status == 0 && file.stdout == plain.stdout, "\(name) as FILE")
            let piped = try Self.run(["--emit", mode, "--config", config], stdinBytes: try Data(contentsOf: URL(fileURLWithPath: path)), in: dir)
            #expect(piped.status == 0 && piped.stdout == plain.stdout, "\(name) on standard input")
        }
    }

    @Test func inputWithoutPostfixLinesIsNeverASilentSuccess() throws {
        let dir = try Self.scratchDirectory()
        let config = try Self.writeConfig("secret: \(Self.vectorSecret)\n", in: dir)
        func run(_ input: Data, _ mode: String = "records") throws -> Result {
            try Self.run(["--emit", mode, "--config", config], stdinBytes: input, in: dir)
        }
        var binary = Data()
        for i in 0..<4000 { binary.append(UInt8(truncatingIfNeeded: i &* 7919 >> 3)) }
        let junk = try run(binary)
        #expect(junk.status == 65 && junk.stderr.contains("lines read are Postfix lines; the input looks binary"))
        let dovecot = "May 20 22:16:41 mx1 dovecot: imap(ann@example.org): Logged out\n"
        let other = try run(Data(dovecot.utf8), "lines")
        #expect(other.status == 65)
        #expect(other.stderr == "mailscrub: 0 of 1 lines read are Postfix lines; the syslog lines come from other programs: is this the mail log? (a syslog_name without 'postfix' in it is not counted)\n")
        #expect(!other.stdout.contains("ann@"), "what was read is still written, scrubbed")
        let journal = try run(Data("{\"MESSAGE\":\"Started session\",\"SYSLOG_IDENTIFIER\":\"systemd\"}\n".utf8))
        #expect(journal.status == 65 && journal.stderr.contains("the journal entries come from other programs"))
        // A small share of Postfix lines is a warning; no input at all is a quiet night.
        let few = Self.sampleLine + String(repeating: dovecot, count: 40)
        let warned = try run(Data(few.utf8))
        #expect(warned.status == 0 && warned.stderr.contains("warning: 1 of 41 lines read are Postfix lines"))
        let empty = try run(Data())
        #expect(empty.status == 0 && empty.stderr.isEmpty && empty.stdout.isEmpty)
        // Lines without their syslog prefix (a grep, a paste) are Postfix's all the same.
        let pasted = "NOQUEUE: reject: RCPT from a[192.0.2.1]: 550 5.1.1 <ann@example.org>: no\n3F2A81C0D4: removed\n"
        for mode in ["lines", "records"] {
            let result = try run(Data(pasted.utf8), mode)
            #expect(result.status == 0 && result.stderr.isEmpty, "\(mode): \(result.stderr)")
        }
    }

    @Test func aCutArchiveFailsAfterProcessingWhatCameBefore() throws {
        let dir = try Self.scratchDirectory()
        let config = try Self.writeConfig("secret: \(Self.vectorSecret)\n", in: dir)
        let archive = try Data(contentsOf: Self.archives.appendingPathComponent("big.log.gz"))
        let cut = dir.appendingPathComponent("cut.log.gz")
        try archive.prefix(archive.count / 2).write(to: cut)
        let result = try Self.run(["--emit", "lines", "--config", config, cut.path], in: dir)
        #expect(result.status == 65)
        #expect(result.stderr == "mailscrub: \(cut.path): truncated gzip data: it ends at byte \(archive.count / 2) inside a compressed member\n")
        // Half the archive holds far more than one output block of complete lines.
        #expect(result.stdout.split(separator: "\n").count > 5000)
        #expect(!result.stdout.contains("example.org>"))
    }

    @Test(arguments: ["lines", "records", "events"])
    func closingTheOutputEarlyIsAQuietSuccess(mode: String) throws {
        let dir = try Self.scratchDirectory()
        let config = try Self.writeConfig("secret: \(Self.vectorSecret)\n", in: dir)
        let big = String(repeating: Self.flow, count: 20_000)
        try Data(big.utf8).write(to: dir.appendingPathComponent("big.log"))
        let script = "\"\(Self.binary.path)\" --emit \(mode) --config \(config) big.log | head -n 1 >/dev/null; echo \"status=${PIPESTATUS[0]}\""
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = dir
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(out == "status=0\n")
        #expect(err == "")
    }

    @Test func secretNeverReachesOutput() throws {
        let dir = try Self.scratchDirectory()
        let config = try Self.writeConfig("secret: \(Self.vectorSecret)\n", in: dir)
        let input = "May 20 22:16:40 mx1 postfix/cleanup[1]: x: \(Self.vectorSecret) to=<\(Self.vectorSecret)@example.org>\n"
        let result = try Self.run(["--emit", "lines", "--config", config], stdin: input, in: dir)
        #expect(result.status == 0)
        #expect(!result.stderr.contains("horse"))
        // The only way the secret reaches stdout is as log content: there it is scrubbed
        // where it is shaped like an address, and copied where it is free text.
        #expect(!result.stdout.contains("<\(Self.vectorSecret)@"))
    }

    static let flow = """
        Dec 30 23:59:58 mx postfix/smtpd[1]: 4104E3D: client=mail.example.net[198.51.100.23]
        Dec 30 23:59:59 mx postfix/qmgr[2]: 4104E3D: from=<kim@example.net>, size=100, nrcpt=1 (queue active)
        Dec 31 00:00:01 mx postfix/lmtp[3]: 4104E3D: to=<mia@example.org>, relay=mx[private/dovecot-lmtp], delay=3, delays=1/0/1/1, dsn=2.0.0, status=sent (250 ok)

        """

    @Test func recordsAreTheDefaultAndStatsGoToStderr() throws {
        let dir = try Self.scratchDirectory()
        let config = try Self.writeConfig("secret: \(Self.vectorSecret)\n", in: dir)
        let result = try Self.run(["--config", config, "--year", "2025", "--timezone", "UTC", "--stats"], stdin: Self.flow, in: dir)
        #expect(result.status == 0)
        let record = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(record["schema"] as? String == "mailscrub.delivery/1" && record["key_id"] as? String == "62f095e8")
        #expect(record["logged_at"] as? String == "2025-12-31T00:00:01Z")
        let expected = try Self.run(["hash", "--config", config, "mia@example.org"], in: dir).stdout
        #expect(record["recipient"] as? String == expected.trimmingCharacters(in: .newlines))
        #expect(!result.stdout.contains("mia") && !result.stdout.contains("kim@"))
        #expect(result.stderr.contains("stats: lines read=3 unrecognized=0"))
        #expect(result.stderr.contains("records by status: sent=1"))
        #expect(result.stderr.contains("evicted queue ids=0"))
    }

    @Test func timezoneShiftsTraditionalStamps() throws {
        let dir = try Self.scratchDirectory()
        let config = try Self.writeConfig("secret: \(Self.vectorSecret)\ntimezone: Asia/Tokyo\n", in: dir)
        let result = try Self.run(["--config", config, "--year", "2025"], stdin: Self.flow, in: dir)
        #expect(result.stdout.contains("\"logged_at\":\"2025-12-30T15:00:01Z\""))
        let bad = try Self.run(["--config", config, "--timezone", "Mars/Olympus"], stdin: Self.flow, in: dir)
        #expect(bad.status == 64 && bad.stderr.contains("unknown time zone 'Mars/Olympus' (--timezone)"))
    }

    /// A rotated file from last winter, read this year: its mtime anchors the year.
    @Test func fileModificationTimeAnchorsTheYear() throws {
        let dir = try Self.scratchDirectory()
        let config = try Self.writeConfig("secret: \(Self.vectorSecret)\ntimezone: UTC\n", in: dir)
        let file = dir.appendingPathComponent("mail.log.3")
        try Data(Self.flow.utf8).write(to: file)
        var january = DateComponents()
        (january.year, january.month, january.day) = (2024, 1, 2)
        let date = try #require(Calendar(identifier: .gregorian).date(from: january))
        try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: file.path)
        let result = try Self.run(["--config", config, "mail.log.3"], in: dir)
        #expect(result.stdout.contains("\"logged_at\":\"2023-12-31T00:00:01Z\""), "\(result.stdout)")
    }

    @Test func eventsModeWritesOneObjectPerLine() throws {
        let dir = try Self.scratchDirectory()
        let config = try Self.writeConfig("secret: \(Self.vectorSecret)\n", in: dir)
        let result = try Self.run(["--config", config, "--emit", "events", "--year", "2025"], stdin: Self.flow + "junk alice@example.org\n", in: dir)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[3].contains("\"event\":\"unrecognized\"") && !result.stdout.contains("alice"))
    }

    @Test func verifyPassesOwnOutputAndFailsOnAPlantedAddress() throws {
        let dir = try Self.scratchDirectory()
        let config = try Self.writeConfig("secret: \(Self.vectorSecret)\n", in: dir)
        let records = try Self.run(["--config", config, "--year", "2025"], stdin: Self.flow, in: dir).stdout
        try Data(records.utf8).write(to: dir.appendingPathComponent("out.ndjson"))
        let clean = try Self.run(["verify", "--config", config, "out.ndjson"], in: dir)
        #expect(clean.status == 0 && clean.stderr == "")
        let planted = records.replacingOccurrences(of: "\"orig_recipient\":null", with: "\"orig_recipient\":\"mia.planted@example.org\"")
        try Data(planted.utf8).write(to: dir.appendingPathComponent("bad.ndjson"))
        let bad = try Self.run(["verify", "--config", config, "bad.ndjson"], in: dir)
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("bad.ndjson:1:") && bad.stderr.contains("address is not a pseudonym"))
        #expect(!bad.stderr.contains("mia.planted"))
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    @Test func policyFromFlagOrConfigNextToIt() throws {
        let dir = try Self.scratchDirectory()
        let strict = Self.repository.appendingPathComponent("policy/strict.yml")
        try FileManager.default.copyItem(at: strict, to: dir.appendingPathComponent("strict.yml"))
        let config = try Self.writeConfig("secret: \(Self.vectorSecret)\npolicy: strict.yml\ntimezone: UTC\n", in: dir)
        let viaConfig = try Self.run(["--config", config, "--year", "2025"], stdin: Self.flow, in: dir)
        #expect(viaConfig.status == 0 && viaConfig.stdout.contains("\"logged_at\":\"2025-12-31T00:00:00Z\""))
        #expect(!viaConfig.stdout.contains("\"delays\""))
        let viaFlag = try Self.run(["--config", config, "--policy", Self.repository.appendingPathComponent("policy/research.yml").path, "--year", "2025"], stdin: Self.flow, in: dir)
        #expect(viaFlag.stdout.contains("\"delays\"") && !viaFlag.stdout.contains("\"logged_at\""))
    }

    @Test func badPoliciesAreRefusedWithFileAndLine() throws {
        let dir = try Self.scratchDirectory()
        let config = try Self.writeConfig("secret: \(Self.vectorSecret)\n", in: dir)
        try Data("name: x\nfields:\n  sender: keep\n".utf8).write(to: dir.appendingPathComponent("bad.yml"))
        let bad = try Self.run(["--config", config, "--policy", "bad.yml"], stdin: Self.flow, in: dir)
        #expect(bad.status == 78 && bad.stderr == "mailscrub: bad.yml:3: field 'sender' can only be hash or drop (it is a pseudonym)\n")
        try Data("rotation:\n  period: daily\n  retain: 7\n".utf8).write(to: dir.appendingPathComponent("rotating.yml"))
        let rotating = try Self.run(["--config", config, "--policy", "rotating.yml"], stdin: Self.flow, in: dir)
        #expect(rotating.status == 78 && rotating.stderr.contains("rotates keys (daily) but the config names no 'key_store'"))
        #expect(rotating.stdout == "")
    }

    @Test func keyRotationAcrossSimulatedDates() throws {
        let dir = try Self.scratchDirectory()
        try Data("name: rot\nrotation:\n  period: daily\n  retain: 2\n".utf8).write(to: dir.appendingPathComponent("rot.yml"))
        let config = try Self.writeConfig("secret: \(Self.vectorSecret)\nkey_store: keys\npolicy: rot.yml\ntimezone: UTC\n", in: dir)
        func rotate(_ now: String) throws -> Result { try Self.run(["keys", "rotate", "--config", config, "--now", now], in: dir) }
        func files() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("keys").path).filter { $0.hasSuffix(".key") }.sorted()
        }
        // The first run also creates yesterday's key (still retained): its log needs one.
        let first = try rotate("2026-03-03T10:00:00Z")
        #expect(first.status == 0 && first.stdout.contains("for epoch 2026-03-03") && first.stdout.contains("for epoch 2026-03-04"))
        #expect(try files() == ["2026-03-02.key", "2026-03-03.key", "2026-03-04.key"])
        let mode = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("keys/2026-03-03.key").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let again = try rotate("2026-03-03T10:00:00Z")
        #expect(again.status == 0 && again.stdout.hasPrefix("keys: nothing to do"))
        #expect(try files() == ["2026-03-02.key", "2026-03-03.key", "2026-03-04.key"])

        // Records of the third use the third's key; the same input gives the same output.
        let log = "Mar  3 09:00:01 mx postfix/smtp[2]: 4104E3D: to=<b@example.net>, relay=none, delay=1, delays=0/0/1/0, dsn=4.4.1, status=deferred (x)\n"
        let before = try Self.run(["--config", config, "--year", "2026"], stdin: log, in: dir)
        let repeated = try Self.run(["--config", config, "--year", "2026"], stdin: log, in: dir)
        #expect(before.status == 0 && before.stdout == repeated.stdout)
        let list = try Self.run(["keys", "list", "--config", config, "--now", "2026-03-04T10:00:00Z"], in: dir)
        #expect(list.stdout.contains("daily  2026-03-03  created 1 day(s) ago"))
        let secrets = try ["2026-03-03", "2026-03-04"].map { epoch in
            try String(contentsOf: dir.appendingPathComponent("keys/\(epoch).key"), encoding: .utf8)
                .split(separator: "\n").first { $0.hasPrefix("secret:") }!.dropFirst(9).dropLast()
        }
        for secret in secrets {
            #expect(!list.stdout.contains(secret) && !first.stdout.contains(secret) && !before.stdout.contains(secret))
        }

        // Two days on, the third's key is destroyed, and its records are refused.
        let later = try rotate("2026-03-05T10:00:00Z")
        #expect(later.stdout.contains("destroyed key for epoch 2026-03-03"))
        #expect(try files() == ["2026-03-04.key", "2026-03-05.key", "2026-03-06.key"])
        let refused = try Self.run(["--config", config, "--year", "2026"], stdin: log, in: dir)
        #expect(refused.status == 78 && refused.stderr.contains("no key for epoch 2026-03-03"))
        // Rotation with the clock set back never brings a destroyed key back.
        let back = try rotate("2026-03-03T10:00:00Z")
        #expect(back.status == 0 && !back.stdout.contains("created"))
        #expect(try files() == ["2026-03-04.key", "2026-03-05.key", "2026-03-06.key"])
    }

    @Test func importKeepsAnOldSecretForAnEpoch() throws {
        let dir = try Self.scratchDirectory()
        try Data("rotation:\n  period: monthly\n  retain: 3\n".utf8).write(to: dir.appendingPathComponent("rot.yml"))
        let config = try Self.writeConfig("secret: \(Self.vectorSecret)\nkey_store: keys\npolicy: rot.yml\n", in: dir)
        let imported = try Self.run(["keys", "import", "--config", config, "--now", "2026-03-10T00:00:00Z"], in: dir)
        #expect(imported.status == 0 && imported.stdout.contains("key 62f095e8) for epoch 2026-03"))
        let log = "Mar  3 09:00:01 mx postfix/smtp[2]: 4104E3D: to=<elijah@riseup.net>, relay=none, delay=1, delays=0/0/1/0, dsn=4.4.1, status=deferred (x)\n"
        let out = try Self.run(["--config", config, "--year", "2026", "--timezone", "UTC"], stdin: log, in: dir)
        #expect(out.stdout.contains("\"recipient\":\"eb0d511bf7f469785f1f1dc61af78445@a572c4b0d254029fd8cd7fe058e939bd\""))
        let hash = try Self.run(["hash", "--config", config, "--epoch", "2026-03", "elijah@riseup.net"], in: dir)
        #expect(hash.stdout == "eb0d511bf7f469785f1f1dc61af78445@a572c4b0d254029fd8cd7fe058e939bd\n")
        let gone = try Self.run(["hash", "--config", config, "--epoch", "2026-01", "elijah@riseup.net"], in: dir)
        #expect(gone.status == 78 && gone.stderr.contains("no key for epoch 2026-01"))
        // A label that is no monthly epoch is a usage error that says what one looks like.
        let bad = try Self.run(["hash", "--config", config, "--epoch", "2026-03-03", "elijah@riseup.net"], in: dir)
        #expect(bad.status == 64 && bad.stderr.contains("--epoch '2026-03-03' is not an epoch of policy") && bad.stderr.contains("monthly epochs are labelled like 20"))
        // hash uses the key ring a scrub builds: a rotating policy needs the key store.
        let noStore = try Self.writeConfig("secret: \(Self.vectorSecret)\npolicy: rot.yml\n", in: dir, name: "nostore.yml")
        let refused = try Self.run(["hash", "--config", noStore, "elijah@riseup.net"], in: dir)
        #expect(refused.status == 78 && refused.stderr.contains("names no 'key_store'"))
    }

    @Test func manifestDescribesTheRun() throws {
        let dir = try Self.scratchDirectory()
        let config = try Self.writeConfig("secret: \(Self.vectorSecret)\n", in: dir)
        let result = try Self.run(["--config", config, "--year", "2025", "--manifest", "run.json"], stdin: Self.flow + "junk\n", in: dir)
        #expect(result.status == 0)
        let data = try Data(contentsOf: dir.appendingPathComponent("run.json"))
        let m = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(m["input_lines"] as? Int == 4 && m["unrecognized_lines"] as? Int == 1)
        #expect(m["input_bytes"] as? Int == (Self.flow + "junk\n").utf8.count)
        #expect((m["records_by_status"] as? [String: Int]) == ["sent": 1])
        #expect(m["key_ids"] as? [String] == ["62f095e8"] && m["hmac_key_id"] as? String == "62f095e8")
        #expect(m["output_bytes"] as? Int == result.stdout.utf8.count)
        let digest = SHA256Digest.hex(Array(result.stdout.utf8))
        #expect(m["output_sha256"] as? String == digest)
        #expect((m["hmac"] as? String)?.count == 64)
        #expect(!String(decoding: data, as: UTF8.self).contains("horse"))
    }

    /// The shipped scheduled-run examples pass `check`, before and after the first rotation.
    @Test func checkPassesOnTheScheduledExamples() throws {
        let dir = try Self.scratchDirectory()
        let examples = Self.repository.appendingPathComponent("config/scheduled")
        for name in ["mailscrub.yml", "policy.yml", "mailscrub.service", "mailscrub.timer", "crontab"] {
            let source = examples.appendingPathComponent(name).resolvingSymlinksInPath()
            try FileManager.default.copyItem(at: source, to: dir.appendingPathComponent(name))
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: dir.appendingPathComponent("mailscrub.yml").path)
        let config = dir.appendingPathComponent("mailscrub.yml").path
        let before = try Self.run(["check", "--config", config, "--now", "2026-03-03T10:00:00Z"], in: dir)
        #expect(before.status == 0 && before.stdout.contains("policy: scheduled") && before.stdout.contains("keys: rotate daily, keep 7"))
        #expect(before.stdout.contains("'mailscrub keys rotate' creates it") && before.stdout.hasSuffix("result: ok (1 warning)\n"))
        #expect(try Self.run(["keys", "rotate", "--config", config, "--now", "2026-03-03T10:00:00Z"], in: dir).status == 0)
        let after = try Self.run(["check", "--config", config, "--now", "2026-03-03T10:00:00Z"], in: dir)
        #expect(after.status == 0 && after.stdout.contains("2026-03-03  (current)") && after.stdout.hasSuffix("result: ok\n"))
        // The service and cron job run exactly these subcommands.
        let service = try String(contentsOf: dir.appendingPathComponent("mailscrub.service"), encoding: .utf8)
        let cron = try String(contentsOf: dir.appendingPathComponent("crontab"), encoding: .utf8)
        for text in [service, cron] {
            #expect(text.contains("mailscrub keys rotate") && text.contains("--manifest") && text.contains("mailscrub verify"))
        }
    }

    @Test func checkReportsWeakChoicesAndFailsOnErrors() throws {
        let dir = try Self.scratchDirectory()
        try Data("name: weak\nhash_bytes: 8\nclear_domains: [example.org]\n".utf8).write(to: dir.appendingPathComponent("weak.yml"))
        let config = try Self.writeConfig("secret: \(Self.vectorSecret)\n", in: dir)
        let weak = try Self.run(["check", "--config", config, "--policy", "weak.yml"], in: dir)
        #expect(weak.status == 0 && weak.stdout.contains("below 12") && weak.stdout.contains("domains in clear: example.org"))
        #expect(!weak.stdout.contains(Self.vectorSecret))
        try Data("rotation:\n  period: weekly\n  retain: 4\n".utf8).write(to: dir.appendingPathComponent("rot.yml"))
        let noStore = try Self.run(["check", "--config", config, "--policy", "rot.yml"], in: dir)
        #expect(noStore.status == 78 && noStore.stderr.contains("names no 'key_store'"))
        let missing = try Self.run(["check", "--config", dir.appendingPathComponent("nope.yml").path], in: dir)
        #expect(missing.status == 78)
    }

    /// `--stats` counts lines by outcome and kind from the one parse every mode makes:
    /// the same counts in lines, events and records, on one thread or two.
    @Test func statsCountOutcomesAndKindsInEveryMode() throws {
        let dir = try Self.scratchDirectory()
        let config = try Self.writeConfig("secret: \(Self.vectorSecret)\n", in: dir)
        let log = """
            Mar  3 09:15:10 mx1 postfix/smtpd[3201]: connect from mail.example.net[203.0.113.7]
            Mar  3 09:15:10 mx1 postfix/smtpd[3201]: 3F2A81C0D4: client=mail.example.net[203.0.113.7]
            Mar  3 09:15:11 mx1 postfix/qmgr[3]: 3F2A81C0D4: from=<ann@example.net>, size=812, nrcpt=1 (queue active)
            3F2A81C0D4: to=<zoe@example.org>, relay=none, delay=1, status=sent (ok)
            Mar  3 09:15:12 mx1 postfix/smtpd[3201]: warning: hostname example.net does not resolve to address 203.0.113.7
            Mar  3 09:15:12 mx1 CRON[12]: (root) CMD (true)
            not a log line at all

            """
        let input = dir.appendingPathComponent("mixed.log")
        try Data(log.utf8).write(to: input)
        var seen: Set<String> = []
        for mode in ["lines", "events", "records"] {
            for jobs in ["1", "2"] {
                let result = try Self.run(["--config", config, "--emit", mode, "--jobs", jobs, "--stats", input.path], in: dir)
                #expect(result.status == 0, "\(mode) --jobs \(jobs): \(result.stderr)")
                let counts = result.stderr.split(separator: "\n").filter {
                    $0.contains("lines by outcome") || $0.contains("lines by kind") || $0.contains("lines by format")
                }.joined(separator: "\n")
                seen.insert(counts)
            }
        }
        #expect(seen.count == 1, "\(seen)")
        let counts = seen.first ?? ""
        #expect(counts.contains("lines by outcome: not-postfix=1 not-syslog=1 postfix-unsupported=1 understood=4"), "\(counts)")
        #expect(counts.contains("lines by kind: client=1 connect=1 delivery=1 queued=1 unrecognized=3"), "\(counts)")
        #expect(counts.contains("postfix=5"), "\(counts)")
    }

    /// `--jobs`: the same output, stats and manifest for every number of threads, on an
    /// input of several blocks, from a file and through a pipe.
    @Test func everyNumberOfJobsWritesTheSameBytes() throws {
        let dir = try Self.scratchDirectory()
        let config = try Self.writeConfig("secret: \(Self.vectorSecret)\n", in: dir)
        var log = ""
        for k in 0..<14_000 {
            let id = String(format: "%010X", 0x3F2A81C0D4 + k)
            log += "Mar  3 09:15:\(String(format: "%02d", k % 60)) mx postfix/smtpd[9]: \(id): client=c\(k % 97).example.net[192.0.2.\(k % 250)], sasl_username=user\(k)@example.org\n"
            log += "Mar  3 09:15:\(String(format: "%02d", k % 60)) mx postfix/qmgr[9]: \(id): from=<sender\(k)@example.org>, size=\(k), nrcpt=1 (queue active)\n"
            log += "Mar  3 09:16:\(String(format: "%02d", k % 60)) mx postfix/smtp[9]: \(id): to=<rcpt\(k)@example.net>, relay=mx.example.net[198.51.100.7]:25, delay=1, delays=0.1/0/0.4/0.5, dsn=2.0.0, status=sent (250 ok)\n"
        }
        let input = dir.appendingPathComponent("big.log")
        try Data(log.utf8).write(to: input)
        #expect(log.utf8.count > 3 << 20)
        for mode in ["lines", "events", "records"] {
            var first: (String, String, String)?
            for jobs in ["1", "2", "4"] {
                let manifest = dir.appendingPathComponent("m\(mode)\(jobs).json").path
                let result = try Self.run(
                    ["--config", config, "--emit", mode, "--jobs", jobs, "--stats", "--manifest", manifest, input.path], in: dir)
                #expect(result.status == 0, "\(mode) --jobs \(jobs): \(result.stderr)")
                #expect(!result.stdout.contains("sender1@") && result.stdout.split(separator: "\n").count == (mode == "records" ? 14_000 : 42_000))
                let sealed = try String(contentsOfFile: manifest, encoding: .utf8)
                if let first {
                    #expect(result.stdout == first.0 && result.stderr == first.1 && sealed == first.2, "\(mode) --jobs \(jobs)")
                } else {
                    first = (result.stdout, result.stderr, sealed)
                }
            }
            let piped = try Self.run(["--config", config, "--emit", mode, "--jobs", "2"], stdin: log, in: dir)
            #expect(piped.stdout == first?.0, "\(mode) through a pipe")
        }
        let zero = try Self.run(["--config", config, "--jobs", "0"], in: dir)
        #expect(zero.status == 64 && zero.stderr.contains("--jobs"))
    }
}
