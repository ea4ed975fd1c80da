import MailScrubParsing

/// Correlates parsed lines by (host, queue id) into one `DeliveryRecord` per delivery
/// status line, per NOQUEUE (or queued) reject, and per recipient still deferred when
/// qmgr expires a message.
///
/// State is dropped at `removed` or expiry, after `maxAge` of log time without a line, and, when
/// more than `maxOpenMessages` are open, the least recently seen one at once (O(1) amortized:
/// an age-ordered list, no sorting); memory stays bounded on endless input.
public final class Correlator {
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
    /// Words compared and written per record, made once (not per line, not lazy globals).
    private let smtp = Array("smtp".utf8), deferred = Array("deferred".utf8)
    private let expired = Array("expired".utf8), rejected = Array("rejected".utf8)
    private var states: [QueueKey: MessageState] = [:]
    private var hosts = HostTable()
    private var words = WordCache()
    private var latest = LogTime(seconds: 0)
    private var linesSinceSweep = 0
    /// Open messages, least recently seen first from `orderStart`, each with the touch
    /// serial it was queued with; an entry whose serial is not its message's `queued` is
    /// stale and skipped. Bounded: stale entries are dropped once they dominate.
    private var order: [(key: QueueKey, touch: Int)] = []
    private var orderStart = 0
    /// Touches so far: the serial of the latest.
    private var touches = 0
    /// Records written, by status.
    public private(set) var recordsByStatus: [String: Int] = [:]
    /// Open messages dropped for age or for the cap (not at `removed`).
    public private(set) var evicted = 0
    /// Messages currently open.
    public var openMessages: Int { states.count }

    public init(options: Options = Options()) {
        self.options = options
        localDomains = options.localDomains.map { Array($0.utf8) }
    }

    /// Takes one parsed line; appends the records it completes to `out`, raw, each to be
    /// written with the key of its `loggedAt`.
    package func process(_ b: UnsafeRawBufferPointer, _ event: PostfixEvent, time: LogTime?, into out: inout [DeliveryRecord]) {
        let now = time ?? latest
        if now > latest { latest = now }
        linesSinceSweep += 1
        if linesSinceSweep >= 4096 { sweep() }

        guard let queueID = event.queueID else {
            if case .reject(let reject) = event.fields { emitReject(b, event, reject, state: nil, key: nil, now: now, into: &out) }
            return
        }
        let host = hosts.id(b, event.header.host)
        let key = QueueKey(host: host, b, queueID)
        switch event.fields {
        case .client(let submission):
            let state = start(key, now)
            state.entry = submission.saslUsername != nil ? .authenticated : .smtp
            if let orig = submission.origQueueID { state.previousQueueID = bytes(b, orig) }
        case .pickup(let pickup):
            let state = start(key, now)
            state.entry = .pickup
            if let sender = pickup.sender { state.sender = bytes(b, sender) }
        case .messageID(let raw):
            let state = self.state(key, now)
            if state.messageID == nil { state.messageID = HeaderValue.bareMessageID(b, raw).map { bytes(b, $0) } }
        case .resentMessageID(let raw):
            let state = self.state(key, now)
            if state.resentMessageID == nil { state.resentMessageID = HeaderValue.bareMessageID(b, raw).map { bytes(b, $0) } }
        case .header(let header):
            self.header(b, header, state(key, now))
        case .queued(let queued):
            let state = self.state(key, now)
            state.sender = bytes(b, queued.sender)
            state.messageSize = bytes(b, queued.size)
            state.nrcpt = queued.nrcpt.map { bytes(b, $0) }
        case .delivery(let delivery):
            let state = self.state(key, now)
            emitDelivery(b, event, delivery, state, key, now, into: &out)
        case .expired(let expiry):
            // Expiry ends the message as `removed` does (which usually follows).
            emitExpired(b, event, expiry, self.state(key, now), key, now, into: &out)
            states[key] = nil
        case .removed:
            states[key] = nil
        case .notification(let notification):
            let message = self.state(QueueKey(host: host, b, notification.newQueueID), now)
            message.notificationFor = bytes(b, queueID)
        case .reject(let reject):
            emitReject(b, event, reject, state: states[key], key: key, now: now, into: &out)
        case .contentFilter(let verdict):
            let state = self.state(key, now)
            if let score = verdict.spamScore, ASCII.isJSONNumber(b, score) { state.spamScore = bytes(b, score) }
            if let next = verdict.nextQueueID {
                self.state(QueueKey(host: host, b, next), now).previousQueueID = bytes(b, queueID)
            }
        case .connect, .disconnect, .unrecognized:
            break
        }
    }

