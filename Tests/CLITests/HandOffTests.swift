import Foundation
import MailScrubCore
import Testing

/// The pieces of an unattended hand-off agree with each other: `hash` with the output,
/// `verify` with the policy, key labels with the store, and no command answers with a
/// key that matches no other run.
@Suite struct HandOffTests {
    typealias CLI = CLITests

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The scheduled config leaves the zone to the system, as the main config does.
    @Test func theScheduledConfigReadsStampsInTheSystemZone() throws {
        let text = try String(contentsOf: Self.repository.appendingPathComponent("config/scheduled/mailscrub.yml"), encoding: .utf8)
        let settings = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(!settings.contains { $0.hasPrefix("timezone:") })
        let config = try Config.parse(text, path: "mailscrub.yml")
        #expect(config.timezone == nil)
    }

    /// `hash` prints what the output holds, for every policy option that changes a value.
    @Test func hashPrintsExactlyWhatTheOutputHolds() throws {
        let dir = try CLI.scratchDirectory()
        let config = try CLI.writeConfig("secret: \(CLI.vectorSecret)\nrecipient_delimiter: \"+\"\n", in: dir)
        try Data("name: mixed\nip: truncate\nhostnames: hash\nhash_bytes: 12\nclear_domains: [example.org]\n".utf8)
            .write(to: dir.appendingPathComponent("mixed.yml"))
        let line = "May 20 22:17:06 mx1 postfix/smtp[1]: 3F2A81C0D4: to=<jane+news@example.org>, relay=mx.example.net[198.51.100.23]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 ok)\n"
        for policy in ["policy/strict.yml", "policy/default.yml", "mixed.yml"] {
            let path = policy.hasPrefix("policy/") ? Self.repository.appendingPathComponent(policy).path : dir.appendingPathComponent(policy).path
            let records = try CLI.run(["--config", config, "--policy", path], stdin: line, in: dir)
            #expect(records.status == 0, "\(records.stderr)")
            let record = try #require(try JSONSerialization.jsonObject(with: Data(records.stdout.utf8)) as? [String: Any])
            let scrubbed = try CLI.run(["--config", config, "--policy", path, "--emit", "lines"], stdin: line, in: dir).stdout
            let hashed = try CLI.run(["hash", "--config", config, "--policy", path, "198.51.100.23", "jane+news@example.org"], in: dir)
            let host = try CLI.run(["hash", "--config", config, "--policy", path, "--as", "host", "mx.example.net"], in: dir)
            let lines = hashed.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(hashed.status == 0 && lines.count == 3, "\(policy): \(hashed.stderr)")
            #expect(scrubbed.contains("to=<\(lines[1])>, relay=\(host.stdout.dropLast())[\(lines[0])]:25,"), "\(policy): \(scrubbed)")
            #expect(record["recipient"] as? String == lines[1], "\(policy)")
        }
    }

    /// Without a config `hash` refuses (a one-time key finds nobody), and so does
    /// `verify` unless told the pseudonym length; `--require-config` makes a scrub refuse.
    @Test func commandsThatMustMatchOtherRunsRefuseWithoutAConfig() throws {
        let dir = try CLI.scratchDirectory()
        let hash = try CLI.run(["hash", "alice@example.org"], in: dir)
        #expect(hash.status == 78 && hash.stdout == "" && hash.stderr.contains("hash needs the config"))
        let verify = try CLI.run(["verify"], stdin: "x\n", in: dir)
        #expect(verify.status == 78 && verify.stderr.contains("--hash-bytes"))
        #expect(try CLI.run(["verify", "--hash-bytes", "16"], stdin: "x\n", in: dir).status == 0)
        let keys = try CLI.run(["keys", "list"], in: dir)
        #expect(keys.status == 78)
        let required = try CLI.run(["--require-config", "--emit", "lines"], stdin: CLI.sampleLine, in: dir)
        #expect(required.status == 78 && required.stdout == "" && required.stderr.contains("--require-config"))
        let byEnvironment = try CLI.run(["--emit", "lines"], stdin: CLI.sampleLine, in: dir, environment: ["MAILSCRUB_REQUIRE_CONFIG": "1"])
        #expect(byEnvironment.status == 78 && byEnvironment.stdout == "")
        // The shipped scheduled jobs ask for it.
        for file in ["crontab", "mailscrub.service"] {
            let text = try String(contentsOf: Self.repository.appendingPathComponent("config/scheduled/\(file)"), encoding: .utf8)
            #expect(text.contains("--require-config"), "\(file)")
        }
    }

