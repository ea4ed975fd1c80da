import MailScrubBase

/// Where a `key=value` field's value ends, bracketed or bare.
package enum ValueBounds {
    /// The `>` that closes an address opened just before `start`, or `end` when the line
    /// was cut. Quoted strings (`"a>b c"@d`) are skipped whole, wherever they stand;
    /// otherwise the first `>` followed by a field separator or end of line closes it.
    package static func bracketEnd(_ b: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int {
        // Only a quote or a `>` can end or change the search: jump from one to the next.
        let stops = ByteSet(ASCII.quote, ASCII.greaterThan)
        var i = start
        while true {
            i = stops.firstIndex(in: b, from: i, to: end)
            guard i < end else { return end }
            if b[i] == ASCII.quote {
                i = KeyValue.quotedEnd(b, from: i + 1, to: end) + 1
                continue
            }
            if i + 1 == end { return i }
            switch b[i + 1] {
            case ASCII.comma, ASCII.space, ASCII.semicolon, ASCII.colon, ASCII.rightParen, ASCII.tab:
                return i
            default:
                i += 1
            }
        }
    }

    /// End of an unbracketed value: the next comma, space, tab or semicolon outside a
    /// quoted string (`user="a b"@example.org`).
    package static func bareEnd(_ b: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int {
        var i = start
        while i < end {
            let c = b[i]
            if c == ASCII.comma || c == ASCII.space || c == ASCII.semicolon || c == ASCII.tab { break }
            if c == ASCII.quote { i = KeyValue.quotedEnd(b, from: i + 1, to: end) }
            i += 1
        }
        return min(i, end)
    }
}
