/// Finds `key=value` fields that carry addresses or message-ids, wherever they stand in
/// the message: Postfix's own fields (`from=<>`, `to=<>`, `orig_to=<>`, `sasl_username=`,
/// `sasl_sender=`, `message-id=`, ...) and the same keys in interleaved programs' lines
/// (dovecot `user=<>`, postgrey `sender=`, policyd-spf `envelope-from=`).
enum FieldRules {
    enum ValueKind { case address, xtextAddress, messageID }

    /// Keys whose value is an address (bracketed or bare), with how to decode it.
    private static let keys: [(StaticString, ValueKind)] = [
        ("from", .address), ("to", .address), ("orig_to", .address), ("sasl_username", .address),
        ("sasl_sender", .xtextAddress), ("user", .address), ("sender", .address), ("recipient", .address),
        ("envelope-from", .address), ("envelope_from", .address), ("orig_from", .address), ("receiver", .address),
        ("mailfrom", .address), ("smtp.mailfrom", .address), ("orig_rcpt", .address),
        ("message-id", .messageID), ("resent-message-id", .messageID), ("msgid", .messageID),
        ("message_id", .messageID),
    ]

    /// Looks up the key ending just before `equals`, if it is one of ours and stands alone
    /// (at the start, or after a byte that cannot be part of a key name).
    static func key(_ b: UnsafeRawBufferPointer, endingAt equals: Int, lowerLimit: Int) -> ValueKind? {
        var start = equals
        while start > lowerLimit, ASCII.isKeyByte(b[start - 1]) { start -= 1 }
        guard start < equals else { return nil }
        // Only the keys with this first letter: most fields (`size=`, `relay=`, `dsn=`)
        // are ruled out by one lookup.
        var candidates = keysByFirstByte[Int(ASCII.lower(b[start]))]
        while candidates != 0 {
            let k = candidates.trailingZeroBitCount
            candidates &= candidates - 1
            if b.matchesWhole(keys[k].0, start..<equals) { return keys[k].1 }
        }
        return nil
    }

    /// Bit k is set in entry c when `keys[k]` starts with the byte c (keys are lowercase).
    private static let keysByFirstByte: [UInt32] = (0..<256).map { c in
        precondition(keys.count <= 32, "one bit per key")
        var mask: UInt32 = 0
        for (k, (name, _)) in keys.enumerated() where name.utf8Start[0] == UInt8(c) { mask |= 1 << k }
        return mask
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
