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

extension HeaderCheckLine.Match {
    /// The logged value, to be rewritten by its header's kind.
    var claim: Claim { Claim(range: value, kind: .headerValue(kind)) }
}
