/// A span of a line that a structural rule has recognised, and how to replace it.
/// Spans no rule claims still go through the generic fail-closed scan.
struct Claim {
    /// The bytes replaced; the text around them (brackets, keys) is copied as is.
    var range: Range<Int>
    var kind: Kind

    enum Kind: Equatable {
        /// An address, possibly with display name or quotes: its pseudonym.
        case address
        /// An xtext-encoded address (`sasl_sender=`): decoded, then its pseudonym.
        case xtextAddress
        /// A raw message-id header value: `<H>` when bracketed, `<>` kept, else bare H.
        case messageIDValue
        /// A header value logged by header_checks, rewritten by the header's kind.
        case headerValue(HeaderKind)
        /// A domain standing alone (discard's next hop): its domain pseudonym.
        case domain
        /// A client, relay or HELO hostname, written as the policy says.
        case hostname
        /// Text the policy drops (status and reply texts under `status_text: drop`, fields
        /// the policy drops from records).
        case drop
        /// The syslog timestamp, for a policy that rounds times down.
        case stamp(SyslogHeader.Format)
        /// A `size=` value that is a number, for a policy that buckets sizes.
        case size
    }
}

/// How a logged header's value is rewritten.
public enum HeaderKind: Equatable, Sendable {
    /// From, To, Cc, ...: the list of address pseudonyms; display names dropped.
    case addressList
    /// Message-ID, In-Reply-To, References, ...: each `<id>` as `<H>`.
    case messageIDList
    /// Everything else (Subject included): `[N chars]`.
    case opaque

    /// The kind of the header named by `name` (case-insensitive).
    static func of(_ b: UnsafeRawBufferPointer, _ name: Range<Int>) -> HeaderKind {
        for candidate in addressHeaders where b.matchesWhole(candidate, name) { return .addressList }
        for candidate in messageIDHeaders where b.matchesWhole(candidate, name) { return .messageIDList }
        return .opaque
    }

    private static let addressHeaders: [StaticString] = [
        "from", "to", "cc", "bcc", "reply-to", "sender", "return-path", "delivered-to",
        "resent-from", "resent-to", "resent-cc", "resent-bcc", "resent-sender", "resent-reply-to",
        "x-original-to", "envelope-to", "errors-to", "mail-followup-to", "mail-reply-to",
        "disposition-notification-to", "x-envelope-from", "x-envelope-to",
    ]
    private static let messageIDHeaders: [StaticString] = [
        "message-id", "in-reply-to", "references", "resent-message-id", "original-message-id",
    ]
}

extension UnsafeRawBufferPointer {
    /// Whether `range` is exactly the lowercase `literal`, ignoring ASCII case.
    @inline(__always)
    func matchesWhole(_ literal: StaticString, _ range: Range<Int>) -> Bool {
        range.count == literal.utf8CodeUnitCount && matchesIgnoringCase(literal, at: range.lowerBound)
    }
}
