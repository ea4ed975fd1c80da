import MailScrubBase
import MailScrubParsing

/// Correlates parsed lines by (host, queue id) into one `DeliveryRecord` per delivery
/// status line, per NOQUEUE (or queued) reject, and per recipient still deferred when
/// qmgr expires a message.
///
/// State is dropped at `removed` or expiry, after `maxAge` of log time without a line, and, when
/// more than `maxOpenMessages` are open, the least recently seen one at once (O(1) amortized:
/// an age-ordered list, no sorting); memory stays bounded on endless input.
public struct Correlator {
    public struct Options: Equatable, Sendable {
        /// Domains the server delivers for (lowercase); empty means "use the relay rule".
        public var localDomains: [String]
        /// Seconds of log time after which an open message is forgotten.
        public var maxAge: Int64
        /// Open messages kept at most.
        public var maxOpenMessages: Int

        public init(localDomains: [String] = [], maxAge: Int64 = 7 * 86_400, maxOpenMessages: Int = 200_000) {
            self.localDomains = localDomains.map { $0.lowercased() }
            self.maxAge = maxAge
            self.maxOpenMessages = maxOpenMessages
        }
    }

    private let options: Options
    private let localDomains: [[UInt8]]
    private var messages = OpenMessages()
    private var hosts = HostTable()
    /// The decoded sender and list of the record being made.
    private var decoded: [UInt8] = []
    private var latest = LogTime(seconds: 0)
    private var linesSinceSweep = 0
    /// Records written, by status.
    public private(set) var recordsByStatus: [String: Int] = [:]
    /// Open messages dropped for age or for the cap (not at `removed`).
    public private(set) var evicted = 0
    /// Messages currently open.
    public var openMessages: Int { messages.count }
    /// Syslog hosts numbered exactly so far.
    var hostCount: Int { hosts.count }

    public init(options: Options = Options()) {
        self.options = options
        localDomains = options.localDomains.map { Array($0.utf8) }
    }

    /// Takes one parsed line; appends the records it completes to `out`, raw, each to be
    /// written with the key of its `loggedAt`.
    package mutating func process(_ b: UnsafeRawBufferPointer, _ event: PostfixEvent, time: LogTime?, into out: inout RecordBatch) {
        let now = time ?? latest
        if now > latest { latest = now }
        messages.settle()
        linesSinceSweep += 1
        if linesSinceSweep >= 4096 { sweep() }

        guard let queueID = event.queueID else {
            if case .reject(let reject) = event.fields { emitReject(b, event, reject, slot: nil, key: nil, now: now, into: &out) }
            return
        }
        let host = hosts.id(b, event.header.host)
        let key = QueueKey(host: host, b, queueID)
        switch event.fields {
        case .client(let submission):
            let slot = start(key, now)
            messages[slot].entry = submission.saslUsername != nil ? .authenticated : .smtp
            if let orig = submission.origQueueID { messages[slot].values.set(.previousQueueID, b, orig) }
        case .pickup(let pickup):
            let slot = start(key, now)
            messages[slot].entry = .pickup
            if let sender = pickup.sender { messages[slot].values.set(.sender, b, sender) }
        case .messageID(let raw):
            let slot = state(key, now)
            if !messages[slot].values.has(.messageID), let id = HeaderValue.bareMessageID(b, raw) {
                messages[slot].values.set(.messageID, b, id)
            }
        case .resentMessageID(let raw):
            let slot = state(key, now)
            if !messages[slot].values.has(.resentMessageID), let id = HeaderValue.bareMessageID(b, raw) {
                messages[slot].values.set(.resentMessageID, b, id)
            }
        case .header(let header):
            Self.header(b, header, &messages[state(key, now)])
        case .queued(let queued):
            let slot = state(key, now)
            messages[slot].values.set(.sender, b, queued.sender)
            messages[slot].values.set(.messageSize, b, queued.size)
            if let nrcpt = queued.nrcpt { messages[slot].values.set(.nrcpt, b, nrcpt) } else { messages[slot].values.remove(.nrcpt) }
        case .delivery(let delivery):
            emitDelivery(b, event, delivery, state(key, now), key, now, into: &out)
        case .expired(let expiry):
            // Expiry ends the message as `removed` does (which usually follows).
            emitExpired(b, event, expiry, state(key, now), key, now, into: &out)
            end(key)
        case .removed:
            end(key)
        case .notification(let notification):
            let slot = state(QueueKey(host: host, b, notification.newQueueID), now)
            messages[slot].values.set(.notificationFor, b, queueID)
        case .reject(let reject):
            emitReject(b, event, reject, slot: messages.find(key), key: key, now: now, into: &out)
        case .contentFilter(let verdict):
            let slot = state(key, now)
            if let score = verdict.spamScore, ASCII.isJSONNumber(b, score) { messages[slot].values.set(.spamScore, b, score) }
            if let next = verdict.nextQueueID {
                messages[state(QueueKey(host: host, b, next), now)].values.set(.previousQueueID, b, queueID)
            }
        case .connect, .disconnect, .unrecognized:
            break
        }
    }

