import ArgumentParser
import Foundation
import MailScrubCore

/// The options that choose config and policy, shared by every subcommand that reads them.
struct ConfigOptions: ParsableArguments {
    @Option(help: "Config file (default: $MAILSCRUB_CONFIG, else config/mailscrub.yml).")
    var config: String?

    @Option(help: "Policy file (default: config 'policy', else the built-in default policy).")
    var policy: String?

    func setup() throws -> ConfigLoader.Setup {
        try ConfigLoader.setup(explicit: config, policyPath: policy)
    }
}

/// `--now` of `keys` and `check`: the given RFC 3339 time, else $MAILSCRUB_NOW (the
/// clock every subcommand reads, for tests and backfills), else the system clock.
func currentTime(_ text: String?) throws -> LogTime {
    if let text {
        guard let time = LogTime(rfc3339: text) else {
            throw Failure(.usage, "--now must be an RFC 3339 time such as 2026-11-24T03:00:00Z")
        }
        return time
    }
    if let env = ProcessInfo.processInfo.environment["MAILSCRUB_NOW"], !env.isEmpty {
        guard let time = LogTime(rfc3339: env) else {
            throw Failure(.usage, "$MAILSCRUB_NOW must be an RFC 3339 time such as 2026-11-24T03:00:00Z")
        }
        return time
    }
    return LogTime(seconds: Int64(Date().timeIntervalSince1970))
}
