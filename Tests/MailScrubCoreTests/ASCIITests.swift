import Testing
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
        }
    }
}
