/// What a recognized log line says, as byte ranges into the line (valid while the line
/// is). One flat value with optional fields rather than an enum with payloads, so that
/// parsing a line allocates nothing.
public struct PostfixEvent {
    /// The kinds of line the correlator and `--emit events` understand.
    public enum Kind: String, CaseIterable, Sendable {
        /// A syslog line (or not even that) no parser recognised.
        case unrecognized
        /// smtpd/postscreen `connect from` / `disconnect from`.
        case connect, disconnect
        /// smtpd `QID: client=…` (the start of a message received over SMTP).
        case client
        /// pickup `QID: uid=… from=<…>` (the start of a locally submitted message).
        case pickup
        /// cleanup `QID: message-id=…` and `resent-message-id=…`.
        case messageID = "message_id", resentMessageID = "resent_message_id"
        /// header_checks / body_checks logging of a header or body line.
        case header
        /// qmgr `QID: from=<…>, size=…, nrcpt=…`.
        case queued
        /// A delivery agent's `QID: to=<…>, relay=…, status=…`.
        case delivery
        /// qmgr `QID: from=<…>, status=expired, returned to sender`.
        case expired
        /// qmgr `QID: removed`.
        case removed
        /// bounce `QID: sender non-delivery notification: NEWQID` and its kin.
        case notification
        /// smtpd/postscreen/cleanup `reject:`, `milter-reject:`, `proxy-reject:`.
        case reject
        /// A content filter's verdict for a queue id (amavis `Queue-ID: …, Hits: …`).
        case contentFilter = "content_filter"

        /// Position in `allCases`, for counting without a dictionary.
        package var index: Int {
            switch self {
            case .unrecognized: 0
            case .connect: 1
            case .disconnect: 2
            case .client: 3
            case .pickup: 4
            case .messageID: 5
            case .resentMessageID: 6
            case .header: 7
            case .queued: 8
            case .delivery: 9
            case .expired: 10
            case .removed: 11
            case .notification: 12
            case .reject: 13
            case .contentFilter: 14
            }
        }
    }

    public var kind: Kind = .unrecognized
    public var header: SyslogHeader
    public var queueID: Range<Int>?
    /// Envelope sender (`from=`), without brackets; empty for `<>`.
    public var sender: Range<Int>?
    /// Envelope recipient (`to=`), without brackets.
    public var recipient: Range<Int>?
    public var origRecipient: Range<Int>?
    public var relay: Range<Int>?
    public var delay: Range<Int>?
    public var delays: Range<Int>?
    public var dsn: Range<Int>?
    public var status: Range<Int>?
    /// The parenthesised status text of a delivery, or a reject's reply text.
    public var text: Range<Int>?
    /// discard's next hop (the recipient domain), which it logs in place of a status text.
    public var nexthop: Range<Int>?
    public var size: Range<Int>?
    public var nrcpt: Range<Int>?
    public var clientName: Range<Int>?
    public var clientIP: Range<Int>?
    public var saslUsername: Range<Int>?
    public var uid: Range<Int>?
    /// `orig_queue_id=` of a message re-injected by a content filter.
    public var origQueueID: Range<Int>?
    /// A queue id the line names besides its own: a notification's new id, or `queued as`.
    public var otherQueueID: Range<Int>?
    /// A raw message-id value as cleanup logs it.
    public var messageID: Range<Int>?
    public var headerName: Range<Int>?
    public var headerValue: Range<Int>?
    public var headerKind: HeaderKind?
    /// The action word of a reject or header_checks line (`reject`, `milter-reject`, `info`, …).
    public var action: Range<Int>?
    public var spamScore: Range<Int>?

    init(header: SyslogHeader) {
        self.header = header
    }
}
