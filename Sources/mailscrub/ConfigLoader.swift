#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MailScrubCore

/// Finds, checks and reads the config file; the parsing itself is `Config.parse`.
enum ConfigLoader {
    /// The config looked for when neither --config nor $MAILSCRUB_CONFIG is given.
    static let defaultPath = "config/mailscrub.yml"

    /// The path to use: `explicit`, else $MAILSCRUB_CONFIG, else the default path when it
    /// exists; nil when there is no config at all.
    static func locate(explicit: String?) -> String? {
        if let explicit { return explicit }
        if let env = getenv("MAILSCRUB_CONFIG"), env.pointee != 0 { return String(cString: env) }
        return access(defaultPath, F_OK) == 0 ? defaultPath : nil
    }

    /// Reads and validates the config at `path`, refusing one that group or others can
    /// access; also returns the SHA-256 of the bytes read, for run manifests.
    static func load(path: String) throws -> (config: Config, digest: String) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw Failure(.config, "\(path): cannot read config: \(errnoText())")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            break
        case S_IFDIR:
            throw Failure(.config, "\(path): is a directory, not a config file")
        default:
            throw Failure(.config, "\(path): is not a regular file (a device, pipe or socket); a config must be a file of its own")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw Failure(.config, "\(path): permissions \(octal(mode)) let group or others access the secret; run: chmod 600 \(path)")
        }
        let bytes = try readFile(path, what: "config")
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Failure(.config, "\(path): config is not valid UTF-8")
        }
        do {
            return (try Config.parse(text, path: path), SHA256Digest.hex(bytes))
        } catch {
            throw Failure(.config, error.description)
        }
    }

    /// The bytes of a small file (config or policy), at most 1 MiB.
    static func readFile(_ path: String, what: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(.config, "\(path): cannot read \(what): \(errnoText())") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(.config, "\(path): cannot read \(what): \(errnoText())")
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            guard bytes.count <= 1 << 20 else { throw Failure(.config, "\(path): \(what) is larger than 1 MiB") }
        }
        return bytes
    }

    /// What a run needs: the config (if any), its path, the policy and the pseudonym options.
    struct Setup {
        var config: Config?
        var configPath: String?
        var policy: Policy
        var options: PseudonymOptions
        /// SHA-256 of the config and policy files as read, for run manifests.
        var configDigest: String?
        var policyDigest: String?

        /// The key store named by the config, relative to the config file.
        var keyStore: KeyStoreDirectory? {
            config?.keyStorePath.map { KeyStoreDirectory(path: ConfigLoader.nextToConfig($0, configPath)) }
        }
    }

    static func setup(explicit: String?, policyPath: String?) throws -> Setup {
        let path = locate(explicit: explicit)
        let loaded = try path.map { try load(path: $0) }
        let config = loaded?.config
        var policy = Policy.builtInDefault
        var policyDigest: String?
        if let policyFile = policyFile(explicit: policyPath, config: config, configPath: path) {
            (policy, policyDigest) = try loadPolicy(path: policyFile)
        }
        var options = config?.pseudonyms ?? PseudonymOptions()
        if let bytes = policy.hashBytes { options.hashBytes = bytes }
        return Setup(
            config: config, configPath: path, policy: policy, options: options,
            configDigest: loaded?.digest, policyDigest: policyDigest)
    }

    /// Refusal of `command` without a config: its answer must match other runs.
    static func noConfig(_ command: String) -> Failure {
        Failure(.config, "\(command) needs the config's secret or key store, and no config was found (--config, $MAILSCRUB_CONFIG, \(defaultPath)); a one-time random key would match no other run")
    }

    /// The keys for this run, built here for every command that pseudonymizes: the epoch
    /// keys of the key store when the policy rotates, else the config's secret, else
    /// (unless `requireConfig`) a one-time random key, which is announced on stderr.
    /// `command` names what is refused without a config.
    static func keyRing(_ setup: Setup, requireConfig: Bool = false, for command: String = "--require-config: this run") throws -> KeyRing {
        if setup.policy.rotation.period != .never {
            guard let store = setup.keyStore else {
                throw Failure(.config, "policy '\(setup.policy.name)' rotates keys (\(setup.policy.rotation.period.rawValue)) but the config names no 'key_store'")
            }
            try store.checkPermissions()
            var secrets: [String: [UInt8]] = [:]
            for key in try store.keys() where key.period == setup.policy.rotation.period {
                secrets[key.epoch] = Array(key.secret.utf8)
            }
            return EpochKeyRing(period: setup.policy.rotation.period, secrets: secrets, options: setup.options, policy: setup.policy)
        }
        return SingleKey(try pseudonymizer(setup, randomWithoutConfig: !requireConfig, for: command))
    }

    /// The one pseudonymizer of a run without rotation (and of `hash`). Without a config,
    /// a one-time random key, announced on stderr, unless `randomWithoutConfig` is off
    /// (`hash`, `--require-config`): then `command` is refused.
    static func pseudonymizer(_ setup: Setup, randomWithoutConfig: Bool = true, for command: String = "scrub") throws -> Pseudonymizer {
        guard let config = setup.config else {
            guard randomWithoutConfig else { throw noConfig(command) }
            var key = try randomKey()
            defer { wipe(&key) }
            StandardError.write(
                "mailscrub: no config found (--config, $MAILSCRUB_CONFIG, \(defaultPath)); using a one-time random key: pseudonyms will not match any other run")
            return Pseudonymizer(secret: key, options: setup.options, policy: setup.policy)
        }
        guard !config.secret.isEmpty else {
            throw Failure(.config, "\(setup.configPath ?? "config"): no 'secret' set, and policy '\(setup.policy.name)' does not rotate keys from the key store")
        }
        return Pseudonymizer(secret: config.secret, options: setup.options, policy: setup.policy)
    }

    /// Reads and validates a policy file; also returns the SHA-256 of the bytes read.
    static func loadPolicy(path: String) throws -> (policy: Policy, digest: String) {
        let bytes = try readFile(path, what: "policy")
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Failure(.config, "\(path): policy is not valid UTF-8")
        }
        let policy: Policy
        do {
            policy = try Policy.parse(text, path: path)
        } catch {
            throw Failure(.config, error.description)
        }
        return (policy, SHA256Digest.hex(bytes))
    }

    /// The policy to use: `explicit` (`--policy`), else the config's `policy`, which when
    /// relative is taken next to the config file; nil for the built-in default.
    static func policyFile(explicit: String?, config: Config?, configPath: String?) -> String? {
        if let explicit { return explicit }
        return config?.policyPath.map { nextToConfig($0, configPath) }
    }

    /// `path` as written when absolute, else relative to the config file's folder.
    static func nextToConfig(_ path: String, _ configPath: String?) -> String {
        guard !path.hasPrefix("/"), let configPath, let slash = configPath.lastIndex(of: "/") else { return path }
        return String(configPath[...slash]) + path
    }

    static func randomKey() throws -> [UInt8] {
        do {
            return try SecureRandom.bytes(32)
        } catch {
            throw Failure(.ioError, "the system's random number generator is not available")
        }
    }

    private static func octal(_ mode: mode_t) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
