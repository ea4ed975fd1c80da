import MailScrubBase
import Testing
@testable import MailScrubCore
@testable import MailScrubParsing

/// `JSONWriter.appendString` finds the bytes to escape sixteen, then eight at a time; it
/// must write what escaping byte by byte writes, wherever those bytes fall in a vector.
@Suite struct JSONWriterTests {
    /// RFC 8259 escaping, one byte at a time, as the writer is specified.
    static func reference(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x22]
        bytes.withUnsafeBytes { b in
            var i = 0
            while i < b.count {
                let c = b[i]
                switch c {
                case 0x22, 0x5C: out += [0x5C, c]
                case 0x0A: out += Array("\\n".utf8)
                case 0x0D: out += Array("\\r".utf8)
                case 0x09: out += Array("\\t".utf8)
                case 0x20..<0x7F: out.append(c)
                case 0x80...:
                    if let length = UTF8Sequence.length(b, at: i, end: b.count) {
                        out += b[i..<i + length]
                        i += length
                        continue
                    }
                    out += [0xEF, 0xBF, 0xBD]
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    out += Array("\\u00".utf8) + [hex[Int(c >> 4)], hex[Int(c & 0xF)]]
                }
                i += 1
            }
        }
        out.append(0x22)
        return out
    }

    @Test func escapesAsByteByByte() {
        var rng = SystemRandomNumberGenerator()
        // Plain bytes, each special kind, and the values next to the SWAR thresholds.
        let special: [UInt8] = [0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D,
                                0x7E, 0x7F, 0x80, 0xBF, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xEF, 0xFF]
        for _ in 0..<5000 {
            let length = Int.random(in: 0...70, using: &rng)
            let bytes: [UInt8] = (0..<length).map { _ in
                Int.random(in: 0..<4, using: &rng) == 0 ? special.randomElement(using: &rng)! : UInt8.random(in: 0x41...0x7A, using: &rng)
            }
            var out: [UInt8] = []
            bytes.withUnsafeBytes { JSONWriter.appendString($0, 0..<$0.count, to: &out) }
            #expect(out == Self.reference(bytes), "\(bytes)")
        }
    }
}
