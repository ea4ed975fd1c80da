import MailScrubBase

/// bounce: `QID: sender non-delivery notification: NEWQID` and the delay, success and
/// postmaster variants; NEWQID is the queue id of the notification message.
enum Bounce {
    static func parse(_ b: UnsafeRawBufferPointer, _ event: inout PostfixEvent, after start: Int) -> Bool {
        guard let at = Delivery.lastIndex(of: "notification: ", in: b, from: start, to: b.count) else { return false }
        var j = at + 14
        while j < b.count, ASCII.isAlnum(b[j]) { j += 1 }
        guard QueueID.isQueueID(b, at + 14..<j) else { return false }
        // The kind of notification is Postfix's own words (`sender non-delivery`, …);
        // anything else before it is not a line we understand.
        guard at + 12 > start, (start..<at + 12).allSatisfy({ ASCII.isAlpha(b[$0]) || b[$0] == ASCII.space || b[$0] == ASCII.hyphen }) else {
            return false
        }
        event.fields = .notification(PostfixEvent.Notification(what: start..<at + 12, newQueueID: at + 14..<j))
        return true
    }
}
