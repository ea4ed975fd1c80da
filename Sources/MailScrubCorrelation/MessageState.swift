import MailScrubBase
import MailScrubParsing

/// What is known about one message (one queue id on one host) until its delivery
/// records are written. Holds raw values, kept in memory only: they are pseudonymized
/// when a record is written, with the key of that record's epoch, and the sender can
/// only be decoded per delivery (VERP encodes the recipient). `OpenMessages` reuses
/// states of ended messages, buffers and all, so a steady run allocates none.
struct MessageState {
    /// How the message entered Postfix, for the direction rule.
    enum Entry: UInt8 { case unknown, smtp, authenticated, pickup }

    // Eight-byte fields first, so that a state packs into 144 bytes: a flood of
    // unfinished sessions keeps `maxOpenMessages` of them.
    var key: QueueKey
    /// Seconds of log time of the latest line, for aging.
    var lastSeen: Int64
    /// Serial of the latest touch (0: never touched), and of the touch its entry in the
    /// eviction order was made with (0 once closed).
    var touch = 0
    var queued = 0
    /// The raw envelope sender from qmgr or pickup (empty for `<>`), size and nrcpt,
    /// message-ids (what is hashed: the inside of `<…>`, or the whole broken value), the
    /// logged headers' addresses and values, the queue ids it is linked to, and the
    /// recipients whose last attempt was deferred.
    var values = RawValues()
    /// The low bits of the key's hash, which the index files the message under: a
    /// removal finds its bucket without hashing the key again.
    var keyHash: UInt32
    var firstSeen: LogTime
    /// The logged Date header and Subject length (in characters).
    var date: LogTime?
    var subjectSize: Int32?
    var entry = Entry.unknown
    /// Whether a List-Id, List-Post or `Precedence: list|bulk` header was logged.
    var listHeader = false

    init(key: QueueKey, keyHash: UInt32, time: LogTime) {
        self.key = key
        self.keyHash = keyHash
        firstSeen = time
        lastSeen = time.seconds
    }

    /// Makes this the state of a new message first seen at `time`, keeping its buffer.
    mutating func reset(key: QueueKey, keyHash: UInt32, time: LogTime) {
        self.key = key
        self.keyHash = keyHash
        firstSeen = time
        lastSeen = time.seconds
        touch = 0
        queued = 0
        entry = .unknown
        values.removeAll()
        date = nil
        subjectSize = nil
        listHeader = false
    }
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

    /// Calls `body` with the queue id's bytes.
    func withQueueID<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        withUnsafeBytes(of: words) { body(UnsafeRawBufferPointer(rebasing: $0[0..<Int(length)])) }
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
/// host (the common case) costs a compare per line, not a lookup. The first `capacity`
/// hosts are numbered exactly; beyond them (only junk or hostile input names so many)
/// a host's number is a hash of its name with the top bit set, so the table stays
/// bounded on endless input. Two such hosts could share a number, and their messages
/// a key only if they also share a queue id while both are open.
struct HostTable {
    static let capacity = 4096
    private var ids: [[UInt8]: UInt32] = [:]
    private var last: [UInt8] = []
    private var lastID: UInt32 = 0

    /// Hosts numbered exactly.
    var count: Int { ids.count }

    mutating func id(_ b: UnsafeRawBufferPointer, _ host: Range<Int>?) -> UInt32 {
        let bytes = host.map { UnsafeRawBufferPointer(rebasing: b[$0]) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
        if bytes.elementsEqual(last) { return lastID }
        last.removeAll(keepingCapacity: true)
        last.append(contentsOf: bytes)
        if let known = ids[last] {
            lastID = known
        } else if ids.count < Self.capacity {
            lastID = UInt32(ids.count)
            ids[last] = lastID
        } else {
            var hasher = Hasher()
            hasher.combine(bytes: bytes)
            lastID = 0x8000_0000 | UInt32(truncatingIfNeeded: hasher.finalize()) & 0x7FFF_FFFF
        }
        return lastID
    }
}
