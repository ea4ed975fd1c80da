import MailScrubBase
import MailScrubParsing

/// One delivery attempt (or one rejection) as the correlator found it: raw values, kept
/// in memory only until `RecordEncoder` writes the record with the key of its epoch.
/// Each value is a range of its `RecordBatch`'s bytes; each list, a range of its items.
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
package struct DeliveryRecord {
    /// The syslog host as logged (an IP address there is hashed when written).
    package var host: Range<Int>?
    package var queueID: Range<Int>?
    package var previousQueueID: Range<Int>?
    package var nextQueueID: Range<Int>?
    package var notificationFor: Range<Int>?
    /// Raw message-ids: what is hashed (the inside of `<…>`, or the whole broken value).
    package var messageID: Range<Int>?
    package var resentMessageID: Range<Int>?
    package var reMessageID: Range<Int>?
    package var firstSeenAt: LogTime?
    /// The time of the status line, which also chooses the record's key.
    package var loggedAt: LogTime
    package var date: LogTime?
    package var sentAt: LogTime?
    package var receivedAt: LogTime?
    /// Raw addresses: the sender after decoding (empty for `<>`), the envelope
    /// recipients, the logged header addresses (ranges of the batch's `items`) and the
    /// decoded list.
    package var sender: Range<Int>?
    package var recipient: Range<Int>?
    package var origRecipient: Range<Int>?
    package var from: Range<Int>?
    package var to: Range<Int>?
    package var cc: Range<Int>?
    package var bcc: Range<Int>?
    package var messageSize: Range<Int>?
    package var nrcpt: Range<Int>?
    package var subjectSize: Int?
    package var spamScore: Range<Int>?
    package var isList = false
    package var list: Range<Int>?
    package var isOutgoing = false
    package var status: Range<Int>
    package var dsn: Range<Int>?
    package var transport: Range<Int>?
    package var delay: Range<Int>?
    /// As logged: `a/b/c/d`, four numbers.
    package var delays: Range<Int>?
    package var rejectReason: Range<Int>?
}