    /// The slot of a message that starts at this line (`client=`, pickup): a message
    /// already queued under this (reused) id without `removed` ends here.
    private mutating func start(_ key: QueueKey, _ now: LogTime) -> Int {
        state(key, now, restartsQueued: true)
    }

    /// Forgets a message, keeping its slot for a later one.
    private mutating func end(_ key: QueueKey) {
        if let slot = messages.find(key) { messages.close(slot) }
    }

    // MARK: State

    /// The slot of the open message `key`, opened now if it is not (or, `restartsQueued`,
    /// if it already went through qmgr), and touched.
    private mutating func state(_ key: QueueKey, _ now: LogTime, restartsQueued: Bool = false) -> Int {
        var (slot, opened) = messages.touchOrOpen(key, now)
        if !opened, restartsQueued, messages[slot].values.has(.messageSize) {
            messages.close(slot)
            (slot, opened) = messages.touchOrOpen(key, now)
        }
        if opened, messages.count > options.maxOpenMessages { evictOldest() }
        return slot
    }

    /// Forgets the least recently seen message (the cap is reached).
    private mutating func evictOldest() {
        guard let slot = messages.oldest() else { return }
        // This runs while the line's own state is in use: its slot is not reused before
        // the next line.
        messages.close(slot, evicted: true)
        messages.dropOldest()
        evicted += 1
    }

    /// Drops messages idle for `maxAge` of log time, oldest first, from the front of the
    /// eviction order; stops at the first one seen more recently.
    private mutating func sweep() {
        linesSinceSweep = 0
        let cutoff = latest.seconds - options.maxAge
        while let slot = messages.oldest(), messages[slot].lastSeen < cutoff {
            messages.close(slot)
            messages.dropOldest()
            evicted += 1
        }
        messages.compactOrder()
    }

