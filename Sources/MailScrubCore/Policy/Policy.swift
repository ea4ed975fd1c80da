import Yams

/// What leaves the building: per record field and per token class, keep, hash, drop or
/// a coarsening. Read from a reviewed YAML file (`policy/*.yml`), validated strictly.
public struct Policy: Equatable, Sendable {
    public enum TimePrecision: String, CaseIterable, Sendable { case second, minute, hour, day }
    public enum Sizes: String, CaseIterable, Sendable { case exact, log2 }
    public enum IPTreatment: String, CaseIterable, Sendable {
        /// H_ip of the address as written.
        case hash
        /// The address cut to its /24 (IPv4) or /48 (IPv6) network, then H_ip of that.
        case truncate
        /// `0.0.0.0` or `::`: says an address was there, not which.
        case zero
        /// Removed.
        case drop
    }
    public enum HostnameTreatment: String, CaseIterable, Sendable { case keep, hash, drop }
    public enum TextTreatment: String, CaseIterable, Sendable { case keep, drop }
    public enum FieldTreatment: String, CaseIterable, Sendable { case keep, drop }
    public enum Period: String, CaseIterable, Sendable { case daily, weekly, monthly, never }

    /// Secret rotation: one key per period, the last `retain` periods kept.
    public struct Rotation: Equatable, Sendable {
        public var period: Period
        public var retain: Int
    }

    /// A short name for reports and manifests.
    public var name: String
    /// Bytes of HMAC per pseudonym; nil keeps the config's `hash_bytes`.
    public var hashBytes: Int?
    public var timePrecision = TimePrecision.second
    public var sizes = Sizes.exact
    public var ip = IPTreatment.hash
    public var hostnames = HostnameTreatment.keep
    /// Status and reply texts (`status=sent (…)`): kept (scrubbed) or dropped.
    public var statusText = TextTreatment.keep
    /// Domains written in clear in address pseudonyms (`H_local@example.org`); lowercase.
    public var clearDomains: [String] = []
    /// Record fields that are left out of records: bit i stands for `recordFields[i]`.
    public var droppedFieldMask: UInt64 = 0
    /// The names of the fields left out.
    /// Whether the record field `name` is dropped (events leave out a field of the same name).
    func drops(_ name: StaticString) -> Bool {
        drops(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
    }

    /// Whether the record field `name` is dropped.
    public func drops(_ name: String) -> Bool {
        guard let i = Self.recordFields.firstIndex(of: name) else { return false }
        return droppedFieldMask & (1 << i) != 0
    }

    private func drops(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        for (i, field) in Self.recordFields.enumerated() where droppedFieldMask & (1 << i) != 0 {
            if field.utf8.elementsEqual(name) { return true }
        }
        return false
    }
    public var droppedFields: Set<String> {
        Set(Self.recordFields.enumerated().filter { droppedFieldMask & (1 << $0.offset) != 0 }.map(\.element))
    }
    public var rotation = Rotation(period: .never, retain: 1)

    /// Today's behaviour: addresses, message-ids and IPs hashed, hostnames kept, exact
    /// times and sizes, every record field.
    public static let builtInDefault = Policy(name: "default")

    public init(name: String) {
        self.name = name
    }

    /// Record fields a policy may name, in the order records write them, and which of them
    /// can only be hashed or dropped (they are pseudonyms: a policy cannot put the raw value back).
    public static let recordFields = [
        "host", "queue_id", "previous_queue_id", "next_queue_id", "notification_for", "message_id",
        "resent_message_id", "re_message_id", "first_seen_at", "logged_at", "date", "sent_at", "received_at",
        "sender", "recipient", "orig_recipient", "from", "to", "cc", "bcc", "hidden_recipient", "message_size",
        "nrcpt", "subject_size", "spam_score", "is_list", "list", "is_outgoing", "status", "dsn", "transport",
        "delay", "delays", "reject_reason",
    ]
    public static let pseudonymFields: Set<String> = [
        "message_id", "resent_message_id", "re_message_id", "sender", "recipient", "orig_recipient", "from", "to",
        "cc", "bcc", "list",
    ]
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
