import MailScrubBase

/// Writes `DeliveryRecord`s as lines of NDJSON (schema `mailscrub.delivery/1`),
/// pseudonymizing every raw value with the key it is given and leaving out, coarsening
/// and bucketing fields as that key's policy says.
///
/// A struct its pipeline keeps in a `var`: it reuses buffers between records, and
/// reaches them without runtime exclusivity checks (as class properties, about seven
/// per record).
struct RecordEncoder {
    static let schema: StaticString = "mailscrub.delivery/1"

    /// The pseudonyms `hidden_recipient` compares (recipients, To and Cc), rendered once
    /// and written from here, and the host as written.
    private var rendered: [UInt8] = []
    private var toSpans: [Range<Int>] = []
    private var ccSpans: [Range<Int>] = []

    /// Appends `record` (of `batch`) as one line of JSON (with its newline),
    /// pseudonymized with `p`.
    mutating func encode(_ record: DeliveryRecord, of batch: RecordBatch, with p: Pseudonymizer, into out: inout [UInt8]) {
        batch.bytes.withUnsafeBytes { raw in encode(record, raw: raw, items: batch.items, with: p, into: &out) }
    }

    private mutating func encode(
        _ record: DeliveryRecord, raw: UnsafeRawBufferPointer, items: [Range<Int>], with p: Pseudonymizer,
        into out: inout [UInt8]
    ) {
        rendered.removeAll(keepingCapacity: true)
        let recipient = record.recipient.map { render(raw, $0, p) }
        let origRecipient = record.origRecipient.map { render(raw, $0, p) }
        toSpans.removeAll(keepingCapacity: true)
        ccSpans.removeAll(keepingCapacity: true)
        for address in record.to.map({ items[$0] }) ?? [] { toSpans.append(render(raw, address, p)) }
        for address in record.cc.map({ items[$0] }) ?? [] { ccSpans.append(render(raw, address, p)) }
        // True when To (and Cc) were logged and hold neither envelope recipient.
        var hiddenRecipient: Bool?
        if record.to != nil, recipient != nil || origRecipient != nil {
            hiddenRecipient = !(recipient.map(isVisible) ?? false) && !(origRecipient.map(isVisible) ?? false)
        }

        // A host logged by IP address is hashed like any other IP; the rest is kept.
        let host = record.host.map { host in
            let start = rendered.count
            GenericScan.rewriteVerified(raw, host, with: p, into: &rendered)
            return start..<rendered.count
        }

        out.append(ASCII.leftBrace)
        JSONWriter.appendKey("schema", first: true, to: &out)
        JSONWriter.appendPlainString(Self.schema, to: &out)
        JSONWriter.appendKey("key_id", to: &out)
        JSONWriter.appendPlainString(p.keyIDBytes, to: &out)
        var w = RecordFieldWriter(p: p, raw: raw, items: items, rendered: rendered)
        if w.key("host", &out) {
            if let host { rendered.withUnsafeBytes { JSONWriter.appendString($0, host, to: &out) } } else { JSONWriter.appendNull(to: &out) }
        }
        w.plain("queue_id", record.queueID, &out)
        w.plain("previous_queue_id", record.previousQueueID, &out)
        w.plain("next_queue_id", record.nextQueueID, &out)
        w.plain("notification_for", record.notificationFor, &out)
        w.messageID("message_id", record.messageID, &out)
        w.messageID("resent_message_id", record.resentMessageID, &out)
        w.messageID("re_message_id", record.reMessageID, &out)
        w.time("first_seen_at", record.firstSeenAt, &out)
        w.time("logged_at", record.loggedAt, &out)
        w.time("date", record.date, &out)
        w.time("sent_at", record.sentAt, &out)
        w.time("received_at", record.receivedAt, &out)
        w.address("sender", record.sender, &out)
        w.pseudonym("recipient", recipient, &out)
        w.pseudonym("orig_recipient", origRecipient, &out)
        w.addresses("from", record.from, &out)
        w.pseudonyms("to", record.to != nil, toSpans, &out)
        w.pseudonyms("cc", record.cc != nil, ccSpans, &out)
        w.addresses("bcc", record.bcc, &out)
        w.bool("hidden_recipient", hiddenRecipient, &out)
        w.number("message_size", record.messageSize, size: true, &out)
        w.number("nrcpt", record.nrcpt, &out)
        w.integer("subject_size", record.subjectSize, &out)
        w.number("spam_score", record.spamScore, &out)
        w.bool("is_list", record.isList, &out)
        w.address("list", record.list, &out)
        w.bool("is_outgoing", record.isOutgoing, &out)
        w.string("status", record.status, &out)
        w.string("dsn", record.dsn, &out)
        w.string("transport", record.transport, &out)
        w.number("delay", record.delay, &out)
        w.delays("delays", record.delays, &out)
        w.string("reject_reason", record.rejectReason, &out)
        out.append(ASCII.rightBrace)
        out.append(ASCII.newline)
    }

    /// Renders an address into `rendered`; returns where its pseudonym is.
    private mutating func render(_ raw: UnsafeRawBufferPointer, _ address: Range<Int>, _ p: Pseudonymizer) -> Range<Int> {
        let start = rendered.count
        p.appendAddress(raw, address, to: &rendered)
        return start..<rendered.count
    }

    /// Whether the pseudonym at `span` is one of the To or Cc pseudonyms.
    private func isVisible(_ span: Range<Int>) -> Bool {
        let value = rendered[span]
        return toSpans.contains { rendered[$0].elementsEqual(value) } || ccSpans.contains { rendered[$0].elementsEqual(value) }
    }
}
