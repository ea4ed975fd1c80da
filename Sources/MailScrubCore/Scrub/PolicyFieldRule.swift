import MailScrubBase

/// What a policy changes in a line beyond pseudonyms, so that lines say no more than the
/// records and events of the same policy: the syslog timestamp rounded down to the
/// policy's precision, `size=` as a power-of-two bucket, and the `key=value` fields of
/// record fields the policy drops left out, separator and all.
enum PolicyFieldRule {
    /// Record fields a Postfix line logs as `key=value`, and that key.
    static let lineKeys: [(field: StaticString, key: StaticString)] = [
        ("sender", "from="), ("recipient", "to="), ("orig_recipient", "orig_to="), ("message_size", "size="),
        ("nrcpt", "nrcpt="), ("delay", "delay="), ("delays", "delays="), ("dsn", "dsn="),
    ]

    /// Whether `policy` changes anything this rule handles.
    static func applies(to policy: Policy) -> Bool {
        policy.timePrecision != .second || policy.sizes != .exact || policy.droppedFieldMask != 0
    }

    static func claims(
        _ b: UnsafeRawBufferPointer, header: SyslogHeader, policy: Policy, into claims: inout [Claim]
    ) {
        if policy.timePrecision != .second, let stamp = header.timestamp {
            claims.append(Claim(range: stamp, kind: .stamp(header.format)))
        }
        let message = header.messageStart..<b.count
        if policy.droppedFieldMask != 0 {
            for (field, key) in lineKeys where policy.drops(field) { dropAll(b, key, in: message, into: &claims) }
        }
        if policy.sizes == .log2 {
            var from = message.lowerBound
            while let value = KeyValue.find(b, "size=", in: from..<message.upperBound) {
                // Only a number is a size. A value with a quote in it runs to a NUL or the
                // line's end, and a claim over that much would hide the claims inside it
                // (a header value) from their own rules.
                if ASCII.decimal(b, value) != nil { claims.append(Claim(range: value, kind: .size)) }
                from = KeyValue.end(of: value, in: b)
            }
        }
    }

    /// Claims every `key=value` in `range` for dropping, with the `, ` after it (or, last
    /// in its list, the `, ` before it) so the line stays well formed.
    private static func dropAll(_ b: UnsafeRawBufferPointer, _ key: StaticString, in range: Range<Int>, into claims: inout [Claim]) {
        var from = range.lowerBound
        while let value = KeyValue.find(b, key, in: from..<range.upperBound) {
            let valueEnd = KeyValue.end(of: value, in: b)
            var start = (value.lowerBound > 0 && b[value.lowerBound - 1] == ASCII.lessThan ? value.lowerBound - 1 : value.lowerBound)
                - (key.utf8CodeUnitCount)
            var end = valueEnd
            if valueEnd + 1 < range.upperBound, b[valueEnd] == ASCII.comma, b[valueEnd + 1] == ASCII.space {
                end += 2
            } else if start >= range.lowerBound + 2, b[start - 1] == ASCII.space, b[start - 2] == ASCII.comma {
                start -= 2
            }
            claims.append(Claim(range: start..<end, kind: .drop))
            from = valueEnd
        }
    }
}
