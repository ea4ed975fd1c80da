import MailScrubBase

/// Delivery agents (smtp, lmtp, local, virtual, pipe, error, discard, retry):
///
///     QID: to=<r>[, orig_to=<o>], relay=R[, conn_use=N], delay=D[, delays=a/b/c/d][, tls=…][, dsn=x.y.z], status=S (text)
///
/// Fields are read left to right at the top level of the line (see `KeyValue`), so text
/// inside an address can never stand in for a field. A status that is not one of
/// Postfix's words makes the line unrecognized, and so scrubbed as a whole.
package enum Delivery {
    static func parse(_ b: UnsafeRawBufferPointer, _ event: inout PostfixEvent, after start: Int) -> Bool {
        let end = b.count
        guard b.matches("to=", at: start) else { return false }
        let to = KeyValue.value(b, at: start + 3, end: end)
        var d = PostfixEvent.Delivery(recipient: to, status: 0..<0)
        var i = KeyValue.end(of: to, in: b)
        var statusStart: Int?
        while let equals = KeyValue.nextEquals(b, from: i, to: end) {
            var keyStart = equals
            while keyStart > i, ASCII.isKeyByte(b[keyStart - 1]) { keyStart -= 1 }
            let key = keyStart..<equals
            if b.matchesWhole("status", key) {
                statusStart = equals + 1
                break
            }
            let value = KeyValue.value(b, at: equals + 1, end: end)
            if b.matchesWhole("orig_to", key) {
                d.origRecipient = value
            } else if b.matchesWhole("relay", key) {
                d.relay = value
            } else if b.matchesWhole("delay", key) {
                d.delay = value
            } else if b.matchesWhole("delays", key) {
                // Written as they are by events and records: only `a/b/c/d`, four numbers
                // with at most one dot each, passes (`10.0.5.00` would read as an address).
                if isDelays(b, value) { d.delays = value }
            } else if b.matchesWhole("dsn", key) {
                if isDSN(b, value) { d.dsn = value }
            }
            i = max(equals + 1, KeyValue.end(of: value, in: b))
        }
        guard let statusStart else { return false }
        i = statusStart
        while i < end, ASCII.isAlpha(b[i]) || b[i] == ASCII.hyphen { i += 1 }
        let status = statusStart..<i
        guard isStatusWord(b, status), i == end || b[i] == ASCII.space else { return false }
        d.status = status
        // The text is in the parentheses after the status (after anything a damaged or
        // hostile line repeats in between, such as a second `status=`).
        if let open = b.firstIndex(of: ASCII.leftParen, from: i, to: end) {
            let close = b.lastIndex(of: ASCII.rightParen, from: open + 1, to: end) ?? end
            d.nextQueueID = queuedAs(b, in: open + 1..<close)
            if isBareDomain(b, open + 1..<close) { d.nexthop = open + 1..<close } else { d.text = open + 1..<close }
        }
        event.fields = .delivery(d)
        return true
    }

    /// discard(8): a delivery line whose status text is the next hop, the recipient's
    /// domain, not prose: it is kept apart so it is pseudonymized as a domain.
    static func parseDiscard(_ b: UnsafeRawBufferPointer, _ event: inout PostfixEvent, after start: Int) -> Bool {
        guard parse(b, &event, after: start) else { return false }
        if case .delivery(var d) = event.fields, d.nexthop == nil {
            d.nexthop = d.text
            d.text = nil
            event.fields = .delivery(d)
        }
        return true
    }

    /// Whether `range` is an enhanced status code (`2.0.0`, `5.1.10`).
    static func isDSN(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        guard range.count >= 5, range.count <= 11 else { return false }
        var dots = 0
        for i in range {
            if b[i] == ASCII.dot { dots += 1 } else if !ASCII.isDigit(b[i]) { return false }
        }
        return dots == 2 && b[range.lowerBound + 1] == ASCII.dot && b[range.upperBound - 1] != ASCII.dot
    }

    /// Whether `range` is one domain name and nothing else (`example.org`).
    package static func isBareDomain(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        guard range.count >= 3, b[range.lowerBound] != ASCII.dot, b[range.upperBound - 1] != ASCII.dot else { return false }
        var dot = false
        var letter = false
        for i in range {
            let c = b[i]
            guard c < 0x80, ASCII.isDomainByte(c) else { return false }
            if c == ASCII.dot { dot = true }
            if ASCII.isAlpha(c) { letter = true }
        }
        return dot && letter
    }

    /// Whether `range`, a status text cut by the end of its line, may be the start of a
    /// domain: name bytes only, a letter among them. A cut may fall after a dot or before
    /// the first one (`(mail.examp`, `(mail.`, `(mail`), so neither is required.
    package static func isCutDomain(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        guard !range.isEmpty, b[range.lowerBound] != ASCII.dot else { return false }
        var letter = false
        for i in range {
            let c = b[i]
            guard c < 0x80, ASCII.isDomainByte(c) else { return false }
            if ASCII.isAlpha(c) { letter = true }
        }
        return letter
    }

    /// `a/b/c/d`: four numbers (digits, at most one dot between digits), as Postfix logs delays.
    static func isDelays(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        var parts = 0
        var start = range.lowerBound
        for i in range.lowerBound...range.upperBound where i == range.upperBound || b[i] == ASCII.slash {
            guard ASCII.isJSONNumber(b, start..<i), b[start] != ASCII.hyphen else { return false }
            parts += 1
            start = i + 1
        }
        return parts == 4
    }

    /// Whether `status=WORD ` stands right before `open` (spaces or junk bytes between).
    package static func followsStatus(_ b: UnsafeRawBufferPointer, _ open: Int) -> Bool {
        var i = open
        while i > 0, open - i < 16, HeaderCheckLine.isJunk(b[i - 1]) { i -= 1 }
        guard i < open else { return false }
        while i > 0, ASCII.isAlpha(b[i - 1]) { i -= 1 }
        return i >= 7 && b.matches("status=", at: i - 7)
    }

    /// Postfix's delivery status words (`status=` of delivery agents, and of address
    /// verification): anything else is not a delivery line we understand.
    static func isStatusWord(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        b.matchesWhole("sent", range) || b.matchesWhole("deferred", range) || b.matchesWhole("bounced", range)
            || b.matchesWhole("expired", range) || b.matchesWhole("deliverable", range)
            || b.matchesWhole("undeliverable", range) || b.matchesWhole("softbounce", range)
    }

    /// The queue id after the last `queued as ` in `range` (the next hop's queue id).
    static func queuedAs(_ b: UnsafeRawBufferPointer, in range: Range<Int>) -> Range<Int>? {
        guard let at = lastIndex(of: "queued as ", in: b, from: range.lowerBound, to: range.upperBound) else { return nil }
        var j = at + 10
        while j < range.upperBound, ASCII.isAlnum(b[j]) { j += 1 }
        return QueueID.isQueueID(b, at + 10..<j) ? at + 10..<j : nil
    }

    /// Where `literal` last starts in `from..<to`, wholly inside it, or nil.
    package static func lastIndex(of literal: StaticString, in b: UnsafeRawBufferPointer, from: Int, to: Int) -> Int? {
        let n = literal.utf8CodeUnitCount
        guard n > 0 else { return to >= from ? to : nil }
        // Only where the first byte is (found a vector or a word at a time) is the rest compared.
        let first = ByteSet(literal.utf8Start[0])
        var limit = to - n + 1
        while limit > from, let i = first.lastIndex(in: b, from: from, to: limit) {
            if b.matches(literal, at: i) { return i }
            limit = i
        }
        return nil
    }
}
