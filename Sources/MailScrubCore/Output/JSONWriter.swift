import MailScrubBase

/// Writes JSON text into a byte buffer, for NDJSON records and events.
///
/// Strings are escaped per RFC 8259; bytes that are not well-formed UTF-8 become U+FFFD,
/// so every line is valid JSON whatever the input held. Numbers are written only from
/// text that is already a valid JSON number (see `appendNumber`).
enum JSONWriter {
    /// Bytes copied as they are: printable ASCII other than `"` and `\`.
    static func isPlain(_ b: UInt8) -> Bool { ASCII.inSet(b, 0xFFFF_FFFB_0000_0000, 0x7FFF_FFFF_EFFF_FFFF) }

    /// Appends `"…"` for the bytes in `range` of `b`.
    static func appendString(_ b: UnsafeRawBufferPointer, _ range: Range<Int>, to out: inout [UInt8]) {
        out.append(ASCII.quote)
        // Runs of bytes that need no escape are copied in one piece.
        var run = range.lowerBound
        var i = range.lowerBound
        while i < range.upperBound {
            i = firstNotPlain(b, from: i, to: range.upperBound)
            guard i < range.upperBound else { break }
            let c = b[i]
            if c >= 0x80, let length = UTF8Sequence.length(b, at: i, end: range.upperBound) {
                i += length
                continue
            }
            out.appendBytes(b, run..<i)
            switch c {
            case ASCII.quote, ASCII.backslash:
                out.append(ASCII.backslash)
                out.append(c)
            case ASCII.newline:
                out.append(ASCII.backslash)
                out.append(0x6E)
            case ASCII.carriageReturn:
                out.append(ASCII.backslash)
                out.append(0x72)
            case ASCII.tab:
                out.append(ASCII.backslash)
                out.append(0x74)
            case 0x80...:
                // Not well-formed UTF-8: U+FFFD.
                out.append(0xEF)
                out.append(0xBF)
                out.append(0xBD)
            default:
                // Other control characters: \u00XX.
                out.append(ASCII.backslash)
                out.append(0x75)
                out.append(0x30)
                out.append(0x30)
                out.append(ASCII.hexDigit(c >> 4))
                out.append(ASCII.hexDigit(c & 0xF))
            }
            i += 1
            run = i
        }
        out.appendBytes(b, run..<i)
        out.append(ASCII.quote)
    }

    /// The first index in `from..<to` whose byte is not `plain` (or `to`): sixteen bytes
    /// at a time while all are plain, then eight: a flagged lane is a control byte, DEL,
    /// `"`, `\` or a byte of 0x80 and up. Only lanes above a truly flagged one can be
    /// flagged falsely (by a carry or a borrow), so the lowest flagged lane is exact.
    private static func firstNotPlain(_ b: UnsafeRawBufferPointer, from: Int, to: Int) -> Int {
        guard let base = b.baseAddress else { return to }
        let ones = ByteSet.ones
        var i = from
        // Equality tests only (ordered byte compares are not single vector instructions):
        // a control byte has none of the top three bits, 0x80 and up has the top one.
        let zero = SIMD16<UInt8>(repeating: 0), top3 = SIMD16<UInt8>(repeating: 0xE0), top = SIMD16<UInt8>(repeating: 0x80)
        let del = SIMD16<UInt8>(repeating: 0x7F), quote = SIMD16<UInt8>(repeating: ASCII.quote)
        let backslash = SIMD16<UInt8>(repeating: ASCII.backslash)
        while i &+ 16 <= to {
            let v = base.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
            let flagged = (v & top3 .== zero) .| (v & top .== top) .| (v .== del) .| (v .== quote) .| (v .== backslash)
            // Any lane set (read as two words; `any` is not inlined here). The words below
            // find which byte it is.
            let lanes = unsafeBitCast(flagged, to: SIMD2<UInt64>.self)
            if lanes[0] | lanes[1] != 0 { break }
            i &+= 16
        }
        while i + 8 <= to {
            let w = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let quotes = ByteSet.zeroBytes(w ^ (UInt64(ASCII.quote) &* ones))
            let backslashes = ByteSet.zeroBytes(w ^ (UInt64(ASCII.backslash) &* ones))
            let controls = (w &- 0x20 &* ones) & ~w
            let flagged = ((w | (w &+ ones) | controls) & ByteSet.highs) | quotes | backslashes
            if flagged != 0 { return i + flagged.trailingZeroBitCount / 8 }
            i += 8
        }
        while i < to, isPlain(b[i]) { i += 1 }
        return i
    }

