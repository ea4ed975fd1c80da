import MailScrubBase
import Testing
@testable import MailScrubCore
@testable import MailScrubParsing

/// The byte classes are bit masks; these hold each to the set it is documented as.
@Suite struct ASCIITests {
    static func isAlnum(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) }

    @Test func byteClassesAreTheirDocumentedSets() {
        for value in 0...255 {
            let b = UInt8(value)
            let localPart = b >= 0x80 || Self.isAlnum(b) || "!#$%&'*+-/=?^_`{|}~.".utf8.contains(b)
            let domain = b >= 0x80 || Self.isAlnum(b) || "-._".utf8.contains(b)
            let key = Self.isAlnum(b) || "-_.".utf8.contains(b)
            #expect(ASCII.isLocalPartByte(b) == localPart, "\(b)")
            #expect(ASCII.isDomainByte(b) == domain, "\(b)")
            #expect(ASCII.isKeyByte(b) == key, "\(b)")
            #expect(ASCII.isAlnum(b) == Self.isAlnum(b), "\(b)")
            let hex = "0123456789abcdefABCDEF".utf8.contains(b)
            #expect(SyslogHeader.isTagByte(b) == (Self.isAlnum(b) || "/.-_".utf8.contains(b)), "\(b)")
            #expect(SyslogHeader.isHostByte(b) == (Self.isAlnum(b) || ".-_:".utf8.contains(b)), "\(b)")
            #expect(QueueID.isLongFormByte(b) == (Self.isAlnum(b) && !"AEIOUaeiou".utf8.contains(b)), "\(b)")
            #expect(GenericScan.isTrigger(b) == (hex || "<@:\"".utf8.contains(b)), "\(b)")
            #expect(OutputVerifier.isTrigger(b) == (hex || "<@:".utf8.contains(b)), "\(b)")
            #expect(JSONWriter.isPlain(b) == ((0x20..<0x7F).contains(b) && b != 0x22 && b != 0x5C), "\(b)")
            if b < 16 { #expect(ASCII.hexDigit(b) == Array("0123456789abcdef".utf8)[value], "\(b)") }
        }
    }

    /// The word-at-a-time hex check: one byte of every value at every place of runs of
    /// every length up to 20 (so in whole words, tails, and both).
    @Test func lowerHexRunsAreExactlyZeroToNineAndAToF() {
        let isLowerHex = { (b: UInt8) in (0x30...0x39).contains(b) || (0x61...0x66).contains(b) }
        for length in 1...20 {
            for place in 0..<length {
                for value in 0...255 {
                    var run = Array("0123456789abcdef0123".utf8.prefix(length))
                    run[place] = UInt8(value)
                    let found = run.withUnsafeBytes { LowerHex.isRun($0, 0..<length) }
                    #expect(found == isLowerHex(UInt8(value)), "\(length) \(place) \(value)")
                }
            }
        }
        #expect(Array("ab".utf8).withUnsafeBytes { LowerHex.isRun($0, 1..<1) })
    }

    /// UTF-8 validation, which skips ASCII sixteen bytes at a time, agrees with the
    /// standard library's wherever the non-ASCII bytes fall and from every start.
    @Test func utf8ValidationAgreesWithTheStandardLibrary() {
        var rng = FailClosedPropertyTests.Generator(state: 31)
        // Well-formed pieces, truncated ones, and the ill-formed ones strict decoders reject:
        // overlong (C0 AF, E0 80 80, F0 80 80 80), surrogates (ED A0 80), above U+10FFFF (F4 90 80 80).
        let pieces: [[UInt8]] = [
            [0x61], [0x20], Array("é".utf8), Array("€".utf8), Array("😀".utf8), Array("\u{10FFFF}".utf8), Array("\u{D7FF}".utf8),
            [0xFF], [0xC3], [0x80], [0xE2, 0x82], [0xC0, 0xAF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF0, 0x80, 0x80, 0x80],
            [0xF4, 0x90, 0x80, 0x80],
        ]
        for _ in 0..<5000 {
            var bytes: [UInt8] = []
            for _ in 0..<rng.below(12) {
                let piece = rng.pick(pieces)
                for _ in 0..<(piece == [0x61] ? rng.below(20) : 1) { bytes += piece }
            }
            let start = rng.below(bytes.count + 1)
            let expected = String(validating: bytes[start...], as: UTF8.self) != nil
            #expect(bytes.withUnsafeBytes { UTF8Sequence.isValid($0, from: start) } == expected, "\(bytes) from \(start)")
        }
    }
}
