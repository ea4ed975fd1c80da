#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Foundation
import MailScrubCore

/// `mailscrub check`: validates config, policy and key store, and says in plain words
/// what will leave the building.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate config, policy and key store; report what will leave and warn about weak choices.",
        discussion: "Exits 0 when everything is valid (warnings included), 78 on any error."
    )

    @OptionGroup var options: ConfigOptions

    @Option(help: "Act as if it were this time (RFC 3339), to check the key of that epoch.")
    var now: String?

    func run() throws {
        try reportingFailures {
            guard ConfigLoader.locate(explicit: options.config) != nil else {
                throw Failure(.config, "no config found (--config, $MAILSCRUB_CONFIG, \(ConfigLoader.defaultPath)); run 'mailscrub keygen'")
            }
            let setup = try options.setup()
            let p = setup.policy
            var warnings: [String] = []
            var lines: [String] = []
            lines.append("config: \(setup.configPath ?? "?") (valid, mode 0600 or stricter)")
            let policyFile = ConfigLoader.policyFile(explicit: options.policy, config: setup.config, configPath: setup.configPath)
            lines.append("policy: \(p.name) (\(policyFile ?? "built-in default"))")
            let bytes = setup.options.hashBytes
            lines += PolicyDescription.lines(p, options: setup.options).map { "  " + $0 }

            if bytes < 12 { warnings.append("hash length \(bytes) bytes is below 12: pseudonyms of large address sets may collide") }
            if !p.clearDomains.isEmpty { warnings.append("clear_domains reveal which addresses belong to \(p.clearDomains.count) domain(s)") }
            if p.hostnames == .keep { warnings.append("client and relay hostnames are kept: reverse-DNS names can identify small senders") }
            if p.timePrecision == .second && p.sizes == .exact {
                warnings.append("exact times and sizes can link records to a party's own logs; consider policy/strict.yml for unknown recipients")
            }

            if p.rotation.period == .never {
                lines.append("keys: one secret from the config (key id \(try ConfigLoader.pseudonymizer(setup).keyID)); no rotation")
            } else {
                guard let store = setup.keyStore else {
                    throw Failure(.config, "policy '\(p.name)' rotates keys but the config names no 'key_store'")
                }
                lines.append("keys: rotate \(p.rotation.period.rawValue), keep \(p.rotation.retain); key store \(store.path)")
                var info = stat()
                if stat(store.path, &info) != 0 {
                    warnings.append("key store \(store.path) does not exist yet; 'mailscrub keys rotate' creates it")
                } else {
                    try store.checkPermissions()
                    let keys = try store.keys()
                    let time = try currentTime(now)
                    let current = Epoch.label(time, p.rotation.period)
                    for key in keys {
                        lines.append("  \(Pseudonymizer(secret: key.secret).keyID)  \(key.period.rawValue)  \(key.epoch)\(key.epoch == current ? "  (current)" : "")")
                    }
                    if !keys.contains(where: { $0.epoch == current && $0.period == p.rotation.period }) {
                        warnings.append("no key for the current epoch \(current): run 'mailscrub keys rotate' before processing")
                    }
                }
            }
            for line in lines { print(line) }
            if !warnings.isEmpty {
                print("warnings:")
                for warning in warnings { print("  - \(warning)") }
            }
            print("result: ok" + (warnings.isEmpty ? "" : " (\(warnings.count) warning\(warnings.count == 1 ? "" : "s"))"))
        }
    }
}
