/// Finds `key=value` fields in a span of a line, the way Postfix writes them.
enum KeyValue {
    /// The value of `key` (given with its `=`), without angle brackets. An empty range
    /// means `<>`; nil means the key is absent. The key must not continue a longer name.
    static func find(_ b: UnsafeRawBufferPointer, _ key: StaticString, in range: Range<Int>) -> Range<Int>? {
        let n = key.utf8CodeUnitCount
        var i = range.lowerBound
        while i + n <= range.upperBound {
            if b.matches(key, at: i), i == range.lowerBound || !ASCII.keyTable[Int(b[i - 1])] {
                return value(b, at: i + n, end: range.upperBound)
            }
            i += 1
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
