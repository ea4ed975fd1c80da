import MailScrubBase

/// The fail-closed pass: in text no structural rule claimed, replaces everything shaped
/// like an address (`a@b`, `"a b"@c`, `<a b@c>`), a message-id (`<…@…>`, or `<…>` after a
/// `Message-ID:`/`msgid=` key) or an IPv4/IPv6 address by its pseudonym, copying the
/// rest unchanged. It never needs to understand the line.
enum GenericScan {
    /// Bytes a token starts with: `<`, `@`, `"`, and hex digits and `:` (IP addresses).
    static func isTrigger(_ b: UInt8) -> Bool { ASCII.inSet(b, 0x17FF_0004_0000_0000, 0x0000_007E_0000_007F) }

    /// Bytes that start a token (`<`, `@`, `"`) or that an IP address holds near its start.
    private static var tokenBytes: ByteSet { ByteSet(ASCII.lessThan, ASCII.at, ASCII.quote, ASCII.dot, ASCII.colon, ASCII.hyphen) }

    /// Keys that run into an address without a space (`sender=a@b`): cut off before hashing.
    private static let addressKeys: [StaticString] = [
        "from", "to", "sender", "recipient", "envelope-from", "envelope_from", "user", "rcpt",
        "mailfrom", "smtp.mailfrom", "header.from", "orig_to", "sasl_username", "sasl_sender", "login",
    ]

    /// `rewrite`, then `VerifierRepair` over what it wrote: for a span that reaches output
    /// on its own (a record's host, an event's field) rather than inside a scrubbed line.
    /// A pseudonym next to what follows it can read as something new (`…a2` + `-70-1-0`
    /// is the dashed IPv4 `2-70-1-0`); the repair replaces that too.
    static func rewriteVerified(_ b: UnsafeRawBufferPointer, _ range: Range<Int>, with p: Pseudonymizer, into out: inout [UInt8]) {
        let start = out.count
        rewrite(b, range, with: p, into: &out)
        // Such spans go into JSON strings (records, events).
        VerifierRepair.repairForJSON(&out, from: start, with: p)
    }

    /// Copies `range` of `b` to `out`, replacing sensitive tokens.
    static func rewrite(_ b: UnsafeRawBufferPointer, _ range: Range<Int>, with p: Pseudonymizer, into out: inout [UInt8]) {
        let end = range.upperBound
        var copied = range.lowerBound  // bytes before this are already in `out`
        var i = range.lowerBound
        let tokenBytes = Self.tokenBytes
        // The next byte of `tokenBytes` at or after `i`. The other tokens start at their
        // trigger; an IP address starting before it has that byte as its first `.`, `:`
        // or `-`, and starts no earlier than `IPScanner.earliestStart`.
        var next = -1
        while i < end {
            if next < i {
                next = tokenBytes.firstIndex(in: b, from: i, to: end)
                guard next < end else { break }
                i = IPScanner.earliestStart(b, before: next, notBefore: i)
                if b[next] == ASCII.colon, let runEnd = IPScanner.addressFreeRunEnd(b, from: i, end: end) {
                    i = runEnd
                    continue
                }
            }
            let c = b[i]
            guard isTrigger(c) else {
                i += 1
                continue
            }
            var replaced: Range<Int>?
            switch c {
            case ASCII.lessThan:
                replaced = bracketed(b, at: i, lowerLimit: copied, end: end, with: p, into: &out)
            case ASCII.at:
                replaced = bareAddress(b, at: i, lowerLimit: copied, end: end, with: p, into: &out)
            case ASCII.quote:
                replaced = quotedUser(b, at: i, lowerLimit: copied, end: end, with: p, into: &out)
            default:
                // A hex digit or `:`.
                if let ip = IPScanner.match(b, at: i, lowerLimit: range.lowerBound, end: end), !runsIntoAddress(b, ip, end) {
                    out.appendBytes(b, copied..<ip.lowerBound)
                    p.appendIP(b, ip, to: &out)
                    replaced = ip
                } else if ASCII.isDigit(c), let ip = IPScanner.dashedIPv4(b, at: i, lowerLimit: range.lowerBound, end: end) {
                    out.appendBytes(b, copied..<ip.lowerBound)
                    appendDashedIP(b, ip, with: p, into: &out)
                    replaced = ip
                }
            }
            if let replaced {
                copied = replaced.upperBound
                i = replaced.upperBound
            } else {
                i += 1
            }
        }
        out.appendBytes(b, copied..<end)
    }

    /// Whether the IPv4 address `ip` is the start of a local part (`1.2.3.4x@y`,
    /// `1.2.3.4@y`), for the address rule to take whole. (IPv6 colons cannot be in one.)
    private static func runsIntoAddress(_ b: UnsafeRawBufferPointer, _ ip: Range<Int>, _ end: Int) -> Bool {
        guard !b[ip].contains(ASCII.colon) else { return false }
        var j = ip.upperBound
        while j < end, ASCII.isLocalPartByte(b[j]) { j += 1 }
        return j < end && b[j] == ASCII.at
    }

