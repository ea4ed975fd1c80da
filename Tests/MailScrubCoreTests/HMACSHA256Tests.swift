import Testing
@testable import MailScrubCore
@testable import MailScrubKeys

/// RFC 4231 test cases 1, 2 and 6 for HMAC-SHA256.
@Suite struct HMACSHA256Tests {
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format2: $0) }.joined() }

    @Test func rfc4231Case1() {
        let mac = HMACSHA256(key: [UInt8](repeating: 0x0b, count: 20))
        #expect(Self.hex(mac.authenticate(Array("Hi There".utf8)))
            == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    @Test func rfc4231Case2() {
        let mac = HMACSHA256(key: Array("Jefe".utf8))
        #expect(Self.hex(mac.authenticate(Array("what do ya want for nothing?".utf8)))
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func rfc4231Case6KeyLongerThanBlock() {
        let mac = HMACSHA256(key: [UInt8](repeating: 0xaa, count: 131))
        let message = Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)
        #expect(Self.hex(mac.authenticate(message))
            == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    /// HMAC-SHA256 with an empty key over an empty message (a widely published value).
    @Test func emptyKeyAndMessage() {
        #expect(Self.hex(HMACSHA256(key: []).authenticate([]))
            == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test func reusedContextGivesSameResult() {
        let mac = HMACSHA256(key: Array("Jefe".utf8))
        let first = mac.authenticate(Array("a".utf8))
        _ = mac.authenticate(Array("something else".utf8))
        #expect(mac.authenticate(Array("a".utf8)) == first)
    }

    @Test func randomBytesDiffer() throws {
        let a = try SecureRandom.bytes(32)
        let b = try SecureRandom.bytes(32)
        #expect(a.count == 32 && a != b)
    }
}

extension String {
    init(format2 byte: UInt8) {
        let digits = Array("0123456789abcdef")
        self = String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
