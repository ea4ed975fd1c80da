import MailScrubBase

/// smtpd and postscreen: connections, `QID: client=…`, and rejects.
///
///     connect from NAME[ADDR]            disconnect from NAME[ADDR] ehlo=1 …
///     QID: client=NAME[ADDR][, sasl_method=M][, sasl_username=U][, orig_queue_id=Q][, orig_client=…]
///     NOQUEUE: reject: RCPT from NAME[ADDR]: 550 5.1.1 <r>: …; from=<s> to=<r> proto=ESMTP helo=<h>
enum Smtpd {
    static func parse(_ b: UnsafeRawBufferPointer, _ event: inout PostfixEvent, after start: Int) -> Bool {
        let end = b.count
        if event.queueID == nil {
            let prefixes: [(StaticString, PostfixEvent.Kind)] = [("connect from ", .connect), ("disconnect from ", .disconnect)]
            for (prefix, kind) in prefixes where b.matches(prefix, at: start) {
                let from = start + prefix.utf8CodeUnitCount
                let client = KeyValue.hostAndAddress(b, at: from, end: end)
                let fields = PostfixEvent.Client(name: client?.name, ip: client?.address)
                event.fields = kind == .connect ? .connect(fields) : .disconnect(fields)
                return true
            }
        }
        if b.matches("client=", at: start) {
            let fields = start..<end
            let client = KeyValue.hostAndAddress(b, at: start + 7, end: end)
            var submission = PostfixEvent.Submission(client: PostfixEvent.Client(name: client?.name, ip: client?.address))
            submission.saslUsername = KeyValue.find(b, "sasl_username=", in: fields)
            if let orig = KeyValue.find(b, "orig_queue_id=", in: fields), QueueID.isQueueID(b, orig) { submission.origQueueID = orig }
            event.fields = .client(submission)
            return true
        }
        return Reject.parse(b, &event, after: start)
    }
}

/// `ACTION: STAGE from NAME[ADDR]: REPLY; from=<s> to=<r> proto=P helo=<h>`, where ACTION
/// is reject, milter-reject or proxy-reject (smtpd, postscreen, cleanup).
enum Reject {
    static func parse(_ b: UnsafeRawBufferPointer, _ event: inout PostfixEvent, after start: Int) -> Bool {
        let end = b.count
        var i = start
        while i < end, ASCII.isAlpha(b[i]) || b[i] == ASCII.hyphen { i += 1 }
        let action = start..<i
        guard b.matches(": ", at: i),
              action.count == 6 && b.matches("reject", at: start)
                || b.matches("milter-reject", at: start) && action.count == 13
                || b.matches("proxy-reject", at: start) && action.count == 12 else { return false }
        // cleanup's `reject: body …` / `reject: header …` (junk or not between the
        // words) logs content, which is header_checks' to read, not a reply text.
        if HeaderCheckLine.match(b, at: start) != nil { return false }
        // The envelope part starts at the last `; from=<` / `; to=<`; the reply before it.
        let envelope = Delivery.lastIndex(of: "; from=<", in: b, from: i, to: end)
            ?? Delivery.lastIndex(of: "; to=<", in: b, from: i, to: end) ?? end
        let fields = envelope..<end
        var reject = PostfixEvent.Reject(
            action: action, client: PostfixEvent.Client(), sender: KeyValue.find(b, "from=", in: fields),
            recipient: KeyValue.find(b, "to=", in: fields), text: i + 2..<envelope)
        if let fromWord = b.firstIndex(of: ASCII.leftBracket, from: i, to: envelope),
           let client = KeyValue.hostAndAddress(b, at: nameStart(b, before: fromWord, limit: i), end: envelope) {
            reject.client = PostfixEvent.Client(name: client.name, ip: client.address)
            var replyStart = client.address.upperBound + 1
            while replyStart < envelope, b[replyStart] != ASCII.space { replyStart += 1 }
            reject.text = min(replyStart + 1, envelope)..<envelope
        }
        event.fields = .reject(reject)
        return true
    }

    /// Start of the `NAME` before `[`: back to the preceding space.
    private static func nameStart(_ b: UnsafeRawBufferPointer, before open: Int, limit: Int) -> Int {
        var j = open
        while j > limit, b[j - 1] != ASCII.space { j -= 1 }
        return j
    }
}
