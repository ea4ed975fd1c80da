/// What is known about one message (one queue id on one host) until its delivery
/// records are written. Holds pseudonyms already rendered, except the raw envelope
/// sender, which can only be decoded per delivery (VERP encodes the recipient).
final class MessageState {
    /// How the message entered Postfix, for the direction rule.
    enum Entry { case unknown, smtp, authenticated, pickup }

    var firstSeen: LogTime
    var lastSeen: LogTime
    var entry = Entry.unknown
    /// Raw envelope sender from qmgr (or pickup); empty for `<>`.
    var sender: [UInt8]?
    var messageSize: [UInt8]?
    var nrcpt: [UInt8]?
    var messageID: [UInt8]?
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
    /// A List-Id, List-Post or `Precedence: list|bulk` header was logged.
    var listHeader = false
    /// Pseudonym of the address in a logged List-Post header.
    var listPost: [UInt8]?
    var previousQueueID: [UInt8]?
    var notificationFor: [UInt8]?
    /// Raw recipients whose last attempt was deferred, for records at expiry.
    var deferred: [[UInt8]] = []

    init(time: LogTime) {
        firstSeen = time
        lastSeen = time
    }
}

/// Identifies a message: syslog host and queue id, so logs of several servers can be
/// interleaved without mixing their (reused, short) queue ids.
struct QueueKey: Hashable {
    var bytes: [UInt8]

    init(_ b: UnsafeRawBufferPointer, host: Range<Int>?, queueID: Range<Int>) {
        bytes = []
        bytes.reserveCapacity((host?.count ?? 0) + queueID.count + 1)
        if let host { bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[host])) }
        bytes.append(0)
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[queueID]))
    }

    init(host: [UInt8], queueID: [UInt8]) {
        bytes = host + [0] + queueID
    }

    var host: ArraySlice<UInt8> { bytes[..<(bytes.firstIndex(of: 0) ?? bytes.endIndex)] }
}