    /// Output under `clear_domains` passes `verify` with that policy, and only with it.
    @Test func clearDomainsPassVerifyUnderTheirPolicyOnly() throws {
        let dir = try CLI.scratchDirectory()
        let config = try CLI.writeConfig("secret: \(CLI.vectorSecret)\n", in: dir)
        let policy = dir.appendingPathComponent("clear.yml").path
        try Data("name: clear\nclear_domains: [example.org]\n".utf8).write(to: URL(fileURLWithPath: policy))
        let line = "May 20 22:17:06 mx1 postfix/smtp[1]: 3F2A81C0D4: to=<jane@Example.ORG>, relay=none, delay=1, delays=0/0/0/1, dsn=5.0.0, status=bounced (user unknown: bob@example.org)\n"
        for mode in ["records", "events", "lines"] {
            let out = try CLI.run(["--config", config, "--policy", policy, "--emit", mode], stdin: line, in: dir)
            #expect(out.status == 0 && out.stdout.contains("@example.org") && !out.stdout.contains("jane"), "\(mode): \(out.stdout)")
            let file = dir.appendingPathComponent("out.\(mode)")
            try Data(out.stdout.utf8).write(to: file)
            #expect(try CLI.run(["verify", "--config", config, "--policy", policy, file.path], in: dir).status == 0, "\(mode)")
            #expect(try CLI.run(["verify", "--config", config, file.path], in: dir).status == 65, "\(mode)")
        }
        // A clear domain in front of a local part that is no pseudonym still fails.
        let raw = dir.appendingPathComponent("raw.txt")
        try Data("to=<jane@example.org>\n".utf8).write(to: raw)
        #expect(try CLI.run(["verify", "--config", config, "--policy", policy, raw.path], in: dir).status == 65)
    }

    /// `keys import` takes only labels of the store's period, and replaces a key only
    /// with `--force`, which the refusal names.
    @Test func importedEpochLabelsMustBeTheStoresOwn() throws {
        let dir = try CLI.scratchDirectory()
        let config = try CLI.writeConfig("secret: \(CLI.vectorSecret)\nkey_store: keys\npolicy: daily.yml\n", in: dir)
        try Data("name: daily\nrotation:\n  period: daily\n  retain: 3\n".utf8).write(to: dir.appendingPathComponent("daily.yml"))
        for bad in ["garbage", "2026-13-45", "2026-02-30", "2026-W48", "2026-11", "../x"] {
            let result = try CLI.run(["keys", "import", "--config", config, "--epoch", bad], in: dir)
            #expect(result.status == 64 && result.stderr.contains("is not a daily epoch label"), "\(bad): \(result.stderr)")
        }
        #expect(try CLI.run(["keys", "import", "--config", config, "--epoch", "2026-11-24"], in: dir).status == 0)
        let again = try CLI.run(["keys", "import", "--config", config, "--epoch", "2026-11-24"], in: dir)
        #expect(again.status == 73 && again.stderr.contains("keys import --force"))
        #expect(try CLI.run(["keys", "import", "--config", config, "--epoch", "2026-11-24", "--force"], in: dir).status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("keys").path)
        #expect(files.filter { $0.hasSuffix(".key") } == ["2026-11-24.key"])
        // Once rotation destroyed it, the epoch takes no imported key without --force.
        #expect(try CLI.run(["keys", "rotate", "--config", config, "--now", "2026-11-30T10:00:00Z"], in: dir).stdout.contains("destroyed key for epoch 2026-11-24"))
        let destroyed = try CLI.run(["keys", "import", "--config", config, "--epoch", "2026-11-24"], in: dir)
        #expect(destroyed.status == 73 && destroyed.stderr.contains("was destroyed"))
    }

    @Test func epochLabelsReadBackOnlyWhenExact() {
        #expect(Epoch.start(label: "2026-11-24", .daily) == LogTime(rfc3339: "2026-11-24T00:00:00Z"))
        #expect(Epoch.start(label: "2026-W48", .weekly) == LogTime(rfc3339: "2026-11-23T00:00:00Z"))
        #expect(Epoch.start(label: "2026-W53", .weekly) == LogTime(rfc3339: "2026-12-28T00:00:00Z"))
        #expect(Epoch.start(label: "2025-W53", .weekly) == nil)
        #expect(Epoch.start(label: "2027-01", .monthly) == LogTime(rfc3339: "2027-01-01T00:00:00Z"))
        #expect(Epoch.start(label: "all", .never) == LogTime(seconds: 0))
        for bad in ["2026-1-24", "2026-11-24 ", "20261124", "2026-02-29", "+026-11-24", "2026-11-24", "2026-W48"] {
            #expect(Epoch.start(label: bad, .monthly) == nil, "\(bad)")
        }
    }

