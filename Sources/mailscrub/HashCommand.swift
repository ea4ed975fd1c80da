import ArgumentParser
import Foundation
import MailScrubCore

/// `mailscrub hash VALUE…`: the pseudonym of each value, one per line, e.g. to find one
/// person's records for an access or erasure request.
struct HashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash",
        abstract: "Print the pseudonym of each address, <message-id> or IP address, exactly as output under the policy holds it.",
        discussion: """
            The policy's options apply as in output: IP truncation or zeroing, hostname
            hashing, clear_domains, hash_bytes, the recipient delimiter and, with rotating
            keys, the epoch (--epoch). Without a config (or key store) it refuses: a
            one-time key would give a pseudonym that matches nothing.

            By default a value in angle brackets with text inside is a message-id, a value
            that parses as an IPv4 or IPv6 address is an IP, and anything else is an address
            (a display name, brackets and quotes are cleaned off; '<>' is the null sender and
            prints an empty line). Use --as to say which it is.
            """
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case auto, address, messageID = "message-id", ip, host
    }

    @OptionGroup var options: ConfigOptions

    @Option(help: "With a rotating policy: the epoch whose key to use (default: the current one), e.g. 2026-11-24.")
    var epoch: String?

    @Option(name: .customLong("as"), help: "What the values are: auto, address, message-id, ip or host.")
    var kind: Kind = .auto

    @Argument(help: "Values to hash.")
    var values: [String]

    func validate() throws {
        guard !values.isEmpty else { throw ValidationError("give at least one value to hash") }
    }

    func run() throws {
        try reportingFailures {
            let setup = try options.setup()
            let p = try Self.pseudonymizer(setup, epoch: epoch)
            for value in values {
                print(pseudonym(of: value, with: p))
            }
        }
    }

    /// The key the output holds for `epoch` (default: now's): the run's key ring, as a
    /// scrub builds it, but never a one-time key.
    static func pseudonymizer(_ setup: ConfigLoader.Setup, epoch: String?) throws -> Pseudonymizer {
        let ring = try ConfigLoader.keyRing(setup, requireConfig: true, for: "hash")
        let period = setup.policy.rotation.period
        var time = try currentTime(nil)
        if let epoch, period != .never {
            guard let start = Epoch.start(label: epoch, period) else {
                throw Failure(.usage, "--epoch '\(epoch)' is not an epoch of policy '\(setup.policy.name)' (\(period.rawValue) epochs are labelled like \(Epoch.label(time, period)))")
            }
            time = start
        }
        do throws(KeyError) {
            return try ring.pseudonymizer(for: time)
        } catch {
            throw Failure(.config, error.description)
        }
    }

    private func pseudonym(of value: String, with p: Pseudonymizer) -> String {
        switch kind {
        case .address: return p.pseudonym(address: value)
        case .messageID: return p.pseudonym(messageID: value)
        case .ip: return p.rendered(ip: value)
        case .host: return p.rendered(host: value)
        case .auto:
            if value.hasPrefix("<"), value.hasSuffix(">"), value.count > 2 { return p.pseudonym(messageID: value) }
            if IPAddress.isIPAddress(value) { return p.rendered(ip: value) }
            return p.pseudonym(address: value)
        }
    }
}