    private static func header(_ b: UnsafeRawBufferPointer, _ header: PostfixEvent.Header, _ state: inout MessageState) {
        guard let name = header.name else { return }
        let value = header.value
        func named(_ literal: StaticString) -> Bool { b.matchesWhole(literal, name) }
        if named("from") || named("to") || named("cc") || named("bcc") {
            let field: RawValues.Field = named("from") ? .from : named("to") ? .to : named("cc") ? .cc : .bcc
            state.values.startList(field)
            HeaderValue.forEachAddress(b, value) { state.values.appendItem(b, $0) }
            state.values.endList()
        } else if named("subject") {
            state.subjectSize = Int32(clamping: HeaderValue.characterCount(b, value))
        } else if named("date") {
            state.date = DateHeader.parse(b, value)
        } else if named("in-reply-to") {
            HeaderValue.forEachMessageID(b, value) { id, complete in
                let id = b.trimmingSpaces(id)
                if complete, !id.isEmpty, !state.values.has(.inReplyTo) { state.values.set(.inReplyTo, b, id) }
            }
        } else if named("references") {
            HeaderValue.forEachMessageID(b, value) { id, complete in
                let id = b.trimmingSpaces(id)
                if complete, !id.isEmpty { state.values.set(.lastReference, b, id) }
            }
        } else if named("message-id") {
            if !state.values.has(.messageID), let id = HeaderValue.bareMessageID(b, value) { state.values.set(.messageID, b, id) }
        } else if named("list-id") {
            state.listHeader = true
        } else if named("list-post") {
            state.listHeader = true
            HeaderValue.forEachMessageID(b, value) { inside, complete in
                guard complete, !state.values.has(.listPost), b.matchesIgnoringCase("mailto:", at: inside.lowerBound) else { return }
                let end = b.firstIndex(of: ASCII.question, from: inside.lowerBound, to: inside.upperBound) ?? inside.upperBound
                state.values.set(.listPost, b, inside.lowerBound + 7..<end)
            }
        } else if named("precedence") {
            let word = b.trimmingSpaces(value)
            if b.matchesWhole("list", word) || b.matchesWhole("bulk", word) { state.listHeader = true }
        } else if named("x-spam-score") {
            let score = b.trimmingSpaces(value)
            if ASCII.isJSONNumber(b, score) { state.values.set(.spamScore, b, score) }
        } else if named("x-spam-status") {
            if let at = Delivery.lastIndex(of: "score=", in: b, from: value.lowerBound, to: value.upperBound) {
                var end = at + 6
                while end < value.upperBound, b[end] == ASCII.hyphen || b[end] == ASCII.dot || ASCII.isDigit(b[end]) { end += 1 }
                if ASCII.isJSONNumber(b, at + 6..<end) { state.values.set(.spamScore, b, at + 6..<end) }
            }
        }
    }

    // MARK: Records

    private mutating func emitDelivery(
        _ b: UnsafeRawBufferPointer, _ event: PostfixEvent, _ delivery: PostfixEvent.Delivery, _ slot: Int,
        _ key: QueueKey, _ now: LogTime, into out: inout RecordBatch
    ) {
        var record = baseRecord(b, event, firstSeen: messages[slot].firstSeen, key: key, now: now, into: &out)
        record.status = out.store(b, delivery.status, lowercased: true)
        record.dsn = delivery.dsn.map { out.store(b, $0) }
        let transport = event.header.daemon(in: b)
        record.transport = transport.map { out.store(b, $0) }
        record.delay = delivery.delay.map { out.store(b, $0) }
        record.delays = delivery.delays.map { out.store(b, $0) }
        let relayIsLoopback = delivery.relay.map { isLoopbackRelay(b, $0) } ?? false
        if let next = delivery.nextQueueID, relayIsLoopback {
            record.nextQueueID = out.store(b, next)
            let hop = state(QueueKey(host: key.host, b, next), now)
            if !messages[hop].values.has(.previousQueueID) {
                key.withQueueID { messages[hop].values.set(.previousQueueID, $0, 0..<$0.count) }
            }
        }
        let remoteRelay = delivery.relay.map { !relayIsLoopback && !b.matchesWhole("none", $0) } ?? false
        let smtp = transport.map { b.matchesWhole("smtp", $0) } ?? false
        fill(&record, state: messages[slot], recipient: (b, delivery.recipient),
             origRecipient: delivery.origRecipient.map { (b, $0) }, deliveredBySMTP: smtp && remoteRelay, into: &out)
        // Keep track of recipients waiting for a retry, for records at expiry.
        let deferred = delivery.status.count == 8 && b.matchesIgnoringCase("deferred", at: delivery.status.lowerBound)
        messages[slot].values.replaceItem(in: .deferred, b, delivery.recipient, append: deferred)
        emit(record, into: &out)
    }

