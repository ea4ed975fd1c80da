import MailScrubBase

/// What a recognized log line says, as byte ranges into the line (valid while the line
/// is): the syslog header, the queue id, and the fields of its kind, exactly those
/// (`Fields`, one case per kind). Nothing in it is allocated.
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

    public var header: SyslogHeader
    /// The line's queue id; nil for none or `NOQUEUE`.
    @PackedRange public var queueID: Range<Int>? = nil
    public var fields: Fields = .unrecognized { didSet { kind = fields.kind } }
    /// The kind of `fields`, kept beside it: the event is read by kind several times a
    /// line, and a switch on `fields` copies all of it first.
    public private(set) var kind: Kind = .unrecognized

    init(header: SyslogHeader) {
        self.header = header
    }

    /// Each kind with its fields. Envelope addresses are without brackets, and empty for `<>`.
    public enum Fields {
        case unrecognized
        case connect(Client)
        case disconnect(Client)
        case client(Submission)
        case pickup(Pickup)
        /// The raw message-id value as cleanup logs it.
        case messageID(Range<Int>)
        case resentMessageID(Range<Int>)
        case header(Header)
        case queued(Queued)
        case delivery(Delivery)
        case expired(Expired)
        case removed
        case notification(Notification)
        case reject(Reject)
        case contentFilter(ContentFilter)

        var kind: Kind {
            switch self {
            case .unrecognized: .unrecognized
            case .connect: .connect
            case .disconnect: .disconnect
            case .client: .client
            case .pickup: .pickup
            case .messageID: .messageID
            case .resentMessageID: .resentMessageID
            case .header: .header
            case .queued: .queued
            case .delivery: .delivery
            case .expired: .expired
            case .removed: .removed
            case .notification: .notification
            case .reject: .reject
            case .contentFilter: .contentFilter
            }
        }
    }

    /// An SMTP client as `NAME[ADDR]`.
    public struct Client {
        @PackedRange public var name: Range<Int>? = nil
        @PackedRange public var ip: Range<Int>? = nil
    }

    /// smtpd's `client=`: the start of a message received over SMTP.
    public struct Submission {
        public var client: Client
        @PackedRange public var saslUsername: Range<Int>? = nil
        /// `orig_queue_id=` of a message re-injected by a content filter.
        @PackedRange public var origQueueID: Range<Int>? = nil
    }

    /// pickup's `uid= from=`: the start of a locally submitted message.
    public struct Pickup {
        @PackedRange public var uid: Range<Int>? = nil
        @PackedRange public var sender: Range<Int>? = nil
    }

    /// A header (or body) line logged by header_checks, and the envelope after it.
    public struct Header {
        /// `info`, `warn`, `reject`, …
        @PackedRange public var action: Range<Int>? = nil
        /// nil for body and content lines.
        @PackedRange public var name: Range<Int>? = nil
        public var value: Range<Int>
        public var kind: HeaderKind
        @PackedRange public var sender: Range<Int>? = nil
        @PackedRange public var recipient: Range<Int>? = nil
    }

    /// qmgr's `from=, size=, nrcpt=`.
    public struct Queued {
        public var sender: Range<Int>
        public var size: Range<Int>
        @PackedRange public var nrcpt: Range<Int>? = nil
    }

    /// A delivery agent's `to=, relay=, …, status=`.
    public struct Delivery {
        public var recipient: Range<Int>
        @PackedRange public var origRecipient: Range<Int>? = nil
        @PackedRange public var relay: Range<Int>? = nil
        @PackedRange public var delay: Range<Int>? = nil
        /// Only four numbers `a/b/c/d`.
        @PackedRange public var delays: Range<Int>? = nil
        @PackedRange public var dsn: Range<Int>? = nil
        public var status: Range<Int>
        /// The parenthesised status text.
        @PackedRange public var text: Range<Int>? = nil
        /// discard's next hop (the recipient domain), logged in place of a status text.
        @PackedRange public var nexthop: Range<Int>? = nil
        /// `queued as QID` in the status text: the queue id the next hop gave the message.
        @PackedRange public var nextQueueID: Range<Int>? = nil
    }

    /// qmgr's `from=, status=expired`.
    public struct Expired {
        public var sender: Range<Int>
        public var status: Range<Int>
    }

    /// bounce's `sender non-delivery notification: NEWQID` and its kin.
    public struct Notification {
        /// The kind of notification, in Postfix's words (`sender non-delivery notification`, …).
        public var what: Range<Int>
        public var newQueueID: Range<Int>
    }

    /// `reject:`, `milter-reject:`, `proxy-reject:`.
    public struct Reject {
        public var action: Range<Int>
        public var client: Client
        @PackedRange public var sender: Range<Int>? = nil
        @PackedRange public var recipient: Range<Int>? = nil
        /// The reply text.
        public var text: Range<Int>
    }

    /// A content filter's verdict.
    public struct ContentFilter {
        @PackedRange public var spamScore: Range<Int>? = nil
        /// The queue id of the message the filter re-injected.
        @PackedRange public var nextQueueID: Range<Int>? = nil
    }
}
