/// One delivery attempt (or one rejection), ready to be written as a line of NDJSON.
///
/// Record schema `mailscrub.delivery/1`. Every record has every field, in this order;
/// a field that is not known is `null`. All times are RFC 3339 in UTC (`…Z`, with
/// microseconds when the log had them). Pseudonyms follow scheme v1 (README).
///
/// | field | type | meaning |
/// |---|---|---|
/// | `schema` | string | `"mailscrub.delivery/1"` |
/// | `key_id` | string | key id of the secret the pseudonyms were made with |
/// | `host` | string | syslog host that logged the delivery |
/// | `queue_id` | string | Postfix queue id; null for NOQUEUE rejects |
/// | `previous_queue_id` | string | queue id of the hop before a content filter (`orig_queue_id=`, `queued as`) |
/// | `next_queue_id` | string | queue id this delivery handed the message to (content filter, `queued as`) |
/// | `notification_for` | string | for a bounce or delay notification: the queue id of the original message |
/// | `message_id`, `resent_message_id` | string | pseudonyms of the logged Message-ID / Resent-Message-ID |
/// | `re_message_id` | string | pseudonym of the logged In-Reply-To, else of the last complete id in References |
/// | `first_seen_at` | time | first line with this queue id |
/// | `logged_at` | time | the status line itself |
/// | `date` | time | the logged Date header |
/// | `sent_at` | time | incoming: `date`; outgoing: `first_seen_at` |
/// | `received_at` | time | incoming: `first_seen_at`; outgoing: `logged_at` |
/// | `sender` | string | envelope sender pseudonym after decoding (SRS, BATV, VERP); `""` for the null sender |
/// | `recipient`, `orig_recipient` | string | envelope recipient and the original one (`orig_to`) |
/// | `from`, `to`, `cc`, `bcc` | [string] | pseudonyms from the logged headers; `[]` when logged empty |
/// | `hidden_recipient` | bool | true when To (and Cc) were logged and hold neither `recipient` nor `orig_recipient` |
/// | `message_size`, `nrcpt` | number | from qmgr |
/// | `subject_size` | number | characters of the logged Subject value |
/// | `spam_score` | number | from a content filter line (amavis `Hits:`) or an X-Spam-Score/-Status header |
/// | `is_list` | bool | list sender scheme, or List-Id / List-Post / `Precedence: list|bulk` logged |
/// | `list` | string | pseudonym of the decoded list address (or the List-Post address) |
/// | `is_outgoing` | bool | see the direction rule in the README |
/// | `status` | string | `sent`, `deferred`, `bounced`, `expired`, `rejected`, … as logged (lowercase) |
/// | `dsn` | string | enhanced status code |
/// | `transport` | string | delivery agent: `smtp`, `lmtp`, `local`, `virtual`, `pipe`, `error`, … |
/// | `delay` | number | seconds, as logged |
/// | `delays` | [number] | the four `delays=` parts |
/// | `reject_reason` | string | rejects only: `over_quota`, `unknown_user`, `blocklisted`, `policy` or `other` |
struct DeliveryRecord {
    static let schema: [UInt8] = Array("mailscrub.delivery/1".utf8)

    var keyID: [UInt8]
    var host: [UInt8]?
    var queueID: [UInt8]?
    var previousQueueID: [UInt8]?
    var nextQueueID: [UInt8]?
    var notificationFor: [UInt8]?
    var messageID: [UInt8]?
    var resentMessageID: [UInt8]?
    var reMessageID: [UInt8]?
    var firstSeenAt: LogTime?
    var loggedAt: LogTime
    var date: LogTime?
    var sentAt: LogTime?
    var receivedAt: LogTime?
    var sender: [UInt8]?
    var recipient: [UInt8]?
    var origRecipient: [UInt8]?
    var from: [[UInt8]]?
    var to: [[UInt8]]?
    var cc: [[UInt8]]?
    var bcc: [[UInt8]]?
    var hiddenRecipient: Bool?
    var messageSize: [UInt8]?
    var nrcpt: [UInt8]?
    var subjectSize: Int?
    var spamScore: [UInt8]?
    var isList = false
    var list: [UInt8]?
    var isOutgoing = false
    var status: [UInt8]
    var dsn: [UInt8]?
    var transport: [UInt8]?
    var delay: [UInt8]?
    var delays: [[UInt8]]?
    var rejectReason: [UInt8]?