    /// `keygen` makes at most the last directory of its path, 0700; the default config
    /// path and key stores are ignored by git.
    @Test func keygenCreatesOnlyTheLastDirectoryAndSecretsAreIgnored() throws {
        let dir = try CLI.scratchDirectory()
        let deep = dir.appendingPathComponent("no/such/dir/x.yml").path
        let refused = try CLI.run(["keygen", "--output", deep], in: dir)
        #expect(refused.status == 73 && refused.stderr.contains("does not exist"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("no").path))
        let oneLevel = dir.appendingPathComponent("etc/x.yml").path
        #expect(try CLI.run(["keygen", "--output", oneLevel], in: dir).status == 0)
        let mode = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("etc").path)[.posixPermissions] as? Int
        #expect(mode == 0o700)
        let ignore = try String(contentsOf: Self.repository.appendingPathComponent(".gitignore"), encoding: .utf8)
        #expect(ignore.contains("config/mailscrub.yml\n") && ignore.contains("config/keys/"))
    }

    /// A `/bin/sh` command line of a shipped scheduled job, with its paths moved under
    /// `root`, the binary under test, and `date` answering for the simulated night.
    static func localized(_ command: String, root: URL) -> String {
        command
            .replacingOccurrences(of: "/usr/local/bin/mailscrub", with: CLI.binary.path)
            .replacingOccurrences(of: "/var/lib/mailscrub", with: root.appendingPathComponent("var/lib/mailscrub").path)
            .replacingOccurrences(of: "/var/log/mail.log.1", with: root.appendingPathComponent("var/log/mail.log.1").path)
    }

    /// The nightly commands exactly as the crontab line and the systemd unit run them.
    static func scheduledCommands(_ scheduler: String) throws -> (commands: [String], config: String) {
        let folder = repository.appendingPathComponent("config/scheduled")
        if scheduler == "cron" {
            let text = try String(contentsOf: folder.appendingPathComponent("crontab"), encoding: .utf8)
            let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
            let environment = try #require(lines.first { $0.hasPrefix("MAILSCRUB_CONFIG=") })
            let job = try #require(lines.first { $0.hasPrefix("30 0 ") })
            // Five time fields and the user, then the command; cron turns \% into %.
            let fields = job.split(separator: " ", maxSplits: 6, omittingEmptySubsequences: true)
            let command = String(fields[6]).trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\\%", with: "%")
            return ([command], String(environment.dropFirst("MAILSCRUB_CONFIG=".count)))
        }
        let text = try String(contentsOf: folder.appendingPathComponent("mailscrub.service"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        let environment = try #require(lines.first { $0.hasPrefix("Environment=MAILSCRUB_CONFIG=") })
        // systemd turns %% into %; each ExecStart runs in turn, the next only if it succeeded.
        let commands = lines.filter { $0.hasPrefix("ExecStart=") }.map { String($0.dropFirst("ExecStart=".count)).replacingOccurrences(of: "%%", with: "%") }
        return (commands, String(environment.dropFirst("Environment=MAILSCRUB_CONFIG=".count)))
    }

    /// Five simulated nights from an empty key store, installed as the scheduled config
    /// says, across a month change and with one night's log missing: each night that has
    /// a log leaves a dated output that passes `verify --manifest`, and the missing one
    /// fails loudly and leaves nothing.
    @Test(arguments: ["cron", "systemd"])
    func theShippedScheduledChainWorksFromTheFirstNight(scheduler: String) throws {
        let root = try CLI.scratchDirectory()
        let (commands, configPath) = try Self.scheduledCommands(scheduler)
        #expect(configPath == "/etc/mailscrub/mailscrub.yml")
        let etc = root.appendingPathComponent("etc/mailscrub")
        let fm = FileManager.default
        for folder in ["etc/mailscrub", "var/lib/mailscrub", "var/log", "bin"] {
            try fm.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        // The install steps of config/scheduled/mailscrub.yml.
        try fm.copyItem(at: Self.repository.appendingPathComponent("config/scheduled/mailscrub.yml"), to: etc.appendingPathComponent("mailscrub.yml"))
        try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: etc.appendingPathComponent("mailscrub.yml").path)
        try fm.copyItem(at: Self.repository.appendingPathComponent("policy/scheduled.yml"), to: etc.appendingPathComponent("policy.yml"))
        // `date -d yesterday +%F` as it would answer that night.
        let date = root.appendingPathComponent("bin/date")
        try Data("#!/bin/sh\necho \"$FAKE_YESTERDAY\"\n".utf8).write(to: date)
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: date.path)

        let nights = [("2026-02-26", "Feb 26"), ("2026-02-27", "Feb 27"), ("2026-02-28", "Feb 28"), ("2026-03-01", nil), ("2026-03-02", "Mar  2")]
        let log = root.appendingPathComponent("var/log/mail.log.1")
        let out = root.appendingPathComponent("var/lib/mailscrub")
        for (k, (day, stamp)) in nights.enumerated() {
            // The job runs at 00:30 the day after.
            let runAt = try #require(LogTime(rfc3339: day + "T00:30:00Z")).seconds + 86_400
            let now = Date(timeIntervalSince1970: TimeInterval(runAt))
            try? fm.removeItem(at: log)
            if let stamp {
                var text = ""
                for n in 0..<3 {
                    let id = "4104E3\(k)\(n)"
                    text += "\(stamp) 10:0\(n):00 mx postfix/qmgr[9]: \(id): from=<night\(k)sender@example.org>, size=\(100 + n), nrcpt=1 (queue active)\n"
                    text += "\(stamp) 10:0\(n):01 mx postfix/smtp[10]: \(id): to=<night\(k)rcpt\(n)@example.net>, relay=mx.example.net[198.51.100.\(n)]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 ok)\n"
                    text += "\(stamp) 10:0\(n):02 mx postfix/qmgr[9]: \(id): removed\n"
                }
                try Data(text.utf8).write(to: log)
                try fm.setAttributes([.modificationDate: now], ofItemAtPath: log.path)
            }
            let iso = ISO8601DateFormatter()
            let environment = [
                "MAILSCRUB_CONFIG": etc.appendingPathComponent("mailscrub.yml").path, "MAILSCRUB_NOW": iso.string(from: now),
                "FAKE_YESTERDAY": day, "PATH": root.appendingPathComponent("bin").path + ":/usr/bin:/bin", "TZ": "UTC",
            ]
            var status: Int32 = 0
            var errors = ""
            for command in commands where status == 0 {
                let result = try CLI.run(["-c", Self.localized(command, root: root)], in: root, environment: environment, executable: "/bin/sh")
                status = result.status
                errors += result.stderr
            }
            let output = out.appendingPathComponent("mail-\(day).ndjson")
            let leftovers = try fm.contentsOfDirectory(atPath: out.path).filter { $0.contains(".tmp") || $0.hasPrefix(".mailscrub") }
            #expect(leftovers.isEmpty || stamp == nil, "\(scheduler) \(day): \(leftovers)")
            guard stamp != nil else {
                #expect(status != 0 && errors.contains("mail.log.1: cannot open"), "\(scheduler) \(day): \(errors)")
                #expect(!fm.fileExists(atPath: output.path) && !fm.fileExists(atPath: output.path + ".tmp"))
                continue
            }
            #expect(status == 0, "\(scheduler) \(day): \(errors)")
            let records = try String(contentsOf: output, encoding: .utf8)
            #expect(records.split(separator: "\n").count == 3 && !records.contains("night") && !records.contains("example"))
            let verified = try CLI.run(["verify", "--manifest", output.path + ".manifest.json", output.path], in: root, environment: environment)
            #expect(verified.status == 0 && verified.stderr == "", "\(scheduler) \(day): \(verified.stderr)")
        }
        // The store keeps the retained days and the one after; the ledger remembers all.
        let keys = try fm.contentsOfDirectory(atPath: etc.appendingPathComponent("keys").path).filter { $0.hasSuffix(".key") }.sorted()
        #expect(keys.count == 8 && keys.first == "2026-02-25.key" && keys.last == "2026-03-04.key", "\(keys)")
    }

    /// Output paths are checked before any input is read, and `--output` never leaves a
    /// partial file: a failed run leaves nothing at FILE (an older file stays as it was).
    @Test func aFailedRunLeavesNoPartialOutput() throws {
        let dir = try CLI.scratchDirectory()
        let config = try CLI.writeConfig("secret: \(CLI.vectorSecret)\n", in: dir)
        let target = dir.appendingPathComponent("out.ndjson")
        let unwritable = try CLI.run(["--config", config, "--output", target.path, "--manifest", "/nonexistent/m.json"], stdin: CLI.sampleLine, in: dir)
        #expect(unwritable.status == 73 && unwritable.stderr.contains("--manifest") && !FileManager.default.fileExists(atPath: target.path))
        let toDirectory = try CLI.run(["--config", config, "--output", dir.path], stdin: CLI.sampleLine, in: dir)
        #expect(toDirectory.status == 73 && toDirectory.stderr.contains("names a directory"))

        let good = try CLI.run(["--config", config, "--emit", "lines", "--output", target.path], stdin: CLI.sampleLine, in: dir)
        #expect(good.status == 0 && good.stdout == "")
        let written = try Data(contentsOf: target)
        #expect(!written.isEmpty)
        // The second file is missing: exit 66 after the first was read, and out.ndjson
        // still holds the earlier run's output, with no temporary file beside it.
        let log = dir.appendingPathComponent("a.log")
        try Data(String(repeating: CLI.sampleLine, count: 2000).utf8).write(to: log)
        let failed = try CLI.run(["--config", config, "--emit", "lines", "--output", target.path, log.path, "missing.log"], in: dir)
        #expect(failed.status == 66)
        #expect(try Data(contentsOf: target) == written)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).allSatisfy { !$0.hasPrefix(".mailscrub") })
    }

    /// `verify --manifest` recomputes the output's SHA-256 and the seal.
    @Test func verifyChecksTheOutputAgainstItsManifest() throws {
        let dir = try CLI.scratchDirectory()
        let config = try CLI.writeConfig("secret: \(CLI.vectorSecret)\n", in: dir)
        let out = dir.appendingPathComponent("out.ndjson").path
        let manifest = dir.appendingPathComponent("m.json").path
        #expect(try CLI.run(["--config", config, "--emit", "lines", "--output", out, "--manifest", manifest], stdin: CLI.sampleLine, in: dir).status == 0)
        let ok = try CLI.run(["verify", "--config", config, "--manifest", manifest, out], in: dir)
        #expect(ok.status == 0 && ok.stderr == "", "\(ok.stderr)")
        // A recipient without the secret can check the digest; the seal is said unchecked.
        let recipient = try CLI.run(["verify", "--hash-bytes", "16", "--manifest", manifest, out], in: dir)
        #expect(recipient.status == 0 && recipient.stderr.contains("seal was not checked"))

        let text = try String(contentsOfFile: out, encoding: .utf8)
        try Data((text + text).utf8).write(to: URL(fileURLWithPath: out))
        let changed = try CLI.run(["verify", "--config", config, "--manifest", manifest, out], in: dir)
        #expect(changed.status == 65 && changed.stderr.contains("output_sha256 differs"))
        try Data(text.utf8).write(to: URL(fileURLWithPath: out))

        let sealed = try String(contentsOfFile: manifest, encoding: .utf8)
        try Data(sealed.replacingOccurrences(of: "\"input_lines\":1", with: "\"input_lines\":2").utf8).write(to: URL(fileURLWithPath: manifest))
        let altered = try CLI.run(["verify", "--config", config, "--manifest", manifest, out], in: dir)
        #expect(altered.status == 65 && altered.stderr.contains("seal does not match"))
        #expect(try CLI.run(["verify", "--config", config, "--manifest", out, out], in: dir).status == 65)
    }

    /// A mistyped subcommand is named; a bare run on a terminal says it reads stdin.
    @Test func mistypedSubcommandsAndATerminalAreSpokenTo() throws {
        let dir = try CLI.scratchDirectory()
        let typo = try CLI.run(["keygne"], in: dir)
        #expect(typo.status == 64 && typo.stderr == "mailscrub: keygne: no such file; did you mean 'mailscrub keygen'?\n")
        #expect(try CLI.run(["veirfy"], in: dir).stderr.contains("did you mean 'mailscrub verify'"))
        #expect(try CLI.run(["mail.log"], in: dir).status == 66)
        // On a terminal (script(1) gives the run one), before waiting for input.
        let config = try CLI.writeConfig("secret: \(CLI.vectorSecret)\n", in: dir)
        let terminal = try CLI.run(["-qec", "\(CLI.binary.path) --config \(config) --emit lines", "/dev/null"], stdin: CLI.sampleLine + "\u{4}", in: dir, executable: "/usr/bin/script")
        #expect(terminal.stdout.contains("reading standard input (Ctrl-D to end"), "\(terminal.stdout)")
        let piped = try CLI.run(["--config", config, "--emit", "lines"], stdin: CLI.sampleLine, in: dir)
        #expect(!piped.stderr.contains("reading standard input"))
    }
}
