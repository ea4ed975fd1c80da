import MailScrubBase
import Yams

/// Epoch key files as read from the key store.
extension EpochKey {
    /// Parses a key file; errors name the file and line, never the secret.
    public static func parse(_ text: String, path: String) throws(ConfigError) -> EpochKey {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw ConfigError(path: path, line: (error as? YamlError).flatMap(Config.yamlLine), reason: "key file is not valid YAML")
        }
        guard let mapping = node?.mapping else { throw ConfigError(path: path, reason: "key file is not a mapping") }
        func value(_ key: String) throws(ConfigError) -> String {
            guard let v = mapping[Node(key)]?.scalar?.string, !v.isEmpty else {
                throw ConfigError(path: path, reason: "key file has no '\(key)'")
            }
            return v
        }
        let epoch = try value("epoch")
        guard let period = Policy.Period(rawValue: try value("period")) else {
            throw ConfigError(path: path, reason: "key file has an unknown 'period'")
        }
        guard let created = LogTime(rfc3339: try value("created")) else {
            throw ConfigError(path: path, reason: "key file has an unreadable 'created' time")
        }
        let secret = try value("secret")
        guard secret.count >= Config.minimumSecretLength else {
            throw ConfigError(path: path, reason: "key file's secret is shorter than \(Config.minimumSecretLength) characters")
        }
        return EpochKey(epoch: epoch, period: period, created: created, secret: secret)
    }
}
