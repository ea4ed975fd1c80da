import Yams

/// Policy files: YAML read and checked, every error naming its file, line and key.
extension Policy {
    static let knownKeys = [
        "name", "hash_bytes", "time_precision", "sizes", "ip", "hostnames", "status_text", "clear_domains", "fields",
        "rotation",
    ]

    /// Parses and validates policy text read from `path` (used only in messages): an
    /// unknown key, field or value is an error naming the file, line and key.
    public static func parse(_ text: String, path: String) throws(ConfigError) -> Policy {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ConfigError(path: path, reason: "policy is empty")
            }
            root = node
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(path: path, line: (error as? YamlError).flatMap(Config.yamlLine), reason: "not valid YAML")
        }
        guard let mapping = root.mapping else {
            throw ConfigError(path: path, line: root.mark?.line, reason: "expected a mapping of policy settings")
        }
        var policy = Policy(name: "custom")
        var seen = Set<String>()
        for (keyNode, value) in mapping {
            let line = keyNode.mark?.line
            guard let key = keyNode.scalar?.string else {
                throw ConfigError(path: path, line: line, reason: "policy setting names must be plain text")
            }
            guard knownKeys.contains(key) else { throw ConfigError(path: path, line: line, reason: "unknown policy setting '\(key)'") }
            guard seen.insert(key).inserted else {
                throw ConfigError(path: path, line: line, reason: "policy setting '\(key)' is given twice")
            }
            let valueLine = value.mark?.line ?? line
            func scalar() throws(ConfigError) -> String {
                guard let s = value.scalar?.string else {
                    throw ConfigError(path: path, line: valueLine, reason: "'\(key)' must be a single value")
                }
                return s
            }
            func choice<T: RawRepresentable & CaseIterable>(_: T.Type) throws(ConfigError) -> T where T.RawValue == String {
                let s = try scalar()
                guard let v = T(rawValue: s) else {
                    let options = T.allCases.map(\.rawValue).joined(separator: ", ")
                    throw ConfigError(path: path, line: valueLine, reason: "'\(key)' must be one of \(options)")
                }
                return v
            }
            switch key {
            case "name": policy.name = try scalar()
            case "hash_bytes":
                guard let n = Int(try scalar()), PseudonymOptions.hashBytesRange.contains(n) else {
                    throw ConfigError(path: path, line: valueLine, reason: "'hash_bytes' must be a whole number from 8 to 32")
                }
                policy.hashBytes = n
            case "time_precision": policy.timePrecision = try choice(TimePrecision.self)
            case "sizes": policy.sizes = try choice(Sizes.self)
            case "ip": policy.ip = try choice(IPTreatment.self)
            case "hostnames": policy.hostnames = try choice(HostnameTreatment.self)
            case "status_text": policy.statusText = try choice(TextTreatment.self)
            case "clear_domains":
                guard let items = value.sequence else {
                    throw ConfigError(path: path, line: valueLine, reason: "'clear_domains' must be a list of domains")
                }
                policy.clearDomains = try items.map { item throws(ConfigError) in
                    guard let d = item.scalar?.string, !d.isEmpty, !d.contains("@"), !d.contains(" ") else {
                        throw ConfigError(path: path, line: item.mark?.line, reason: "'clear_domains' entries must be domain names")
                    }
                    return d.lowercased()
                }
            case "fields":
                guard let fields = value.mapping else {
                    throw ConfigError(path: path, line: valueLine, reason: "'fields' must map record fields to keep, hash or drop")
                }
                for (fieldNode, actionNode) in fields {
                    let fieldLine = fieldNode.mark?.line
                    guard let field = fieldNode.scalar?.string, recordFields.contains(field) else {
                        throw ConfigError(path: path, line: fieldLine, reason: "unknown record field '\(fieldNode.scalar?.string ?? "?")' in 'fields'")
                    }
                    guard let action = actionNode.scalar?.string else {
                        throw ConfigError(path: path, line: fieldLine, reason: "field '\(field)' must be keep, hash or drop")
                    }
                    switch action {
                    // Safe to force unwrap: `recordFields.contains(field)` was checked above.
                    case "drop": policy.droppedFieldMask |= 1 << recordFields.firstIndex(of: field)!
                    case "hash" where pseudonymFields.contains(field): break
                    case "keep" where !pseudonymFields.contains(field): break
                    case "keep", "hash":
                        let allowed = pseudonymFields.contains(field) ? "hash or drop (it is a pseudonym)" : "keep or drop"
                        throw ConfigError(path: path, line: actionNode.mark?.line ?? fieldLine, reason: "field '\(field)' can only be \(allowed)")
                    default:
                        throw ConfigError(path: path, line: actionNode.mark?.line ?? fieldLine, reason: "unknown action '\(action)' for field '\(field)'; use keep, hash or drop")
                    }
                }
            case "rotation":
                guard let settings = value.mapping else {
                    throw ConfigError(path: path, line: valueLine, reason: "'rotation' must be a mapping with period and retain")
                }
                var rotation = Rotation(period: .never, retain: 1)
                for (k, v) in settings {
                    let l = k.mark?.line
                    switch k.scalar?.string {
                    case "period":
                        guard let p = v.scalar.flatMap({ Period(rawValue: $0.string) }) else {
                            throw ConfigError(path: path, line: l, reason: "'rotation.period' must be daily, weekly, monthly or never")
                        }
                        rotation.period = p
                    case "retain":
                        guard let n = v.scalar.flatMap({ Int($0.string) }), (1...3660).contains(n) else {
                            throw ConfigError(path: path, line: l, reason: "'rotation.retain' must be a whole number from 1 to 3660")
                        }
                        rotation.retain = n
                    default:
                        throw ConfigError(path: path, line: l, reason: "unknown rotation setting '\(k.scalar?.string ?? "?")'")
                    }
                }
                policy.rotation = rotation
            default:
                break
            }
        }
        return policy
    }
}