    /// The state of a message that starts at this line (`client=`, pickup).
    private func start(_ key: QueueKey, _ now: LogTime) -> MessageState {
        // A message already queued under this (reused) id without `removed` ends here.
        if states[key]?.messageSize != nil { states[key] = nil }
        return state(key, now)
    }

    // MARK: State

    private func state(_ key: QueueKey, _ now: LogTime) -> MessageState {
        if let existing = states[key] {
            touch(key, existing, now)
            return existing
        }
        let state = MessageState(time: now)
        states[key] = state
        touch(key, state, now)
        if states.count > options.maxOpenMessages { evictOldest() }
        return state
    }

    /// Marks `state` as seen now. A new message joins the back of the eviction order;
    /// one seen again keeps its place and is moved back when it reaches the front.
    private func touch(_ key: QueueKey, _ state: MessageState, _ now: LogTime) {
        state.lastSeen = now
        touches += 1
        if state.touch == 0 {
            order.append((key, touches))
            // Entries of messages already gone pile up in busy logs; once they outnumber
            // the open ones, drop them (linear, after as many appends: O(1) amortized).
            if order.count - orderStart > 2 * states.count + 1024 {
                order = order[orderStart...].filter { states[$0.key]?.queued == $0.touch }
                orderStart = 0
            }
            state.queued = touches
        }
        state.touch = touches
    }

    /// The least recently seen open message and its key, or nil when none is open. Each
    /// message seen since it was queued goes to the back instead (second chance), so
    /// every step is O(1) amortized and the order holds one entry per message.
    private func oldest() -> (key: QueueKey, state: MessageState)? {
        while orderStart < order.count {
            let (key, serial) = order[orderStart]
            guard let state = states[key], state.queued == serial else {
                orderStart += 1
                continue
            }
            if state.touch == serial { return (key, state) }
            orderStart += 1
            order.append((key, state.touch))
            state.queued = state.touch
        }
        return nil
    }

    /// Forgets the least recently seen message (the cap is reached).
    private func evictOldest() {
        guard let (key, _) = oldest() else { return }
        states[key] = nil
        orderStart += 1
        evicted += 1
    }

    /// Drops messages idle for `maxAge` of log time, oldest first, from the front of the
    /// eviction order; stops at the first one seen more recently.
    private func sweep() {
        linesSinceSweep = 0
        let cutoff = latest.seconds - options.maxAge
        while let (key, state) = oldest(), state.lastSeen.seconds < cutoff {
            states[key] = nil
            orderStart += 1
            evicted += 1
        }
        if orderStart > 4096, orderStart * 2 > order.count {
            order.removeFirst(orderStart)
            orderStart = 0
        }
    }

