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

    /// Appends the record as one line of JSON (with its newline), leaving out the fields
    /// the policy drops and coarsening times and sizes as it says. The policy's settings
    /// come taken apart (no struct copy per record): `dropped` has bit i set for
    /// `Policy.recordFields[i]`, which is the order written here.
    func encode(into out: inout [UInt8], dropped: UInt64, precision: Policy.TimePrecision, sizes: Policy.Sizes) {
        var index = 0
        /// Writes the key of the next field unless the policy drops it; false means skip the value.
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
        func strings(_ field: StaticString, _ values: [[UInt8]]?) {
            guard key(field) else { return }
            guard let values else { return JSONWriter.appendNull(to: &out) }
            out.append(ASCII.leftBracket)
            for (k, value) in values.enumerated() {
                if k > 0 { out.append(ASCII.comma) }
                JSONWriter.appendPlainString(value, to: &out)
            }
            out.append(ASCII.rightBracket)
        }
        func number(_ field: StaticString, _ value: [UInt8]?, size: Bool = false) {
            guard key(field) else { return }
            guard let value else { return JSONWriter.appendNull(to: &out) }
            if size, sizes == .log2, let n = value.withUnsafeBytes({ ASCII.decimal($0, 0..<$0.count) }) {
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
            Coarsening.time(value, precision).appendRFC3339(to: &out)
            out.append(ASCII.quote)
        }

        out.append(0x7B)  // {
        JSONWriter.appendKey("schema", first: true, to: &out)
        JSONWriter.appendPlainString(Self.schema, to: &out)
        JSONWriter.appendKey("key_id", to: &out)
        JSONWriter.appendPlainString(keyID, to: &out)
        string("host", host)
        plain("queue_id", queueID)
        plain("previous_queue_id", previousQueueID)
        plain("next_queue_id", nextQueueID)
        plain("notification_for", notificationFor)
        plain("message_id", messageID)
        plain("resent_message_id", resentMessageID)
        plain("re_message_id", reMessageID)
        time("first_seen_at", firstSeenAt)
        time("logged_at", loggedAt)
        time("date", date)
        time("sent_at", sentAt)
        time("received_at", receivedAt)
        plain("sender", sender)
        plain("recipient", recipient)
        plain("orig_recipient", origRecipient)
        strings("from", from)
        strings("to", to)
        strings("cc", cc)
        strings("bcc", bcc)
        bool("hidden_recipient", hiddenRecipient)
        number("message_size", messageSize, size: true)
        number("nrcpt", nrcpt)
        if key("subject_size") {
            if let subjectSize { JSONWriter.appendInteger(subjectSize, to: &out) } else { JSONWriter.appendNull(to: &out) }
        }
        number("spam_score", spamScore)
        bool("is_list", isList)
        plain("list", list)
        bool("is_outgoing", isOutgoing)
        string("status", status)
        string("dsn", dsn)
        string("transport", transport)
        number("delay", delay)
        if key("delays") {
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
        }
        string("reject_reason", rejectReason)
        out.append(0x7D)  // }
        out.append(ASCII.newline)
    }
}
