import MailScrubBase

/// How a logged header's value is rewritten.
public enum HeaderKind: Equatable, Sendable {
    /// From, To, Cc, ...: the list of address pseudonyms; display names dropped.
    case addressList
    /// Message-ID, In-Reply-To, References, ...: each `<id>` as `<H>`.
    case messageIDList
    /// Everything else (Subject included): `[N chars]`.
    case opaque

    /// The kind of the header named by `name` (case-insensitive).
    package static func of(_ b: UnsafeRawBufferPointer, _ name: Range<Int>) -> HeaderKind {
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