    /// An address spelt with dashes, pseudonymized as the dotted address it stands for, so
    /// it matches the client's address elsewhere.
    private static func appendDashedIP(_ b: UnsafeRawBufferPointer, _ ip: Range<Int>, with p: Pseudonymizer, into out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(byteCount: ip.count, alignment: 1) { dotted in
            for (k, i) in ip.enumerated() { dotted[k] = b[i] == ASCII.hyphen ? ASCII.dot : b[i] }
            p.appendIP(UnsafeRawBufferPointer(dotted), 0..<ip.count, to: &out)
        }
    }

    /// `<…>` holding an `@`, or any `<…>` after a message-id key: replaced with brackets kept.
    /// `<name>` followed by `: Recipient address rejected` (or `Sender`) is an unqualified
    /// address and is hashed too. Writes the text before it and returns the replaced span.
    private static func bracketed(
        _ b: UnsafeRawBufferPointer, at open: Int, lowerLimit: Int, end: Int,
        with p: Pseudonymizer, into out: inout [UInt8]
    ) -> Range<Int>? {
        // `<"…` whose quote is never closed: a quoted local part cut off, all of it goes.
        if open + 1 < end, b[open + 1] == ASCII.quote, KeyValue.quotedEnd(b, from: open + 2, to: end) >= end {
            out.appendBytes(b, lowerLimit..<open + 1)
            p.appendHash(.local, of: UnsafeRawBufferPointer(rebasing: b[open + 1..<end]), to: &out)
            return lowerLimit..<end
        }
        var close = open + 1
        var at: Int?
        while close < end, b[close] != ASCII.greaterThan, b[close] != ASCII.lessThan {
            if b[close] == ASCII.at { at = close }
            close += 1
        }
        // The key may stand before the span being rewritten (a field cut out of a line), so
        // look back into the whole line: reading raw context is harmless.
        let isMessageID = followsMessageIDKey(b, before: open, lowerLimit: 0)
        if close == end, open + 1 < end,
           isMessageID || b[open + 1] == ASCII.quote || b.firstIndex(of: ASCII.space, from: open + 1, to: end) == nil {
            // A message-id, a quoted local part or an address (one word) cut off with its
            // line: all of it goes.
            out.appendBytes(b, lowerLimit..<open + 1)
            p.appendHash(isMessageID ? .messageID : .local, of: UnsafeRawBufferPointer(rebasing: b[open + 1..<end]), to: &out)
            return lowerLimit..<end
        }
        guard close < end, b[close] == ASCII.greaterThan, close > open + 1 else { return nil }
        let inner = open + 1..<close
        // `<"…` opens a quoted local part, cut or not, whether or not an `@` follows.
        guard at != nil || isMessageID || b[open + 1] == ASCII.quote
                || b.matches(": Recipient address rejected", at: close + 1)
                || b.matches(": Sender address rejected", at: close + 1)
                || b.matches("... ", at: close + 1) else { return nil }
        out.appendBytes(b, lowerLimit..<open + 1)
        if isMessageID {
            p.appendMessageID(b, inner, to: &out)
        } else {
            p.appendAddress(b, inner, to: &out)
        }
        out.append(ASCII.greaterThan)
        return lowerLimit..<close + 1
    }

    /// Whether `position` is preceded by `key:` or `key=` (optional spaces) for a key after
    /// which a bracketed value is a message-id even without an `@`: `message-id`,
    /// `msgid`, `message_id`, `resent-message-id`, `in-reply-to`, `references`.
    static func followsMessageIDKey(_ b: UnsafeRawBufferPointer, before position: Int, lowerLimit: Int) -> Bool {
        var j = position
        // Spaces, and junk bytes of a damaged line, may stand between key and value.
        while j > lowerLimit, position - j < 16, HeaderCheckLine.isJunk(b[j - 1]) { j -= 1 }
        guard j > lowerLimit, b[j - 1] == ASCII.colon || b[j - 1] == ASCII.equals else { return false }
        let keyEnd = j - 1
        var keyStart = keyEnd
        // A word longer than the longest key is none of them, however long it runs.
        while keyStart > lowerLimit, keyEnd - keyStart <= 17, ASCII.isKeyByte(b[keyStart - 1]) { keyStart -= 1 }
        let key = keyStart..<keyEnd
        func named(_ name: StaticString) -> Bool { b.matchesWhole(name, key) }
        // By length: most keys before a value (`from=`, `to=`) have none of these.
        switch key.count {
        case 5: return named("msgid")
        case 10: return named("message-id") || named("message_id") || named("references")
        case 11: return named("in-reply-to")
        case 17: return named("resent-message-id")
        default: return false
        }
    }

