import MailScrubBase

/// Finds `key=value` fields that carry addresses or message-ids, wherever they stand in
/// the message: Postfix's own fields (`from=<>`, `to=<>`, `orig_to=<>`, `sasl_username=`,
/// `sasl_sender=`, `message-id=`, ...) and the same keys in interleaved programs' lines
/// (dovecot `user=<>`, postgrey `sender=`, policyd-spf `envelope-from=`).
enum FieldRules {
    enum ValueKind { case address, xtextAddress, messageID }

    /// Looks up the key ending just before `equals`, if it is one of ours and stands alone
    /// (at the start, or after a byte that cannot be part of a key name).
    static func key(_ b: UnsafeRawBufferPointer, endingAt equals: Int, lowerLimit: Int) -> ValueKind? {
        var start = equals
        while start > lowerLimit, ASCII.isKeyByte(b[start - 1]) { start -= 1 }
        guard start < equals else { return nil }
        return kind(b, start..<equals)
    }

    /// The keys whose value is an address (bracketed or bare) or a message-id, with how
    /// to decode it, by first letter: most fields (`size=`, `relay=`, `dsn=`) are ruled
    /// out by that alone.
    private static func kind(_ b: UnsafeRawBufferPointer, _ key: Range<Int>) -> ValueKind? {
        func named(_ name: StaticString) -> Bool { b.matchesWhole(name, key) }
        switch ASCII.lower(b[key.lowerBound]) {
        case 0x65:  // e
            return named("envelope-from") || named("envelope_from") ? .address : nil
        case 0x66:  // f
            return named("from") ? .address : nil
        case 0x6D:  // m
            if named("mailfrom") { return .address }
            return named("message-id") || named("msgid") || named("message_id") ? .messageID : nil
        case 0x6F:  // o
            return named("orig_to") || named("orig_from") || named("orig_rcpt") ? .address : nil
        case 0x72:  // r
            if named("recipient") || named("receiver") { return .address }
            return named("resent-message-id") ? .messageID : nil
        case 0x73:  // s
            if named("sasl_username") || named("sender") || named("smtp.mailfrom") { return .address }
            return named("sasl_sender") ? .xtextAddress : nil
        case 0x74:  // t
            return named("to") ? .address : nil
        case 0x75:  // u
            return named("user") ? .address : nil
        default:
            return nil
        }
    }

    /// Appends claims for the fields in `range` of the line. (cleanup's own
    /// `QID: message-id=` value, which runs to the end of the line, is claimed by
    /// `LineScrubber` before this runs.)
    static func claims(_ b: UnsafeRawBufferPointer, in range: Range<Int>, into claims: inout [Claim]) {
        var i = range.lowerBound
        let end = range.upperBound
        // Keys inside `<…>` or a quoted string are text, not fields (see `KeyValue`).
        while let equals = KeyValue.nextEquals(b, from: i, to: end) {
            i = equals + 1
            guard let kind = key(b, endingAt: equals, lowerLimit: range.lowerBound) else { continue }
            let value = equals + 1
            switch kind {
            case .messageID:
                if value < end, b[value] == ASCII.lessThan {
                    let close = b.firstIndex(of: ASCII.greaterThan, from: value, to: end) ?? (end - 1)
                    claims.append(Claim(range: value..<close + 1, kind: .messageIDValue))
                    i = close + 1
                } else {
                    let stop = ValueBounds.bareEnd(b, from: value, to: end)
                    if stop > value { claims.append(Claim(range: value..<stop, kind: .messageIDValue)) }
                    i = stop
                }
            case .address, .xtextAddress:
                let claimKind: Claim.Kind = kind == .address ? .address : .xtextAddress
                if value < end, b[value] == ASCII.lessThan {
                    let close = ValueBounds.bracketEnd(b, from: value + 1, to: end)
                    // policyd-spf's `receiver=<UNKNOWN>` names nobody.
                    if close > value + 1, !b.matchesWhole("unknown", value + 1..<close) { claims.append(Claim(range: value + 1..<close, kind: claimKind)) }
                    i = close
                } else {
                    let stop = ValueBounds.bareEnd(b, from: value, to: end)
                    if stop > value { claims.append(Claim(range: value..<stop, kind: claimKind)) }
                    i = stop
                }
            }
        }
    }
}
