import MailScrubBase

/// The kinds of value the pseudonym scheme keeps apart: each gets its own subkey,
/// so the same text hashed as a local part and as a domain gives unrelated pseudonyms.
public enum PseudonymContext: Int, CaseIterable, Sendable {
    case local
    case domain
    case messageID
    case ip
    case host
    /// Not a pseudonym: the key of run manifests' HMAC.
    case manifest

    /// The context name in the subkey derivation message `mailscrub/v1/<name>`.
    public var name: String {
        switch self {
        case .local: "local"
        case .domain: "domain"
        case .messageID: "message-id"
        case .ip: "ip"
        case .host: "host"
        case .manifest: "manifest"
        }
    }
}