    private mutating func emitExpired(
        _ b: UnsafeRawBufferPointer, _ event: PostfixEvent, _ expiry: PostfixEvent.Expired, _ slot: Int,
        _ key: QueueKey, _ now: LogTime, into out: inout RecordBatch
    ) {
        if !messages[slot].values.has(.sender) { messages[slot].values.set(.sender, b, expiry.sender) }
        // A copy to read the deferred recipients from while records are made; it ends
        // with this scope, so that removing them below does not copy the buffer.
        do {
            let state = messages[slot]
            func record(for recipient: (UnsafeRawBufferPointer, Range<Int>)?) {
                var record = baseRecord(b, event, firstSeen: state.firstSeen, key: key, now: now, into: &out)
                record.status = out.store("expired")
                fill(&record, state: state, recipient: recipient, origRecipient: nil, deliveredBySMTP: false, into: &out)
                emit(record, into: &out)
            }
            var any = false
            state.values.bytes.withUnsafeBytes { raw in
                state.values.forEachItem(.deferred) { recipient in
                    any = true
                    record(for: (raw, recipient))
                }
            }
            if !any { record(for: nil) }
        }
        messages[slot].values.remove(.deferred)
    }

    private mutating func emitReject(
        _ b: UnsafeRawBufferPointer, _ event: PostfixEvent, _ reject: PostfixEvent.Reject, slot: Int?,
        key: QueueKey?, now: LogTime, into out: inout RecordBatch
    ) {
        var record = baseRecord(b, event, firstSeen: slot.map { messages[$0].firstSeen }, key: key, now: now, into: &out)
        record.status = out.store("rejected")
        record.dsn = dsn(b, in: reject.text).map { out.store(b, $0) }
        record.rejectReason = out.store(RejectReason.classify(b, reject.text))
        if let sender = reject.sender, slot.map({ messages[$0].values.has(.sender) }) != true {
            // The reject line carries the envelope sender itself (not decoded).
            record.sender = out.store(b, sender)
        }
        if let slot {
            fill(&record, state: messages[slot], recipient: reject.recipient.map { (b, $0) }, origRecipient: nil, deliveredBySMTP: false,
                 into: &out)
        } else if let recipient = reject.recipient {
            record.recipient = out.store(b, recipient)
            record.receivedAt = now
        }
        emit(record, into: &out)
    }

    /// The fields every record takes from the line and the message (first seen then).
    private func baseRecord(
        _ b: UnsafeRawBufferPointer, _ event: PostfixEvent, firstSeen: LogTime?, key: QueueKey?, now: LogTime,
        into out: inout RecordBatch
    ) -> DeliveryRecord {
        var record = DeliveryRecord(loggedAt: now, status: 0..<0)
        record.host = event.header.host.map { out.store(b, $0) }
        record.queueID = key.map { out.store(queueID: $0) }
        record.firstSeenAt = firstSeen ?? now
        return record
    }

