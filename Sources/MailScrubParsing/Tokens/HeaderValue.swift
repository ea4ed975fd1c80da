import MailScrubBase

/// Reads logged header values and raw message-id values: where their addresses and
/// message-ids are, and how long they are. Finds, never rewrites.
package enum HeaderValue {
    /// The number of UTF-8 characters in `range` (bytes that do not continue a sequence).
    package static func characterCount(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int {
        var n = 0
        for i in range where b[i] & 0xC0 != 0x80 { n += 1 }
        return n
    }

    /// What of a raw message-id value is hashed: the trimmed inside of a single `<…>`
    /// (possibly empty, for `<>`), else the whole trimmed value; nil for an empty value.
    package static func messageIDValue(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> (id: Range<Int>, bracketed: Bool)? {
        let r = b.trimmingSpaces(range)
        guard !r.isEmpty else { return nil }
        if r.count >= 2, b[r.lowerBound] == ASCII.lessThan, b[r.upperBound - 1] == ASCII.greaterThan,
           b.firstIndex(of: ASCII.greaterThan, from: r.lowerBound, to: r.upperBound - 1) == nil {
            return (b.trimmingSpaces(r.lowerBound + 1..<r.upperBound - 1), true)
        }
        return (r, false)
    }

    /// The message-id records and events hold, bare: what `messageIDValue` hashes, or nil
    /// for an empty value and for `<>`.
    package static func bareMessageID(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> Range<Int>? {
        guard let value = messageIDValue(b, range), !value.id.isEmpty else { return nil }
        return value.id
    }

    /// Calls `body` with the inside of each `<id>` in `range`, in order; `complete` is
    /// false for a last id cut off before its `>`.
    package static func forEachMessageID(_ b: UnsafeRawBufferPointer, _ range: Range<Int>, _ body: (Range<Int>, _ complete: Bool) -> Void) {
        var i = range.lowerBound
        while let open = b.firstIndex(of: ASCII.lessThan, from: i, to: range.upperBound) {
            guard let close = b.firstIndex(of: ASCII.greaterThan, from: open + 1, to: range.upperBound) else {
                body(open + 1..<range.upperBound, false)
                return
            }
            body(open + 1..<close, true)
            i = close + 1
        }
    }

    /// Calls `body` with the span of each address in an address header value.
    package static func forEachAddress(_ b: UnsafeRawBufferPointer, _ range: Range<Int>, _ body: (Range<Int>) -> Void) {
        var start = range.lowerBound
        var inQuote = false
        var inAngle = false
        var depth = 0
        var i = range.lowerBound
        while i <= range.upperBound {
            if i < range.upperBound {
                let c = b[i]
                if inQuote {
                    if c == ASCII.backslash { i += 1 } else if c == ASCII.quote { inQuote = false }
                    i += 1
                    continue
                }
                switch c {
                case ASCII.quote: inQuote = true
                case ASCII.lessThan: inAngle = true
                case ASCII.greaterThan: inAngle = false
                case ASCII.leftParen: depth += 1
                case ASCII.rightParen: depth = max(0, depth - 1)
                default: break
                }
                guard (c == ASCII.comma || c == ASCII.semicolon || c == ASCII.colon) && !inAngle && depth == 0 else {
                    i += 1
                    continue
                }
                if c == ASCII.colon {
                    // `Group name: a@b, c@d;` — the group name is display text, not an address.
                    start = i + 1
                    i += 1
                    continue
                }
            }
            if let address = addressInElement(b, start..<min(i, range.upperBound)) { body(address) }
            start = i + 1
            i += 1
        }
    }

    /// The part of one list element to hash, or nil when it holds no address.
    private static func addressInElement(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> Range<Int>? {
        var r = b.trimmingSpaces(range)
        // printable() turns folding CR/LF/TAB into `?`.
        while !r.isEmpty, b[r.lowerBound] == ASCII.question || ASCII.isSpace(b[r.lowerBound]) {
            r = r.lowerBound + 1..<r.upperBound
        }
        guard !r.isEmpty else { return nil }
        if b.firstIndex(of: ASCII.lessThan, from: r.lowerBound, to: r.upperBound) != nil { return r }
        // `root@host (Cron Daemon)`: the comment is display text.
        if let paren = b.firstIndex(of: ASCII.leftParen, from: r.lowerBound, to: r.upperBound) {
            r = b.trimmingSpaces(r.lowerBound..<paren)
        }
        guard !r.isEmpty else { return nil }
        let hasAt = b.firstIndex(of: ASCII.at, from: r.lowerBound, to: r.upperBound) != nil
        let hasSpace = b.firstIndex(of: ASCII.space, from: r.lowerBound, to: r.upperBound) != nil
        // A fragment with spaces and no `@` is a display name (or its truncated start).
        if !hasAt && (hasSpace || b[r.lowerBound] == ASCII.quote) { return nil }
        return r
    }
}