    /// Appends a string, escaping what needs it.
    static func appendString(_ bytes: [UInt8], to out: inout [UInt8]) {
        bytes.withUnsafeBytes { appendString($0, 0..<$0.count, to: &out) }
    }

    /// Appends a string this program made and knows to be plain ASCII without quotes,
    /// backslashes or control characters (pseudonyms, key ids, queue ids, times).
    static func appendPlainString(_ bytes: [UInt8], to out: inout [UInt8]) {
        out.append(ASCII.quote)
        bytes.withUnsafeBytes { out.appendBytes($0) }
        out.append(ASCII.quote)
    }

    static func appendPlainString(_ literal: StaticString, to out: inout [UInt8]) {
        out.append(ASCII.quote)
        out.appendBytes(literal)
        out.append(ASCII.quote)
    }

    static func appendPlainString(_ b: UnsafeRawBufferPointer, _ range: Range<Int>, to out: inout [UInt8]) {
        out.append(ASCII.quote)
        out.appendBytes(b, range)
        out.append(ASCII.quote)
    }

    /// `delays=a/b/c/d` as the array `[a,b,c,d]`, as records and events both write it.
    static func appendDelays(_ b: UnsafeRawBufferPointer, _ range: Range<Int>, to out: inout [UInt8]) {
        out.append(ASCII.leftBracket)
        var start = range.lowerBound
        while start <= range.upperBound {
            let end = b.firstIndex(of: ASCII.slash, from: start, to: range.upperBound) ?? range.upperBound
            if start > range.lowerBound { out.append(ASCII.comma) }
            appendNumber(b, start..<end, to: &out)
            start = end + 1
        }
        out.append(ASCII.rightBracket)
    }

    /// Appends the number written in `range` if it is a valid JSON number (`-`, digits,
    /// one `.` followed by digits); else `null`. Log numbers are copied, not reformatted,
    /// so `0.62` stays `0.62`.
    static func appendNumber(_ b: UnsafeRawBufferPointer, _ range: Range<Int>?, to out: inout [UInt8]) {
        guard let range, ASCII.isJSONNumber(b, range) else {
            return appendNull(to: &out)
        }
        // Leading zeros are not JSON: skip them (keeping one before a dot or alone).
        var i = range.lowerBound
        if b[i] == ASCII.hyphen {
            out.append(ASCII.hyphen)
            i += 1
        }
        while i + 1 < range.upperBound, b[i] == 0x30, ASCII.isDigit(b[i + 1]) { i += 1 }
        out.appendBytes(b, i..<range.upperBound)
    }

    /// The decimal digits of `value` (with `-` when negative); the one integer writer.
    static func appendInteger(_ value: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(ASCII.hyphen) }
        var n = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var i = 20
            repeat {
                i -= 1
                digits[i] = UInt8(truncatingIfNeeded: 0x30 + n % 10)
                n /= 10
            } while n > 0
            out.appendBytes(UnsafeRawBufferPointer(digits), i..<20)
        }
    }

    static func appendKey(_ key: StaticString, first: Bool = false, to out: inout [UInt8]) {
        // `,"key":` written into the array's new capacity: one capacity check, not five.
        let n = key.utf8CodeUnitCount
        out.append(addingCapacity: n + 4) { span in
            if !first { span.append(ASCII.comma) }
            span.append(ASCII.quote)
            span.withUnsafeMutableBufferPointer { buffer, count in
                // Safe to force unwrap: the span has room for the key.
                copyBytes(to: UnsafeMutableRawPointer(buffer.baseAddress! + count), from: key.utf8Start, count: n)
                count += n
            }
            span.append(ASCII.quote)
            span.append(ASCII.colon)
        }
    }

    static func appendNull(to out: inout [UInt8]) { out.appendBytes("null") }

    static func appendBool(_ value: Bool?, to out: inout [UInt8]) {
        guard let value else { return appendNull(to: &out) }
        out.appendBytes(value ? "true" : "false")
    }
}