    /// Fills the message-level fields from `state` and the recipient-level ones (each
    /// recipient given with the bytes it is a range of).
    private mutating func fill(
        _ record: inout DeliveryRecord, state: MessageState,
        recipient: (UnsafeRawBufferPointer, Range<Int>)?, origRecipient: (UnsafeRawBufferPointer, Range<Int>)?,
        deliveredBySMTP: Bool, into out: inout RecordBatch
    ) {
        let values = state.values
        record.previousQueueID = out.store(values, .previousQueueID)
        record.notificationFor = out.store(values, .notificationFor)
        record.messageID = out.store(values, .messageID)
        record.resentMessageID = out.store(values, .resentMessageID)
        record.reMessageID = out.store(values, .inReplyTo) ?? out.store(values, .lastReference)
        record.date = state.date
        record.from = out.storeList(values, .from)
        record.to = out.storeList(values, .to)
        record.cc = out.storeList(values, .cc)
        record.bcc = out.storeList(values, .bcc)
        record.messageSize = out.store(values, .messageSize)
        record.nrcpt = out.store(values, .nrcpt)
        record.subjectSize = state.subjectSize.map(Int.init)
        record.spamScore = out.store(values, .spamScore)
        record.recipient = recipient.map { out.store($0.0, $0.1) }
        record.origRecipient = origRecipient.map { out.store($0.0, $0.1) }
        if let sender = values.value(.sender), record.sender == nil {
            // The recipients given, first to second.
            let first = recipient.map { UnsafeRawBufferPointer(rebasing: $0.0[$0.1]) }
            let second = origRecipient.map { UnsafeRawBufferPointer(rebasing: $0.0[$0.1]) }
            let spans = values.bytes.withUnsafeBytes { v in
                SenderDecoder.decode(
                    UnsafeRawBufferPointer(rebasing: v[sender]), recipients: first != nil ? (first, second) : (second, nil),
                    into: &decoded)
            }
            decoded.withUnsafeBytes { d in
                record.sender = out.store(d, spans.sender)
                record.list = spans.list.map { out.store(d, $0) }
            }
        }
        record.list = record.list ?? out.store(values, .listPost)
        record.isList = record.list != nil || state.listHeader
        let submitted = state.entry == .authenticated || state.entry == .pickup
        if submitted, let recipient {
            record.isOutgoing = localDomains.isEmpty ? deliveredBySMTP : !isLocal(recipient.0, recipient.1)
        }
        if record.isOutgoing {
            record.sentAt = state.firstSeen
            record.receivedAt = record.loggedAt
        } else {
            record.sentAt = state.date
            record.receivedAt = state.firstSeen
        }
    }

    private mutating func emit(_ record: DeliveryRecord, into out: inout RecordBatch) {
        out.append(record)
        let status = out.bytes.withUnsafeBytes { String(decoding: UnsafeRawBufferPointer(rebasing: $0[record.status]), as: UTF8.self) }
        recordsByStatus[status, default: 0] += 1
    }

    // MARK: Helpers

    /// The first `x.y.z` enhanced status code in a reply text.
    private func dsn(_ b: UnsafeRawBufferPointer, in range: Range<Int>) -> Range<Int>? {
        var i = range.lowerBound
        while i + 5 <= range.upperBound {
            if (b[i] == 0x32 || b[i] == 0x34 || b[i] == 0x35), b[i + 1] == ASCII.dot, i == range.lowerBound || b[i - 1] == ASCII.space {
                var j = i + 2
                var dots = 1
                while j < range.upperBound, ASCII.isDigit(b[j]) || (b[j] == ASCII.dot && dots < 2) {
                    if b[j] == ASCII.dot { dots += 1 }
                    j += 1
                }
                if dots == 2, ASCII.isDigit(b[j - 1]) { return i..<j }
            }
            i += 1
        }
        return nil
    }

    /// Whether a relay (`host[127.0.0.1]:10024`, `localhost[::1]`) is this machine.
    private func isLoopbackRelay(_ b: UnsafeRawBufferPointer, _ relay: Range<Int>) -> Bool {
        guard let open = b.firstIndex(of: ASCII.leftBracket, from: relay.lowerBound, to: relay.upperBound) else { return false }
        return b.matches("127.", at: open + 1) || b.matches("::1]", at: open + 1)
    }

    private func isLocal(_ b: UnsafeRawBufferPointer, _ recipient: Range<Int>) -> Bool {
        guard let at = b.lastIndex(of: ASCII.at, from: recipient.lowerBound, to: recipient.upperBound) else { return true }
        var end = recipient.upperBound
        while end > at + 1, b[end - 1] == ASCII.dot || b[end - 1] == ASCII.greaterThan { end -= 1 }
        let domain = at + 1..<end
        return localDomains.contains { local in
            local.count == domain.count && zip(local, domain).allSatisfy { $0 == ASCII.lower(b[$1]) }
        }
    }
}
