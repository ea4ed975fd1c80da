import MailScrubBase

/// amavis (amavisd-new) verdict lines, which name the Postfix queue id of the message:
///
///     (01712-04) Passed CLEAN {RelayedInbound}, … Queue-ID: 4C1E2A0F31, Message-ID: <…>, …, Hits: -2.1, size: …, queued_as: 91AB33C7E2, …
enum Amavis {
    static func parse(_ b: UnsafeRawBufferPointer, _ event: inout PostfixEvent, after start: Int) -> Bool {
        let line = start..<b.count
        guard let queueID = labelled(b, "Queue-ID: ", in: line), QueueID.isQueueID(b, queueID) else { return false }
        event.queueID = queueID
        var verdict = PostfixEvent.ContentFilter(spamScore: labelled(b, "Hits: ", in: line))
        if let next = labelled(b, "queued_as: ", in: line), QueueID.isQueueID(b, next) { verdict.nextQueueID = next }
        event.fields = .contentFilter(verdict)
        return true
    }

    /// The value after `label` up to the next comma or space.
    private static func labelled(_ b: UnsafeRawBufferPointer, _ label: StaticString, in range: Range<Int>) -> Range<Int>? {
        guard let at = Delivery.lastIndex(of: label, in: b, from: range.lowerBound, to: range.upperBound) else { return nil }
        let start = at + label.utf8CodeUnitCount
        return start..<ValueBounds.bareEnd(b, from: start, to: range.upperBound)
    }
}
