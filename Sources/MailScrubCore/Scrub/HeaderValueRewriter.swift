import MailScrubBase

/// Rewrites logged header values and raw message-id values into pseudonyms; what to
/// hash in them is `HeaderValue`'s to find.
enum HeaderValueRewriter {
    static func append(
        _ kind: HeaderKind, _ b: UnsafeRawBufferPointer, _ range: Range<Int>,
        with p: Pseudonymizer, into out: inout [UInt8]
    ) {
        switch kind {
        case .addressList: appendAddressList(b, range, with: p, into: &out)
        case .messageIDList: appendMessageIDList(b, range, with: p, into: &out)
        case .opaque: appendCharacterCount(b, range, into: &out)
        }
    }

    /// `[N chars]`, N counting UTF-8 characters (bytes that do not continue a sequence).
    static func appendCharacterCount(_ b: UnsafeRawBufferPointer, _ range: Range<Int>, into out: inout [UInt8]) {
        out.append(ASCII.leftBracket)
        JSONWriter.appendInteger(HeaderValue.characterCount(b, range), to: &out)
        out.append(contentsOf: " chars]".utf8)
    }

    /// A raw message-id header value as cleanup logs it: `<H>` for `<id>`, `<>` kept,
    /// nothing for an empty value, and a bare H for anything else (no brackets, spaces,
    /// trailing junk, encoded words), so no part of it survives.
    static func appendMessageIDValue(
        _ b: UnsafeRawBufferPointer, _ range: Range<Int>, with p: Pseudonymizer, into out: inout [UInt8]
    ) {
        guard let value = HeaderValue.messageIDValue(b, range) else { return }
        if value.bracketed { out.append(ASCII.lessThan) }
        if !value.id.isEmpty { p.appendHash(.messageID, of: UnsafeRawBufferPointer(rebasing: b[value.id]), to: &out) }
        if value.bracketed { out.append(ASCII.greaterThan) }
    }

    /// Each `<id>` becomes `<H>`, separated by single spaces; text outside brackets is
    /// dropped; an id cut off by truncation becomes `<H` without the closing bracket.
    static func appendMessageIDList(
        _ b: UnsafeRawBufferPointer, _ range: Range<Int>, with p: Pseudonymizer, into out: inout [UInt8]
    ) {
        var any = false
        HeaderValue.forEachMessageID(b, range) { id, complete in
            if any { out.append(ASCII.space) }
            any = true
            out.append(ASCII.lessThan)
            p.appendMessageID(b, id, to: &out)
            if complete { out.append(ASCII.greaterThan) }
        }
        let rest = b.trimmingSpaces(range)
        if !any, !rest.isEmpty {
            p.appendHash(.messageID, of: UnsafeRawBufferPointer(rebasing: b[rest]), to: &out)
        }
    }

    /// The pseudonyms of the addresses in an address header, joined by `, `. Display
    /// names, comments, group names and fragments without an address are dropped.
    static func appendAddressList(
        _ b: UnsafeRawBufferPointer, _ range: Range<Int>, with p: Pseudonymizer, into out: inout [UInt8]
    ) {
        var first = true
        HeaderValue.forEachAddress(b, range) { address in
            if !first { out.append(contentsOf: [ASCII.comma, ASCII.space]) }
            first = false
            p.appendAddress(b, address, to: &out)
        }
    }
}
