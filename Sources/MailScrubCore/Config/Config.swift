import Yams

/// The settings read from a mailscrub config file (YAML). See `ExampleConfig` for the
/// documented example; every key is optional except `secret`.
public struct Config: Equatable {
    /// The secret the pseudonym keys derive from: at least `minimumSecretLength` characters.
    public var secret: String
    /// Pseudonym settings: `hash_bytes`, `lowercase_local_part`, `recipient_delimiter`.
    public var pseudonyms: PseudonymOptions

    /// Secrets shorter than this are refused: they could be guessed offline.
    public static let minimumSecretLength = 30
    /// The placeholder in the example config; refused so the example is never used as is.
    public static let placeholderSecret = "CHANGEME"
    /// Every key the file may hold; anything else is an error, never ignored.
    public static let knownKeys = ["secret", "hash_bytes", "lowercase_local_part", "recipient_delimiter"]

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
            guard let scalar = value.scalar else {
                throw ConfigError(path: path, line: line(of: value), reason: "'\(key)' must be a single value")
            }
            let valueLine = line(of: value)
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
            default:
                break
            }
        }
        guard let secret else {
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
        return Config(secret: secret, pseudonyms: options)
    }

    private static func line(of node: Node) -> Int? {
        node.mark.map { $0.line }
    }

    private static func yamlLine(_ error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }
}
