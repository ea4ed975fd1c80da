import MailScrubBase
import Yams

/// The settings read from a mailscrub config file (YAML). See `ExampleConfig` for the
/// documented example; every key is optional except `secret`.
public struct Config: Equatable {
    /// The secret the pseudonym keys derive from: at least `minimumSecretLength` characters,
    /// or empty when the config names a `key_store` and sets no secret (rotating policies
    /// take their keys from the store).
    public var secret: String
    /// Pseudonym settings: `hash_bytes`, `lowercase_local_part`, `recipient_delimiter`.
    public var pseudonyms: PseudonymOptions
    /// Year of the first traditional syslog stamp (`year`); nil infers it.
    public var year: Int?
    /// IANA zone of traditional syslog stamps (`timezone`); nil means the system zone.
    public var timezone: String?
    /// Correlation settings: `local_domains`, `max_age`, `max_open_messages`.
    public var correlation = Correlator.Options()
    /// The policy file (`policy`), as written; a relative path is relative to the config file.
    public var policyPath: String?
    /// The epoch key store directory (`key_store`), as written; relative to the config file.
    public var keyStorePath: String?

    /// Secrets shorter than this are refused: they could be guessed offline.
    public static let minimumSecretLength = 30
    /// The placeholder in the example config; refused so the example is never used as is.
    public static let placeholderSecret = "CHANGEME"
    /// Every key the file may hold; anything else is an error, never ignored.
    public static let knownKeys = [
        "secret", "hash_bytes", "lowercase_local_part", "recipient_delimiter", "year", "timezone", "local_domains",
        "max_age", "max_open_messages", "policy", "key_store",
    ]

    public init(secret: String, pseudonyms: PseudonymOptions = PseudonymOptions()) {
        self.secret = secret
        self.pseudonyms = pseudonyms
    }