    private func header(_ b: UnsafeRawBufferPointer, _ header: PostfixEvent.Header, _ state: MessageState) {
        guard let name = header.name else { return }
        let value = header.value
        func named(_ literal: StaticString) -> Bool { b.matchesWhole(literal, name) }
        if named("from") || named("to") || named("cc") || named("bcc") {
            var list: [[UInt8]] = []
            HeaderValue.forEachAddress(b, value) { list.append(bytes(b, $0)) }
            if named("from") { state.from = list } else if named("to") { state.to = list }
            else if named("cc") { state.cc = list } else { state.bcc = list }
        } else if named("subject") {
            state.subjectSize = HeaderValue.characterCount(b, value)
        } else if named("date") {
            state.date = DateHeader.parse(b, value)
        } else if named("in-reply-to") {
            HeaderValue.forEachMessageID(b, value) { id, complete in
                let id = b.trimmingSpaces(id)
                if complete, !id.isEmpty, state.inReplyTo == nil { state.inReplyTo = bytes(b, id) }
            }
        } else if named("references") {
            HeaderValue.forEachMessageID(b, value) { id, complete in
                let id = b.trimmingSpaces(id)
                if complete, !id.isEmpty { state.lastReference = bytes(b, id) }
            }
        } else if named("message-id") {
            if state.messageID == nil { state.messageID = HeaderValue.bareMessageID(b, value).map { bytes(b, $0) } }
        } else if named("list-id") {
            state.listHeader = true
        } else if named("list-post") {
            state.listHeader = true
            HeaderValue.forEachMessageID(b, value) { inside, complete in
                guard complete, state.listPost == nil, b.matchesIgnoringCase("mailto:", at: inside.lowerBound) else { return }
                let end = b.firstIndex(of: ASCII.question, from: inside.lowerBound, to: inside.upperBound) ?? inside.upperBound
                state.listPost = bytes(b, inside.lowerBound + 7..<end)
            }
        } else if named("precedence") {
            let word = b.trimmingSpaces(value)
            if b.matchesWhole("list", word) || b.matchesWhole("bulk", word) { state.listHeader = true }
        } else if named("x-spam-score") {
            let score = b.trimmingSpaces(value)
            if ASCII.isJSONNumber(b, score) { state.spamScore = bytes(b, score) }
        } else if named("x-spam-status") {
            if let at = Delivery.lastIndex(of: "score=", in: b, from: value.lowerBound, to: value.upperBound) {
                var end = at + 6
                while end < value.upperBound, b[end] == ASCII.hyphen || b[end] == ASCII.dot || ASCII.isDigit(b[end]) { end += 1 }
                if ASCII.isJSONNumber(b, at + 6..<end) { state.spamScore = bytes(b, at + 6..<end) }
            }
        }
    }

    // MARK: Records

    private func emitDelivery(
        _ b: UnsafeRawBufferPointer, _ event: PostfixEvent, _ delivery: PostfixEvent.Delivery, _ state: MessageState,
        _ key: QueueKey, _ now: LogTime, into out: inout [DeliveryRecord]
    ) {
        let recipient = bytes(b, delivery.recipient)
        let origRecipient = delivery.origRecipient.map { bytes(b, $0) }
        var record = baseRecord(b, event, state: state, key: key, now: now)
        let status = words.word(b, delivery.status, lowercased: true)
        record.status = status
        record.dsn = delivery.dsn.map { words.word(b, $0) }
        record.transport = event.header.daemon(in: b).map { words.word(b, $0) }
        record.delay = delivery.delay.map { words.word(b, $0) }
        record.delays = delivery.delays.map { words.word(b, $0) }
        let relayIsLoopback = delivery.relay.map { isLoopbackRelay(b, $0) } ?? false
        if let next = delivery.nextQueueID, relayIsLoopback {
            record.nextQueueID = bytes(b, next)
            let hop = self.state(QueueKey(host: key.host, b, next), now)
            if hop.previousQueueID == nil { hop.previousQueueID = key.queueIDBytes }
        }
        let remoteRelay = delivery.relay.map { !relayIsLoopback && !b.matchesWhole("none", $0) } ?? false
        fill(&record, state: state, recipient: recipient, origRecipient: origRecipient,
             deliveredBySMTP: record.transport == smtp && remoteRelay)
        // Keep track of recipients waiting for a retry, for records at expiry.
        state.deferred.removeAll { $0 == recipient }
        if status == deferred { state.deferred.append(recipient) }
        emit(record, into: &out)
    }

    private func emitExpired(
        _ b: UnsafeRawBufferPointer, _ event: PostfixEvent, _ expiry: PostfixEvent.Expired, _ state: MessageState,
        _ key: QueueKey, _ now: LogTime, into out: inout [DeliveryRecord]
    ) {
        if state.sender == nil { state.sender = bytes(b, expiry.sender) }
        let recipients: [[UInt8]?] = state.deferred.isEmpty ? [nil] : state.deferred
        for recipient in recipients {
            var record = baseRecord(b, event, state: state, key: key, now: now)
            record.status = expired
            fill(&record, state: state, recipient: recipient, origRecipient: nil, deliveredBySMTP: false)
            emit(record, into: &out)
        }
        state.deferred.removeAll()
    }

