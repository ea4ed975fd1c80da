import MailScrubBase

/// cleanup: `QID: message-id=VALUE`, `QID: resent-message-id=VALUE`, header_checks
/// logging (`QID: info: header NAME: VALUE from …`) and milter rejects.
enum Cleanup {
    static func parse(_ b: UnsafeRawBufferPointer, _ event: inout PostfixEvent, after start: Int) -> Bool {
        let end = b.count
        if b.matches("message-id=", at: start) {
            event.fields = .messageID(start + 11..<end)
            return true
        }
        if b.matches("resent-message-id=", at: start) {
            event.fields = .resentMessageID(start + 18..<end)
            return true
        }
        if let match = HeaderCheckLine.match(b, at: start) {
            event.fill(with: match, b)
            return true
        }
        return Reject.parse(b, &event, after: start)
    }
}

extension PostfixEvent {
    /// The header_checks match a `.header` event was made of.
    package var headerMatch: HeaderCheckLine.Match? {
        guard case .header(let h) = fields else { return nil }
        return HeaderCheckLine.Match(action: h.action, name: h.name, value: h.value, kind: h.kind)
    }

    /// Takes a header_checks match, and the envelope fields after it.
    mutating func fill(with match: HeaderCheckLine.Match, _ b: UnsafeRawBufferPointer) {
        let trailer = match.trailer..<b.count
        fields = .header(Header(
            action: match.action, name: match.name, value: match.value, kind: match.kind,
            sender: KeyValue.find(b, "from=", in: trailer), recipient: KeyValue.find(b, "to=", in: trailer)))
    }
}
