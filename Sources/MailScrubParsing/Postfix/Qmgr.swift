import MailScrubBase

/// qmgr (and oqmgr): `QID: from=<s>, size=N, nrcpt=N (queue active)`,
/// `QID: from=<s>, status=expired, returned to sender`, `QID: removed`.
enum Qmgr {
    static func parse(_ b: UnsafeRawBufferPointer, _ event: inout PostfixEvent, after start: Int) -> Bool {
        let end = b.count
        if b.matches("removed", at: start) {
            event.fields = .removed
            return true
        }
        guard b.matches("from=", at: start) else { return false }
        let rest = start..<end
        let sender = KeyValue.value(b, at: start + 5, end: end)
        if let status = KeyValue.find(b, "status=", in: rest) {
            event.fields = .expired(PostfixEvent.Expired(sender: sender, status: status))
            return b.matchesWhole("expired", status) || b.matchesWhole("force-expired", status)
        }
        guard let size = KeyValue.find(b, "size=", in: rest) else { return false }
        event.fields = .queued(PostfixEvent.Queued(sender: sender, size: size, nrcpt: KeyValue.find(b, "nrcpt=", in: rest)))
        return true
    }
}
