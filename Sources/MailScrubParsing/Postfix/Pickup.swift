import MailScrubBase

/// pickup: `QID: uid=N from=<sender>[ orig_id=QID]`.
enum Pickup {
    static func parse(_ b: UnsafeRawBufferPointer, _ event: inout PostfixEvent, after start: Int) -> Bool {
        guard b.matches("uid=", at: start) else { return false }
        let rest = start..<b.count
        event.fields = .pickup(PostfixEvent.Pickup(uid: KeyValue.find(b, "uid=", in: rest), sender: KeyValue.find(b, "from=", in: rest)))
        return true
    }
}