    /// An address around the `@` at `at`: the local part runs left over atext (or is a
    /// quoted string ending right before the `@`), the domain right over domain
    /// characters or an `[address literal]`. Returns nil for a lone `@`.
    private static func bareAddress(
        _ b: UnsafeRawBufferPointer, at: Int, lowerLimit: Int, end: Int,
        with p: Pseudonymizer, into out: inout [UInt8]
    ) -> Range<Int>? {
        var start = at
        if start > lowerLimit, b[start - 1] == ASCII.quote,
           let open = openingQuote(b, closing: start - 1, lowerLimit: lowerLimit) {
            start = open
            // Text glued to the opening quote goes too: left in clear, it would run into
            // the pseudonym and read as part of one long local part. A key before it
            // (`receiver="a b"@c`) stays: `=` ends a local part for `verify` as well.
            while start > lowerLimit, ASCII.isLocalPartByte(b[start - 1]), b[start - 1] != ASCII.equals { start -= 1 }
        } else {
            while start > lowerLimit, ASCII.isLocalPartByte(b[start - 1]) { start -= 1 }
            // `sender=alice@example.org`: the key is not part of the local part.
            if let equals = b.firstIndex(of: ASCII.equals, from: start, to: at) {
                for key in addressKeys where b.matchesWhole(key, start..<equals) {
                    start = equals + 1
                    break
                }
            }
        }
        let stop = domainEnd(b, after: at, end: end)
        guard start < at || stop > at + 1 else { return nil }
        out.appendBytes(b, lowerLimit..<start)
        if start == lowerLimit, start < at, let last = out.last, ASCII.isLocalPartByte(last) {
            // Glued to the pseudonym just written (junk such as `a@b\xd1@c`): a second
            // pseudonym right after it would read as one long local part, so this local
            // part is dropped and only `@` and the domain's pseudonym are written.
            if stop > at + 1 { p.appendAddress(b, at..<stop, to: &out) }
            return lowerLimit..<stop
        }
        // `@domain` alone keeps its `@`: the pseudonym of an empty local part is empty.
        p.appendAddress(b, start..<stop, to: &out)
        return lowerLimit..<stop
    }

    /// The quote that opens the quoted string closed at `closing`: the nearest one before
    /// it that no backslash escapes (`"a \"b\" c"@d`).
    private static func openingQuote(_ b: UnsafeRawBufferPointer, closing: Int, lowerLimit: Int) -> Int? {
        var j = closing - 1
        while j >= lowerLimit {
            if b[j] == ASCII.quote {
                var backslashes = 0
                while j - backslashes - 1 >= lowerLimit, b[j - backslashes - 1] == ASCII.backslash { backslashes += 1 }
                if backslashes % 2 == 0 { return j }
            }
            j -= 1
        }
        return nil
    }

    /// End of the domain after the `@` at `at`: an `[address literal]`, or domain
    /// characters where non-ASCII continues an IDN only as well-formed UTF-8 (junk bytes
    /// end it), without a trailing full stop or dash. `OutputVerifier` reads domains the
    /// same way, so it flags exactly what this scan would have replaced.
    static func domainEnd(_ b: UnsafeRawBufferPointer, after at: Int, end: Int) -> Int {
        var stop = at + 1
        if stop < end, b[stop] == ASCII.leftBracket {
            // Domain characters glued to the literal's `]` go with it.
            stop = (b.firstIndex(of: ASCII.rightBracket, from: stop, to: end) ?? (end - 1)) + 1
        }
        while stop < end, ASCII.isDomainByte(b[stop]) {
            if b[stop] >= 0x80 {
                // U+FFFD is what JSON output makes of junk bytes: it ends a domain as they do.
                guard let length = UTF8Sequence.length(b, at: stop, end: end),
                      !(length == 3 && b[stop] == 0xEF && b[stop + 1] == 0xBF && b[stop + 2] == 0xBD) else { break }
                stop += length
            } else {
                stop += 1
            }
        }
        while stop > at + 1, b[stop - 1] == ASCII.dot || b[stop - 1] == ASCII.hyphen { stop -= 1 }
        return stop
    }

    /// `unknown user: "name"` (local delivery bounces) names a mailbox without a domain.
    private static func quotedUser(
        _ b: UnsafeRawBufferPointer, at open: Int, lowerLimit: Int, end: Int,
        with p: Pseudonymizer, into out: inout [UInt8]
    ) -> Range<Int>? {
        // Spaces or junk bytes (NUL, invalid UTF-8) may stand between `user:` and the quote.
        var before = open
        while before > 0, open - before < 16, HeaderCheckLine.isJunk(b[before - 1]) { before -= 1 }
        guard before >= 5, b.matches("user:", at: before - 5), open + 1 < end else { return nil }
        // A line cut inside the name (a length limit, or a NUL run where a damaged log
        // resumes: no quote spans one) leaves no closing quote: the name runs to there.
        var close = open + 1
        while close < end, b[close] != ASCII.quote, b[close] != 0 { close += 1 }
        guard close > open + 1 else { return nil }
        // An address inside is left to the `@` rule, which also keeps its domain.
        guard b.firstIndex(of: ASCII.at, from: open + 1, to: close) == nil else { return nil }
        out.appendBytes(b, lowerLimit..<open + 1)
        p.appendAddress(b, open + 1..<close, to: &out)
        guard close < end, b[close] == ASCII.quote else { return lowerLimit..<close }
        out.append(ASCII.quote)
        return lowerLimit..<close + 1
    }
}