    /// Appends the record as one line of JSON (with its newline).
    func encode(into out: inout [UInt8]) {
        out.append(0x7B)  // {
        JSONWriter.appendKey("schema", first: true, to: &out)
        JSONWriter.appendPlainString(Self.schema, to: &out)
        plain("key_id", keyID, &out)
        string("host", host, &out)
        plain("queue_id", queueID, &out)
        plain("previous_queue_id", previousQueueID, &out)
        plain("next_queue_id", nextQueueID, &out)
        plain("notification_for", notificationFor, &out)
        plain("message_id", messageID, &out)
        plain("resent_message_id", resentMessageID, &out)
        plain("re_message_id", reMessageID, &out)
        time("first_seen_at", firstSeenAt, &out)
        time("logged_at", loggedAt, &out)
        time("date", date, &out)
        time("sent_at", sentAt, &out)
        time("received_at", receivedAt, &out)
        plain("sender", sender, &out)
        plain("recipient", recipient, &out)
        plain("orig_recipient", origRecipient, &out)
        strings("from", from, &out)
        strings("to", to, &out)
        strings("cc", cc, &out)
        strings("bcc", bcc, &out)
        JSONWriter.appendKey("hidden_recipient", to: &out)
        JSONWriter.appendBool(hiddenRecipient, to: &out)
        number("message_size", messageSize, &out)
        number("nrcpt", nrcpt, &out)
        JSONWriter.appendKey("subject_size", to: &out)
        if let subjectSize { JSONWriter.appendInteger(subjectSize, to: &out) } else { JSONWriter.appendNull(to: &out) }
        number("spam_score", spamScore, &out)
        JSONWriter.appendKey("is_list", to: &out)
        JSONWriter.appendBool(isList, to: &out)
        plain("list", list, &out)
        JSONWriter.appendKey("is_outgoing", to: &out)
        JSONWriter.appendBool(isOutgoing, to: &out)
        string("status", status, &out)
        string("dsn", dsn, &out)
        string("transport", transport, &out)
        number("delay", delay, &out)
        JSONWriter.appendKey("delays", to: &out)
        if let delays {
            out.append(ASCII.leftBracket)
            for (k, part) in delays.enumerated() {
                if k > 0 { out.append(ASCII.comma) }
                part.withUnsafeBytes { JSONWriter.appendNumber($0, 0..<$0.count, to: &out) }
            }
            out.append(ASCII.rightBracket)
        } else {
            JSONWriter.appendNull(to: &out)
        }
        string("reject_reason", rejectReason, &out)
        out.append(0x7D)  // }
        out.append(ASCII.newline)
    }

    /// A value this program made: pseudonyms, key id, and queue ids (alphanumeric by
    /// `QueueID.isQueueID`), written without escaping.
    private func plain(_ key: StaticString, _ value: [UInt8]?, _ out: inout [UInt8]) {
        JSONWriter.appendKey(key, to: &out)
        if let value { JSONWriter.appendPlainString(value, to: &out) } else { JSONWriter.appendNull(to: &out) }
    }

    private func string(_ key: StaticString, _ value: [UInt8]?, _ out: inout [UInt8]) {
        JSONWriter.appendKey(key, to: &out)
        if let value { JSONWriter.appendString(value, to: &out) } else { JSONWriter.appendNull(to: &out) }
    }

    private func strings(_ key: StaticString, _ values: [[UInt8]]?, _ out: inout [UInt8]) {
        JSONWriter.appendKey(key, to: &out)
        guard let values else { return JSONWriter.appendNull(to: &out) }
        out.append(ASCII.leftBracket)
        for (k, value) in values.enumerated() {
            if k > 0 { out.append(ASCII.comma) }
            JSONWriter.appendPlainString(value, to: &out)
        }
        out.append(ASCII.rightBracket)
    }

    private func number(_ key: StaticString, _ value: [UInt8]?, _ out: inout [UInt8]) {
        JSONWriter.appendKey(key, to: &out)
        guard let value else { return JSONWriter.appendNull(to: &out) }
        value.withUnsafeBytes { JSONWriter.appendNumber($0, 0..<$0.count, to: &out) }
    }

    private func time(_ key: StaticString, _ value: LogTime?, _ out: inout [UInt8]) {
        JSONWriter.appendKey(key, to: &out)
        guard let value else { return JSONWriter.appendNull(to: &out) }
        out.append(ASCII.quote)
        value.appendRFC3339(to: &out)
        out.append(ASCII.quote)
    }
}
