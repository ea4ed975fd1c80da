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
}
