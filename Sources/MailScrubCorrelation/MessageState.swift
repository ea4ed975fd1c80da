import MailScrubParsing

/// What is known about one message (one queue id on one host) until its delivery
/// records are written. Holds raw values, kept in memory only: they are pseudonymized
/// when a record is written, with the key of that record's epoch, and the sender can
/// only be decoded per delivery (VERP encodes the recipient).
final class MessageState {
    /// How the message entered Postfix, for the direction rule.
    enum Entry { case unknown, smtp, authenticated, pickup }

    var firstSeen: LogTime
    var lastSeen: LogTime
    /// Serial of the latest touch (0: never touched), and of the touch its entry in the
    /// correlator's eviction order was made with.
    var touch = 0
    var queued = 0
    var entry = Entry.unknown
    /// Raw envelope sender from qmgr (or pickup); empty for `<>`.
    var sender: [UInt8]?
    var messageSize: [UInt8]?
    var nrcpt: [UInt8]?
    /// Raw message-ids (what is hashed: the inside of `<…>`, or the whole broken value).
    var messageID: [UInt8]?
    var resentMessageID: [UInt8]? { get { facts?.resentMessageID } set { headers.resentMessageID = newValue } }
    var inReplyTo: [UInt8]? { get { facts?.inReplyTo } set { headers.inReplyTo = newValue } }
    var lastReference: [UInt8]? { get { facts?.lastReference } set { headers.lastReference = newValue } }
    var date: LogTime? { get { facts?.date } set { headers.date = newValue } }
    /// Raw addresses of the logged headers.
    var from: [[UInt8]]? { get { facts?.from } set { headers.from = newValue } }
    var to: [[UInt8]]? { get { facts?.to } set { headers.to = newValue } }
    var cc: [[UInt8]]? { get { facts?.cc } set { headers.cc = newValue } }
    var bcc: [[UInt8]]? { get { facts?.bcc } set { headers.bcc = newValue } }
    var subjectSize: Int? { get { facts?.subjectSize } set { headers.subjectSize = newValue } }
    var spamScore: [UInt8]? { get { facts?.spamScore } set { headers.spamScore = newValue } }
    /// A List-Id, List-Post or `Precedence: list|bulk` header was logged.
    var listHeader: Bool { get { facts?.listHeader ?? false } set { headers.listHeader = newValue } }
    /// Raw address of a logged List-Post header.
    var listPost: [UInt8]? { get { facts?.listPost } set { headers.listPost = newValue } }
    /// What the logged headers and content filters said; most messages in a flood of
    /// unfinished sessions never get one, so it is kept apart (see `Correlator`'s
    /// memory note).
    private var facts: HeaderFacts?
    private var headers: HeaderFacts {
        if let facts { return facts }
        let made = HeaderFacts()
        facts = made
        return made
    }
    var previousQueueID: [UInt8]?
    var notificationFor: [UInt8]?
    /// Raw recipients whose last attempt was deferred, for records at expiry.
    var deferred: [[UInt8]] = []

    init(time: LogTime) {
        firstSeen = time
        lastSeen = time
    }
}

/// The part of a `MessageState` that logged headers and content filters fill in.
final class HeaderFacts {
    var resentMessageID: [UInt8]?
    var inReplyTo: [UInt8]?
    var lastReference: [UInt8]?
    var date: LogTime?
    var from: [[UInt8]]?
    var to: [[UInt8]]?
    var cc: [[UInt8]]?
    var bcc: [[UInt8]]?
    var subjectSize: Int?
    var spamScore: [UInt8]?
    var listHeader = false
    var listPost: [UInt8]?
}

/// Identifies a message: syslog host and queue id, so logs of several servers can be
/// interleaved without mixing their (reused, short) queue ids. The host is a small
/// number from `HostTable` and the queue id is stored inline, so building a key for
/// every line allocates nothing.
struct QueueKey: Hashable {
    var host: UInt32
    var length: UInt8
    var words: (UInt64, UInt64, UInt64, UInt64)

    /// `queueID` must be at most 32 bytes (`QueueID.isQueueID` guarantees it).
    init(host: UInt32, _ b: UnsafeRawBufferPointer, _ queueID: Range<Int>) {
        self.host = host
        length = UInt8(min(queueID.count, 32))
        var packed: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &packed) { raw in
            for (k, i) in queueID.prefix(32).enumerated() { raw[k] = b[i] }
        }
        words = packed
    }

    var queueIDBytes: [UInt8] {
        withUnsafeBytes(of: words) { Array($0.prefix(Int(length))) }
    }

    static func == (a: QueueKey, b: QueueKey) -> Bool {
        a.host == b.host && a.length == b.length && a.words.0 == b.words.0 && a.words.1 == b.words.1
            && a.words.2 == b.words.2 && a.words.3 == b.words.3
    }

    /// Only the words the queue id fills (most fill one or two): equal keys have equal
    /// lengths, so they still hash alike.
    func hash(into hasher: inout Hasher) {
        hasher.combine(UInt64(host) << 8 | UInt64(length))
        hasher.combine(words.0)
        if length > 8 { hasher.combine(words.1) }
        if length > 16 { hasher.combine(words.2) }
        if length > 24 { hasher.combine(words.3) }
    }
}

/// Numbers the syslog hosts seen, remembering the last one so that a stream from one
/// host (the common case) costs a compare per line, not a lookup.
struct HostTable {
    private var ids: [[UInt8]: UInt32] = [:]
    private var last: [UInt8] = []
    private var lastID: UInt32 = 0

    mutating func id(_ b: UnsafeRawBufferPointer, _ host: Range<Int>?) -> UInt32 {
        let bytes = host.map { UnsafeRawBufferPointer(rebasing: b[$0]) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
        if bytes.elementsEqual(last) { return lastID }
        last = Array(bytes)
        if let known = ids[last] {
            lastID = known
        } else {
            lastID = UInt32(ids.count)
            ids[last] = lastID
        }
        return lastID
    }
}