    private func emitReject(
        _ b: UnsafeRawBufferPointer, _ event: PostfixEvent, _ reject: PostfixEvent.Reject, state: MessageState?,
        key: QueueKey?, now: LogTime, into out: inout [DeliveryRecord]
    ) {
        var record = baseRecord(b, event, state: state, key: key, now: now)
        record.status = rejected
        record.dsn = dsn(b, in: reject.text)
        record.rejectReason = Array(RejectReason.classify(b, reject.text).utf8)
        let recipient = reject.recipient.map { bytes(b, $0) }
        if let sender = reject.sender, state?.sender == nil {
            // The reject line carries the envelope sender itself (not decoded).
            record.sender = bytes(b, sender)
        }
        if let state {
            fill(&record, state: state, recipient: recipient, origRecipient: nil, deliveredBySMTP: false)
        } else if let recipient {
            record.recipient = recipient
            record.receivedAt = now
        }
        emit(record, into: &out)
    }

    /// The fields every record takes from the line and the state.
    private func baseRecord(
        _ b: UnsafeRawBufferPointer, _ event: PostfixEvent, state: MessageState?, key: QueueKey?, now: LogTime
    ) -> DeliveryRecord {
        var record = DeliveryRecord(loggedAt: now, status: [])
        record.host = event.header.host.map { words.word(b, $0) }
        record.queueID = key?.queueIDBytes
        record.firstSeenAt = state?.firstSeen ?? now
        return record
    }

    /// Fills the message-level fields from `state` and the recipient-level ones.
    private func fill(
        _ record: inout DeliveryRecord, state: MessageState, recipient: [UInt8]?, origRecipient: [UInt8]?,
        deliveredBySMTP: Bool
    ) {
        record.previousQueueID = state.previousQueueID
        record.notificationFor = state.notificationFor
        record.messageID = state.messageID
        record.resentMessageID = state.resentMessageID
        record.reMessageID = state.inReplyTo ?? state.lastReference
        record.date = state.date
        record.from = state.from
        record.to = state.to
        record.cc = state.cc
        record.bcc = state.bcc
        record.messageSize = state.messageSize
        record.nrcpt = state.nrcpt
        record.subjectSize = state.subjectSize
        record.spamScore = state.spamScore
        record.recipient = recipient
        record.origRecipient = origRecipient
        if let sender = state.sender, record.sender == nil {
            let decoded = SenderDecoder.decode(sender, recipients: [recipient, origRecipient].compactMap { $0 })
            record.sender = decoded.sender
            record.list = decoded.list
        }
        record.list = record.list ?? state.listPost
        record.isList = record.list != nil || state.listHeader
        let submitted = state.entry == .authenticated || state.entry == .pickup
        if submitted, let recipient {
            record.isOutgoing = localDomains.isEmpty ? deliveredBySMTP : !isLocal(recipient)
        }
        if record.isOutgoing {
            record.sentAt = state.firstSeen
            record.receivedAt = record.loggedAt
        } else {
            record.sentAt = state.date
            record.receivedAt = state.firstSeen
        }
    }

    private func emit(_ record: DeliveryRecord, into out: inout [DeliveryRecord]) {
        out.append(record)
        recordsByStatus[String(decoding: record.status, as: UTF8.self), default: 0] += 1
    }

    // MARK: Helpers

    private func bytes(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> [UInt8] {
        Array(UnsafeRawBufferPointer(rebasing: b[range]))
    }

    /// The first `x.y.z` enhanced status code in a reply text.
    private func dsn(_ b: UnsafeRawBufferPointer, in range: Range<Int>) -> [UInt8]? {
        var i = range.lowerBound
        while i + 5 <= range.upperBound {
            if (b[i] == 0x32 || b[i] == 0x34 || b[i] == 0x35), b[i + 1] == ASCII.dot, i == range.lowerBound || b[i - 1] == ASCII.space {
                var j = i + 2
                var dots = 1
                while j < range.upperBound, ASCII.isDigit(b[j]) || (b[j] == ASCII.dot && dots < 2) {
                    if b[j] == ASCII.dot { dots += 1 }
                    j += 1
                }
                if dots == 2, ASCII.isDigit(b[j - 1]) { return words.word(b, i..<j) }
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

    private func isLocal(_ recipient: [UInt8]) -> Bool {
        guard let at = recipient.lastIndex(of: ASCII.at) else { return true }
        var domain = recipient[(at + 1)...].map(ASCII.lower)
        while domain.last == ASCII.dot || domain.last == ASCII.greaterThan { domain.removeLast() }
        return localDomains.contains(domain)
    }
}
