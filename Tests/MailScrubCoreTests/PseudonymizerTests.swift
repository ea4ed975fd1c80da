import Testing
@testable import MailScrubCore
@testable import MailScrubKeys

/// The scheme's published test vectors (foundation issue), secret below, N = 16.
@Suite struct PseudonymizerTests {
    static let secret = "correct horse battery staple 0123456789"
    let p = Pseudonymizer(secret: PseudonymizerTests.secret)

    @Test func keyID() {
        #expect(p.keyID == "62f095e8")
    }

    @Test func plainAndDisplayNameAddressesAgree() {
        let expected = "eb0d511bf7f469785f1f1dc61af78445@a572c4b0d254029fd8cd7fe058e939bd"
        #expect(p.pseudonym(address: "elijah@riseup.net") == expected)
        #expect(p.pseudonym(address: "Elijah <Elijah+lists@RiseUp.NET.>") == expected)
        #expect(p.pseudonym(address: "<elijah@riseup.net>") == expected)
        #expect(p.pseudonym(address: "\"elijah@riseup.net\"") == expected)
        #expect(p.pseudonym(address: "  elijah@riseup.net  ") == expected)
    }

    @Test func localOnlyAddress() {
        #expect(p.pseudonym(address: "root") == "da9217018b9f5470d2b64a26fffaf80e")
    }

    @Test func nullSenderStaysEmpty() {
        #expect(p.pseudonym(address: "<>") == "")
        #expect(p.pseudonym(address: "") == "")
    }

    @Test func messageID() {
        #expect(p.pseudonym(messageID: "<20160520221607.GA5201@riseup.net>") == "f8f8ae57dad59404a49fbad1bdf39c8a")
        #expect(p.pseudonym(messageID: "< 20160520221607.GA5201@riseup.net >") == "f8f8ae57dad59404a49fbad1bdf39c8a")
    }

    @Test func ip() {
        #expect(p.pseudonym(ip: "192.0.2.1") == "0dbccc59ff442f0c732f4ea4b6c3f2b2")
    }

    @Test func quotedLocalPartLosesItsQuotes() {
        #expect(p.pseudonym(address: "\"user 1234\"@icloud.com") == p.pseudonym(address: "user 1234@icloud.com"))
    }

    @Test func caseAndDelimiterOptions() {
        let keepCase = Pseudonymizer(
            secret: Self.secret, options: PseudonymOptions(lowercaseLocalPart: false, recipientDelimiters: ""))
        #expect(keepCase.pseudonym(address: "Elijah+lists@riseup.net") != p.pseudonym(address: "elijah@riseup.net"))
        #expect(keepCase.pseudonym(address: "elijah@RISEUP.net") == p.pseudonym(address: "elijah@riseup.net"))
        let dashToo = Pseudonymizer(secret: Self.secret, options: PseudonymOptions(recipientDelimiters: "+-"))
        #expect(dashToo.pseudonym(address: "elijah-lists@riseup.net") == p.pseudonym(address: "elijah@riseup.net"))
        // A delimiter in first position is part of the name, not an extension.
        #expect(p.pseudonym(address: "+x@riseup.net") != p.pseudonym(address: "@riseup.net"))
    }

    @Test func hashLengthIsConfigurable() {
        let short = Pseudonymizer(secret: Self.secret, options: PseudonymOptions(hashBytes: 8))
        #expect(short.pseudonym(address: "root") == "da9217018b9f5470")
        let long = Pseudonymizer(secret: Self.secret, options: PseudonymOptions(hashBytes: 32))
        #expect(long.pseudonym(address: "root").count == 64)
        #expect(long.pseudonym(address: "root").hasPrefix("da9217018b9f5470d2b64a26fffaf80e"))
    }

    @Test func contextsAreSeparated() {
        #expect(p.pseudonym(address: "example") != p.pseudonym(host: "example"))
        #expect(p.pseudonym(ip: "192.0.2.1") != p.pseudonym(host: "192.0.2.1"))
    }
}
