import ArgumentParser
import Foundation
import MailScrubCore

/// `mailscrub keys …`: the epoch key store of a rotating policy.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage the epoch keys of a rotating policy (rotate, list, import).",
        subcommands: [Rotate.self, List.self, Import.self]
    )

    /// Options every keys subcommand takes.
    struct Common: ParsableArguments {
        @OptionGroup var options: ConfigOptions

        @Option(help: "Act as if it were this time (RFC 3339), for tests and backfills.")
        var now: String?

        func setup() throws -> (ConfigLoader.Setup, KeyStoreDirectory, LogTime) {
            let setup = try options.setup()
            guard setup.config != nil else { throw Failure(.config, "keys need a config with 'key_store'; run 'mailscrub keygen' first") }
            guard let store = setup.keyStore else { throw Failure(.config, "\(setup.configPath ?? "config"): no 'key_store' set") }
            return (setup, store, try currentTime(now))
        }
    }

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the current epoch's key (and the next one's when due within a day, and those of past epochs still retained that never had one); destroy keys older than 'retain' epochs.",
            discussion: "Prints what it did, never a secret. Running it again changes nothing. Exit status 0 on success, non-zero on any failure, so cron can alert."
        )

        @OptionGroup var common: Common

        @Flag(help: "Print what would be done, and do nothing.")
        var dryRun = false

        func run() throws {
            try reportingFailures {
                let (setup, store, now) = try common.setup()
                let rotation = setup.policy.rotation
                guard rotation.period != .never else {
                    throw Failure(.config, "policy '\(setup.policy.name)' does not rotate keys (rotation period: never)")
                }
                try store.create()
                try store.checkPermissions()
                let keys = try store.keys()
                for key in keys where Epoch.start(label: key.epoch, key.period) == nil {
                    StandardError.write("mailscrub: warning: \(store.path)/\(EpochKey.fileName(key.epoch)): '\(key.epoch)' is not a \(key.period.rawValue) epoch label; rotation never removes it: delete it by hand")
                }
                let existing = keys.filter { $0.period == rotation.period }.map(\.epoch)
                let plan = RotationPlan.make(existing: existing, created: try store.createdEpochs(), now: now, rotation: rotation)
                if !dryRun { try store.recordCreated(existing + plan.create) }
                if plan.isEmpty { print("keys: nothing to do (\(existing.count) key(s), \(rotation.period.rawValue), retain \(rotation.retain))") }
                for epoch in plan.create {
                    var bytes = try ConfigLoader.randomKey()
                    defer { wipe(&bytes) }
                    let key = EpochKey(epoch: epoch, period: rotation.period, created: now, secret: Base64URL.encode(bytes))
                    if dryRun {
                        print("would create a key for epoch \(epoch)")
                    } else {
                        try store.write(key)
                        print("created key \(Pseudonymizer(secret: key.secret).keyID) for epoch \(epoch)")
                    }
                }
                for epoch in plan.destroy {
                    if !dryRun { try store.destroy(epoch) }
                    print("\(dryRun ? "would destroy" : "destroyed") key for epoch \(epoch)")
                }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show key ids, epochs and ages; never secrets.")

        @OptionGroup var common: Common

        func run() throws {
            try reportingFailures {
                let (_, store, now) = try common.setup()
                try store.checkPermissions()
                let keys = try store.keys()
                if keys.isEmpty { print("no keys in \(store.path)") }
                for key in keys {
                    let days = (now.seconds - key.created.seconds) / 86_400
                    print("\(Pseudonymizer(secret: key.secret).keyID)  \(key.period.rawValue)  \(key.epoch)  created \(days) day(s) ago")
                }
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store the config's 'secret' as the key of an epoch (default: the current one), so old pseudonyms keep matching."
        )

        @OptionGroup var common: Common

        @Option(help: "The epoch label, e.g. 2026-11-24, 2026-W48, 2026-11.")
        var epoch: String?

        @Flag(help: "Replace the epoch's existing key (pseudonyms made with it then no longer match).")
        var force = false

        func run() throws {
            try reportingFailures {
                let (setup, store, now) = try common.setup()
                let period = setup.policy.rotation.period
                guard period != .never, let config = setup.config else {
                    throw Failure(.config, "policy '\(setup.policy.name)' does not rotate keys; nothing to import into")
                }
                guard !config.secret.isEmpty else { throw Failure(.config, "the config has no 'secret' to import") }
                let label = epoch ?? Epoch.label(now, period)
                guard Epoch.start(label: label, period) != nil else {
                    throw Failure(.usage, "--epoch '\(label)' is not a \(period.rawValue) epoch label; policy '\(setup.policy.name)' rotates \(period.rawValue), whose labels look like \(Epoch.label(now, period))")
                }
                try store.create()
                try store.checkPermissions()
                // A key the ledger knows but the store no longer holds was destroyed:
                // importing one would bring that epoch's pseudonyms back.
                if !force, try store.createdEpochs()?.contains(label) == true, !(try store.epochs().contains(label)) {
                    throw Failure(.cannotCreate, "epoch \(label) had a key that was destroyed; importing one brings its pseudonyms back: use --force if that is intended")
                }
                try store.recordCreated([label])
                try store.write(EpochKey(epoch: label, period: period, created: now, secret: config.secret), replacing: force)
                print("imported the config's secret (key \(Pseudonymizer(secret: config.secret).keyID)) for epoch \(label)")
            }
        }
    }
}
