/// Writes `DeliveryRecord`s as lines of NDJSON (schema `mailscrub.delivery/1`),
/// pseudonymizing every raw value with the key it is given and leaving out, coarsening
/// and bucketing fields as that key's policy says.
///
/// Not thread-safe: it reuses buffers between records; use one per thread.
final class RecordEncoder {
    static let schema: [UInt8] = Array("mailscrub.delivery/1".utf8)

    /// The pseudonyms `hidden_recipient` compares (recipients, To and Cc), rendered once
    /// and written from here, and the host as written.
    private var rendered: [UInt8] = []
    private var toSpans: [Range<Int>] = []
    private var ccSpans: [Range<Int>] = []

    /// Appends `record` as one line of JSON (with its newline), pseudonymized with `p`.
    func encode(_ record: DeliveryRecord, with p: Pseudonymizer, into out: inout [UInt8]) {
        rendered.removeAll(keepingCapacity: true)
        let recipient = record.recipient.map { render($0, p) }
        let origRecipient = record.origRecipient.map { render($0, p) }
        toSpans.removeAll(keepingCapacity: true)
        ccSpans.removeAll(keepingCapacity: true)
        for address in record.to ?? [] { toSpans.append(render(address, p)) }
        for address in record.cc ?? [] { ccSpans.append(render(address, p)) }
        // True when To (and Cc) were logged and hold neither envelope recipient.
        var hiddenRecipient: Bool?
        if record.to != nil, recipient != nil || origRecipient != nil {
            hiddenRecipient = !(recipient.map(isVisible) ?? false) && !(origRecipient.map(isVisible) ?? false)
        }

        let policy = p.policy
        let dropped = policy.droppedFieldMask
        var index = 0
        // The fields' order is `Policy.recordFields`: bit i of `dropped` is field i.
        func key(_ field: StaticString) -> Bool {
            defer { index += 1 }
            if dropped & (1 << index) != 0 { return false }
            JSONWriter.appendKey(field, to: &out)
            return true
        }
        func plain(_ field: StaticString, _ value: [UInt8]?) {
            guard key(field) else { return }
            if let value { JSONWriter.appendPlainString(value, to: &out) } else { JSONWriter.appendNull(to: &out) }
        }
        func string(_ field: StaticString, _ value: [UInt8]?) {
            guard key(field) else { return }
            if let value { JSONWriter.appendString(value, to: &out) } else { JSONWriter.appendNull(to: &out) }
        }
        func pseudonym(_ field: StaticString, _ span: Range<Int>?) {
            guard key(field) else { return }
            if let span { writeSpan(span, &out) } else { JSONWriter.appendNull(to: &out) }
        }
        func pseudonyms(_ field: StaticString, _ logged: Bool, _ spans: [Range<Int>]) {
            guard key(field) else { return }
            guard logged else { return JSONWriter.appendNull(to: &out) }
            out.append(ASCII.leftBracket)
            for (k, span) in spans.enumerated() {
                if k > 0 { out.append(ASCII.comma) }
                writeSpan(span, &out)
            }
            out.append(ASCII.rightBracket)
        }
        func address(_ field: StaticString, _ value: [UInt8]?) {
            guard key(field) else { return }
            guard let value else { return JSONWriter.appendNull(to: &out) }
            out.append(ASCII.quote)
            value.withUnsafeBytes { p.appendAddress($0, 0..<$0.count, to: &out) }
            out.append(ASCII.quote)
        }
        func addresses(_ field: StaticString, _ values: [[UInt8]]?) {
            guard key(field) else { return }
            guard let values else { return JSONWriter.appendNull(to: &out) }
            out.append(ASCII.leftBracket)
            for (k, value) in values.enumerated() {
                if k > 0 { out.append(ASCII.comma) }
                out.append(ASCII.quote)
                value.withUnsafeBytes { p.appendAddress($0, 0..<$0.count, to: &out) }
                out.append(ASCII.quote)
            }
            out.append(ASCII.rightBracket)
        }
        func messageID(_ field: StaticString, _ raw: [UInt8]?) {
            guard key(field) else { return }
            guard let raw else { return JSONWriter.appendNull(to: &out) }
            out.append(ASCII.quote)
            raw.withUnsafeBytes { p.appendHash(.messageID, of: $0, to: &out) }
            out.append(ASCII.quote)
        }
        func number(_ field: StaticString, _ value: [UInt8]?, size: Bool = false) {
            guard key(field) else { return }
            guard let value else { return JSONWriter.appendNull(to: &out) }
            if size, policy.sizes == .log2, let n = value.withUnsafeBytes({ ASCII.decimal($0, 0..<$0.count) }) {
                JSONWriter.appendInteger(Coarsening.log2Bucket(n), to: &out)
            } else {
                value.withUnsafeBytes { JSONWriter.appendNumber($0, 0..<$0.count, to: &out) }
            }
        }
        func bool(_ field: StaticString, _ value: Bool?) {
            guard key(field) else { return }
            JSONWriter.appendBool(value, to: &out)
        }
        func time(_ field: StaticString, _ value: LogTime?) {
            guard key(field) else { return }
            guard let value else { return JSONWriter.appendNull(to: &out) }
            out.append(ASCII.quote)
            Coarsening.time(value, policy.timePrecision).appendRFC3339(to: &out)
            out.append(ASCII.quote)
        }

        out.append(ASCII.leftBrace)
        JSONWriter.appendKey("schema", first: true, to: &out)
        JSONWriter.appendPlainString(Self.schema, to: &out)
        JSONWriter.appendKey("key_id", to: &out)
        JSONWriter.appendPlainString(p.keyIDBytes, to: &out)
        if key("host") {
            if let host = record.host {
                // Kept, except that a host logged by IP address is hashed like any other IP.
                let start = rendered.count
                host.withUnsafeBytes { GenericScan.rewriteVerified($0, 0..<$0.count, with: p, into: &rendered) }
                rendered.withUnsafeBytes { JSONWriter.appendString($0, start..<$0.count, to: &out) }
            } else {
                JSONWriter.appendNull(to: &out)
            }
        }
        plain("queue_id", record.queueID)
        plain("previous_queue_id", record.previousQueueID)
        plain("next_queue_id", record.nextQueueID)
        plain("notification_for", record.notificationFor)
        messageID("message_id", record.messageID)
        messageID("resent_message_id", record.resentMessageID)
        messageID("re_message_id", record.reMessageID)
        time("first_seen_at", record.firstSeenAt)
        time("logged_at", record.loggedAt)
        time("date", record.date)
        time("sent_at", record.sentAt)
        time("received_at", record.receivedAt)
        address("sender", record.sender)
        pseudonym("recipient", recipient)
        pseudonym("orig_recipient", origRecipient)
        addresses("from", record.from)
        pseudonyms("to", record.to != nil, toSpans)
        pseudonyms("cc", record.cc != nil, ccSpans)
        addresses("bcc", record.bcc)
        bool("hidden_recipient", hiddenRecipient)
        number("message_size", record.messageSize, size: true)
        number("nrcpt", record.nrcpt)
        if key("subject_size") {
            if let n = record.subjectSize { JSONWriter.appendInteger(n, to: &out) } else { JSONWriter.appendNull(to: &out) }
        }
        number("spam_score", record.spamScore)
        bool("is_list", record.isList)
        address("list", record.list)
        bool("is_outgoing", record.isOutgoing)
        string("status", record.status)
        string("dsn", record.dsn)
        string("transport", record.transport)
        number("delay", record.delay)
        if key("delays") {
            if let delays = record.delays {
                delays.withUnsafeBytes { JSONWriter.appendDelays($0, 0..<$0.count, to: &out) }
            } else {
                JSONWriter.appendNull(to: &out)
            }
        }
        string("reject_reason", record.rejectReason)
        out.append(ASCII.rightBrace)
        out.append(ASCII.newline)
    }

    /// Renders an address into `rendered`; returns where its pseudonym is.
    private func render(_ address: [UInt8], _ p: Pseudonymizer) -> Range<Int> {
        let start = rendered.count
        address.withUnsafeBytes { p.appendAddress($0, 0..<$0.count, to: &rendered) }
        return start..<rendered.count
    }

    /// Whether the pseudonym at `span` is one of the To or Cc pseudonyms.
    private func isVisible(_ span: Range<Int>) -> Bool {
        let value = rendered[span]
        return toSpans.contains { rendered[$0].elementsEqual(value) } || ccSpans.contains { rendered[$0].elementsEqual(value) }
    }

    private func writeSpan(_ span: Range<Int>, _ out: inout [UInt8]) {
        out.append(ASCII.quote)
        out.append(contentsOf: rendered[span])
        out.append(ASCII.quote)
    }
}
