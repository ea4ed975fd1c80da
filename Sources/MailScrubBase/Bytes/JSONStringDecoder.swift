/// Decodes the body of a JSON string literal (journald entries, `OutputVerifier`).
package enum JSONStringDecoder {
    /// Decodes from `start` (just after the opening quote) up to the closing quote into
    /// `out`; returns the offset after the closing quote (or the end of `b`). Lone
    /// surrogates and malformed escapes become U+FFFD.
    package static func decode(_ b: UnsafeRawBufferPointer, from start: Int, into out: inout [UInt8]) -> Int {
        out.removeAll(keepingCapacity: true)
        var i = start
        while i < b.count {
            let c = b[i]
            if c == ASCII.quote { return i + 1 }
            guard c == ASCII.backslash, i + 1 < b.count else {
                out.append(c)
                i += 1
                continue
            }
            let escape = b[i + 1]
            i += 2
            switch escape {
            case 0x6E: out.append(ASCII.newline)
            case 0x72: out.append(ASCII.carriageReturn)
            case 0x74: out.append(ASCII.tab)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x75:
                guard var scalar = hex4(b, at: i) else {
                    appendScalar(0xFFFD, to: &out)
                    continue
                }
                i += 4
                if scalar & 0xFC00 == 0xD800, b.matches("\\u", at: i), let low = hex4(b, at: i + 2), low & 0xFC00 == 0xDC00 {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                appendScalar(scalar & 0xF800 == 0xD800 ? 0xFFFD : scalar, to: &out)
            default: out.append(escape)  // \" \\ \/
            }
        }
        return i
    }

    private static func hex4(_ b: UnsafeRawBufferPointer, at i: Int) -> UInt32? {
        guard i + 4 <= b.count else { return nil }
        var value: UInt32 = 0
        for k in i..<i + 4 {
            let c = b[k]
            let digit: UInt32
            if ASCII.isDigit(c) {
                digit = UInt32(c - 0x30)
            } else if (c | 0x20) >= 0x61, (c | 0x20) <= 0x66 {
                digit = UInt32((c | 0x20) - 0x61 + 10)
            } else {
                return nil
            }
            value = value << 4 | digit
        }
        return value
    }

    private static func appendScalar(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
