/// Delivery agents (smtp, lmtp, local, virtual, pipe, error, discard, retry):
///
///     QID: to=<r>[, orig_to=<o>], relay=R[, conn_use=N], delay=D[, delays=a/b/c/d][, tls=…][, dsn=x.y.z], status=S (text)
enum Delivery {
    static func parse(_ b: UnsafeRawBufferPointer, _ event: inout PostfixEvent, after start: Int) -> Bool {
        let end = b.count
        guard b.matches("to=", at: start) else { return false }
        let to = KeyValue.value(b, at: start + 3, end: end)
        event.recipient = to
        guard let statusKey = lastIndex(of: ", status=", in: b, from: start, to: end) else { return false }
        let fields = to.upperBound..<statusKey
        event.origRecipient = KeyValue.find(b, "orig_to=", in: fields)
        event.relay = KeyValue.find(b, "relay=", in: fields)
        event.delay = KeyValue.find(b, "delay=", in: fields)
        event.delays = KeyValue.find(b, "delays=", in: fields)
        event.dsn = KeyValue.find(b, "dsn=", in: fields)
        var i = statusKey + 9
        let statusStart = i
        while i < end, b[i] != ASCII.space { i += 1 }
        event.status = statusStart..<i
        if i + 1 < end, b[i + 1] == ASCII.leftParen {
            let close = b.lastIndex(of: ASCII.rightParen, from: i + 2, to: end) ?? end
            event.text = i + 2..<close
            event.otherQueueID = queuedAs(b, in: i + 2..<close)
        }
        event.kind = .delivery
        return true
    }

    /// The queue id after the last `queued as ` in `range` (the next hop's queue id).
    static func queuedAs(_ b: UnsafeRawBufferPointer, in range: Range<Int>) -> Range<Int>? {
        guard let at = lastIndex(of: "queued as ", in: b, from: range.lowerBound, to: range.upperBound) else { return nil }
        var j = at + 10
        while j < range.upperBound, ASCII.isAlnum(b[j]) { j += 1 }
        return QueueID.isQueueID(b, at + 10..<j) ? at + 10..<j : nil
    }

    static func lastIndex(of literal: StaticString, in b: UnsafeRawBufferPointer, from: Int, to: Int) -> Int? {
        var i = to - literal.utf8CodeUnitCount
        while i >= from {
            if b.matches(literal, at: i) { return i }
            i -= 1
        }
        return nil
    }
}
