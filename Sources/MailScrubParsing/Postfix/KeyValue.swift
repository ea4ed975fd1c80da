import MailScrubBase

/// Finds `key=value` fields in a span of a line, the way Postfix writes them.
///
/// Keys are only ever taken from the top level of a line: never from inside a `<…>`
/// value or a quoted string, since a quoted local part (`<"a, status=sent"@b>`, one
/// RCPT TO away for anyone) may hold `,`, `>`, `=` and spaces.
package enum KeyValue {
    /// The value of `key` (given with its `=`), without angle brackets. An empty range
    /// means `<>`; nil means the key is absent. The key must not continue a longer name.
    package static func find(_ b: UnsafeRawBufferPointer, _ key: StaticString, in range: Range<Int>) -> Range<Int>? {
        let n = key.utf8CodeUnitCount - 1
        var i = range.lowerBound
        while let equals = nextEquals(b, from: i, to: range.upperBound) {
            let start = equals - n
            if start >= range.lowerBound, b.matches(key, at: start),
               start == range.lowerBound || !ASCII.isKeyByte(b[start - 1]) {
                return value(b, at: equals + 1, end: range.upperBound)
            }
            i = equals + 1
        }
        return nil
    }

    /// The next `=` at or after `start` that stands outside `<…>` and `"…"`; nil if none.
    package static func nextEquals(_ b: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int? {
        // `=`, and the openers of the spans it skips.
        let stops = ByteSet(ASCII.equals, ASCII.lessThan, ASCII.quote)
        var i = start
        while true {
            i = stops.firstIndex(in: b, from: i, to: end)
            guard i < end else { return nil }
            switch b[i] {
            case ASCII.equals: return i
            case ASCII.lessThan: i = closedSpanEnd(b, from: i + 1, to: end) ?? (i + 1)
            default:
                let close = quotedEnd(b, from: i + 1, to: end)
                i = close < end ? close + 1 : i + 1
            }
        }
    }

    /// Just past the first `>` from `start`, quoted strings inside skipped; nil when
    /// there is none. An opener that is never closed (`<22>`-like junk aside, a stray `<`
    /// or `"` in reply text) is then plain text and hides no field after it.
    private static func closedSpanEnd(_ b: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int? {
        let stops = ByteSet(ASCII.greaterThan, 0, ASCII.quote)
        var i = start
        while true {
            i = stops.firstIndex(in: b, from: i, to: end)
            guard i < end else { return nil }
            switch b[i] {
            case ASCII.greaterThan: return i + 1
            case 0: return nil
            default:
                let close = quotedEnd(b, from: i + 1, to: end)
                guard close < end else { return nil }
                i = close + 1
            }
        }
    }

    /// The closing quote of a quoted string whose body starts at `start` (backslash
    /// escapes honoured), or `end` when the line was cut first. A NUL also counts as
    /// the end: it marks where a damaged log resumes, and no quote spans it.
    package static func quotedEnd(_ b: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int {
        var i = start
        while i < end, b[i] != ASCII.quote {
            if b[i] == 0 { return end }
            if b[i] == ASCII.backslash { i += 1 }
            i += 1
        }
        return min(i, end)
    }

    /// The value starting at `start`: `<…>` up to its closing bracket, else up to the next
    /// comma, space or semicolon.
    static func value(_ b: UnsafeRawBufferPointer, at start: Int, end: Int) -> Range<Int> {
        if start < end, b[start] == ASCII.lessThan {
            return start + 1..<ValueBounds.bracketEnd(b, from: start + 1, to: end)
        }
        return start..<ValueBounds.bareEnd(b, from: start, to: end)
    }

    /// Offset just past a value returned by `value(_:at:end:)`: after its `>` if bracketed.
    package static func end(of value: Range<Int>, in b: UnsafeRawBufferPointer) -> Int {
        if value.upperBound < b.count, value.lowerBound > 0, b[value.lowerBound - 1] == ASCII.lessThan,
           b[value.upperBound] == ASCII.greaterThan {
            return value.upperBound + 1
        }
        return value.upperBound
    }

    /// `NAME[ADDR]` or `NAME[ADDR]:PORT` at `start`: the name and the address inside brackets.
    static func hostAndAddress(_ b: UnsafeRawBufferPointer, at start: Int, end: Int) -> (name: Range<Int>, address: Range<Int>)? {
        guard let open = b.firstIndex(of: ASCII.leftBracket, from: start, to: end),
              let close = b.firstIndex(of: ASCII.rightBracket, from: open, to: end) else { return nil }
        return (start..<open, open + 1..<close)
    }
}
