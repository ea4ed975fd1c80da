/// Finds `key=value` fields in a span of a line, the way Postfix writes them.
enum KeyValue {
    /// The value of `key` (given with its `=`), without angle brackets. An empty range
    /// means `<>`; nil means the key is absent. The key must not continue a longer name.
    static func find(_ b: UnsafeRawBufferPointer, _ key: StaticString, in range: Range<Int>) -> Range<Int>? {
        // Jump from `=` to `=` (memchr) and compare the name before it: lines are long
        // and keys few, so this beats trying the key at every offset.
        let n = key.utf8CodeUnitCount
        var i = range.lowerBound + n - 1
        while i < range.upperBound, let equals = b.firstIndex(of: ASCII.equals, from: i, to: range.upperBound) {
            let start = equals - (n - 1)
            if b.matches(key, at: start), start == range.lowerBound || !ASCII.keyTable[Int(b[start - 1])] {
                return value(b, at: equals + 1, end: range.upperBound)
            }
            i = equals + 1
        }
        return nil
    }

    /// The value starting at `start`: `<…>` up to its closing bracket, else up to the next
    /// comma, space or semicolon.
    static func value(_ b: UnsafeRawBufferPointer, at start: Int, end: Int) -> Range<Int> {
        if start < end, b[start] == ASCII.lessThan {
            return start + 1..<FieldRules.bracketEnd(b, from: start + 1, to: end)
        }
        return start..<FieldRules.bareEnd(b, from: start, to: end)
    }

    /// `NAME[ADDR]` or `NAME[ADDR]:PORT` at `start`: the name and the address inside brackets.
    static func hostAndAddress(_ b: UnsafeRawBufferPointer, at start: Int, end: Int) -> (name: Range<Int>, address: Range<Int>)? {
        guard let open = b.firstIndex(of: ASCII.leftBracket, from: start, to: end),
              let close = b.firstIndex(of: ASCII.rightBracket, from: open, to: end) else { return nil }
        return (start..<open, open + 1..<close)
    }
}