    /// Parses and validates config text read from `path` (used only in messages).
    public static func parse(_ text: String, path: String) throws(ConfigError) -> Config {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError(path: path, line: yamlLine(error), reason: "not valid YAML")
        } catch {
            throw ConfigError(path: path, reason: "not valid YAML")
        }
        guard let node else { throw ConfigError(path: path, reason: "file is empty; it needs at least a secret") }
        guard let mapping = node.mapping else {
            throw ConfigError(path: path, line: line(of: node), reason: "expected a mapping of settings at the top level")
        }
        var secret: String?
        var options = PseudonymOptions()
        var config = Config(secret: "")
        var seen = Set<String>()
        for (keyNode, value) in mapping {
            let at = line(of: keyNode)
            guard let key = keyNode.scalar?.string else {
                throw ConfigError(path: path, line: at, reason: "setting names must be plain text")
            }
            guard knownKeys.contains(key) else {
                throw ConfigError(path: path, line: at, reason: "unknown setting '\(key)'")
            }
            guard seen.insert(key).inserted else {
                throw ConfigError(path: path, line: at, reason: "setting '\(key)' is given twice")
            }
            let valueLine = line(of: value)
            if key == "local_domains" {
                guard let items = value.sequence else {
                    throw ConfigError(path: path, line: valueLine, reason: "'local_domains' must be a list of domains")
                }
                config.correlation.localDomains = try items.map { item throws(ConfigError) in
                    guard let domain = item.scalar?.string, !domain.isEmpty, !domain.contains("@"), !domain.contains(" ") else {
                        throw ConfigError(path: path, line: line(of: item), reason: "'local_domains' entries must be domain names")
                    }
                    return domain.lowercased()
                }
                continue
            }
            guard let scalar = value.scalar else {
                throw ConfigError(path: path, line: line(of: value), reason: "'\(key)' must be a single value")
            }
            switch key {
            case "secret":
                secret = scalar.string
            case "hash_bytes":
                guard let n = Int(scalar.string), PseudonymOptions.hashBytesRange.contains(n) else {
                    throw ConfigError(path: path, line: valueLine, reason: "'hash_bytes' must be a whole number from 8 to 32")
                }
                options.hashBytes = n
            case "lowercase_local_part":
                guard let flag = Bool.construct(from: scalar) else {
                    throw ConfigError(path: path, line: valueLine, reason: "'lowercase_local_part' must be true or false")
                }
                options.lowercaseLocalPart = flag
            case "recipient_delimiter":
                guard scalar.string.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != ASCII.at }) else {
                    throw ConfigError(path: path, line: valueLine,
                                      reason: "'recipient_delimiter' must be printable ASCII characters other than '@'")
                }
                options.recipientDelimiters = Array(scalar.string.utf8)
            case "year":
                guard let year = Int(scalar.string), (1970...9999).contains(year) else {
                    throw ConfigError(path: path, line: valueLine, reason: "'year' must be a year such as 2026")
                }
                config.year = year
            case "key_store":
                guard !scalar.string.isEmpty else {
                    throw ConfigError(path: path, line: valueLine, reason: "'key_store' must be the path of a directory")
                }
                config.keyStorePath = scalar.string
            case "policy":
                guard !scalar.string.isEmpty else {
                    throw ConfigError(path: path, line: valueLine, reason: "'policy' must be the path of a policy file")
                }
                config.policyPath = scalar.string
            case "timezone":
                guard !scalar.string.isEmpty else {
                    throw ConfigError(path: path, line: valueLine, reason: "'timezone' must be an IANA zone name")
                }
                config.timezone = scalar.string
            case "max_age":
                guard let seconds = Self.duration(scalar.string), seconds > 0 else {
                    throw ConfigError(path: path, line: valueLine, reason: "'max_age' must be a duration such as 7d, 36h or 90m, at most 36600d")
                }
                config.correlation.maxAge = seconds
            case "max_open_messages":
                // The upper bound keeps slot numbers in 32 bits; it is about 21 GB of state.
                guard let n = Int(scalar.string), (1000...100_000_000).contains(n) else {
                    throw ConfigError(
                        path: path, line: valueLine, reason: "'max_open_messages' must be a whole number from 1000 to 100000000")
                }
                config.correlation.maxOpenMessages = n
            default:
                break
            }
        }
        guard let secret else {
            // With a key store, a rotating policy's keys come from there instead.
            if config.keyStorePath != nil {
                config.pseudonyms = options
                return config
            }
            throw ConfigError(path: path, reason: "no 'secret' set; run 'mailscrub keygen' to create a config with one")
        }
        let secretLine = mapping.first { $0.key.scalar?.string == "secret" }.flatMap { line(of: $0.value) }
        if secret == placeholderSecret {
            throw ConfigError(path: path, line: secretLine,
                              reason: "'secret' is still the example placeholder; run 'mailscrub keygen' to create a real one")
        }
        if secret.count < minimumSecretLength {
            throw ConfigError(path: path, line: secretLine,
                              reason: "'secret' is shorter than \(minimumSecretLength) characters")
        }
        config.secret = secret
        config.pseudonyms = options
        return config
    }

    /// Seconds in `7d`, `36h`, `90m`, `600s` or a bare number of seconds; nil for
    /// anything else, and for more than `maximumDuration` (so no product can overflow).
    public static func duration(_ text: String) -> Int64? {
        guard let unit = text.last else { return nil }
        let factors: [Character: Int64] = ["d": 86_400, "h": 3600, "m": 60, "s": 1]
        var seconds = Int64(text)
        if seconds == nil, let factor = factors[unit], let n = Int64(text.dropLast()) {
            let (product, overflow) = n.multipliedReportingOverflow(by: factor)
            seconds = overflow ? nil : product
        }
        guard let seconds, seconds <= maximumDuration else { return nil }
        return seconds
    }

    /// The longest duration accepted: 100 years, far beyond any retention, and small
    /// enough that adding it to or subtracting it from any log time cannot overflow.
    public static let maximumDuration: Int64 = 100 * 366 * 86_400

    private static func line(of node: Node) -> Int? {
        node.mark.map { $0.line }
    }

    static func yamlLine(_ error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }
}
