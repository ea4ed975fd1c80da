import MailScrubBase

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

        package init(period: Period, retain: Int) {
            self.period = period
            self.retain = retain
        }
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
    /// Whether the record field `name` is dropped (events leave out a field of the same name).
    package func drops(_ name: StaticString) -> Bool {
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

    /// The names of the fields left out.
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
}
