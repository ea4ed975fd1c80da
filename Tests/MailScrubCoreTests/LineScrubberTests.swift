import Testing
@testable import MailScrubCore
@testable import MailScrubParsing

/// Targeted cases beyond the golden file: what must change, and what must not.
@Suite struct LineScrubberTests {
    let p = TestSupport.pseudonymizer()

    @Test func addressFieldsKeepTheirBrackets() {
        let out = TestSupport.scrubLine("Mar  3 09:15:09 mx postfix/qmgr[9]: 3F2A81C0D4: from=<a@example.org>, size=1, nrcpt=1 (queue active)")
        #expect(out == "Mar  3 09:15:09 mx postfix/qmgr[9]: 3F2A81C0D4: from=<\(p.pseudonym(address: "a@example.org"))>, size=1, nrcpt=1 (queue active)")
    }

    @Test func nullSenderStaysEmpty() {
        let line = "Mar  3 09:15:09 mx postfix/qmgr[9]: 3F2A81C0D4: from=<>, size=1, nrcpt=1 (queue active)"
        #expect(TestSupport.scrubLine(line) == line)
    }

    /// Queue ids, delays, DSN codes, versions, times, sizes and hostnames are not touched.
    @Test func nonSensitiveTokensPassUnchanged() {
        let lines = [
            "Mar  3 09:15:09 mx1 postfix/smtp[3203]: 7B01D2A11F: host mx.example.org said: 250 2.0.0 ok delays=0.1/0/30/0.9 dsn=4.2.0 conn_use=2",
            "Mar  3 09:15:14 mx1 postfix/master[800]: daemon started -- version 3.7.11, configuration /etc/postfix",
            "2026-03-03T09:15:15.120044+01:00 mx1 postfix/qmgr[1]: 4TwNdH5zwCz7fxV: removed",
            "Mar  3 09:15:14 mx1 postfix/anvil[1]: statistics: max cache size 3 at Mar  3 09:12:01",
            "Mar  3 09:15:14 mx1 postfix/smtpd[1]: connect from mail.example.net[unknown]",
            "Mar  3 09:15:14 mx1 postfix/tlsmgr[1]: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) deadbeef:cafe",
        ]
        for line in lines { #expect(TestSupport.scrubLine(line) == line) }
    }

    @Test func ipAddressesInEveryPosition() {
        let ip4 = p.pseudonym(ip: "192.0.2.7")
        let ip6 = p.pseudonym(ip: "2001:db8::7")
        #expect(TestSupport.scrubLine("x: client=h[192.0.2.7]:25") == "x: client=h[\(ip4)]:25")
        #expect(TestSupport.scrubLine("x: client=h[2001:db8::7]") == "x: client=h[\(ip6)]")
        #expect(TestSupport.scrubLine("x: addr 192.0.2.7 listed") == "x: addr \(ip4) listed")
        #expect(TestSupport.scrubLine("x: rip=2001:db8::7, lip=::1") == "x: rip=\(ip6), lip=\(p.pseudonym(ip: "::1"))")
        #expect(TestSupport.scrubLine("x: (smtp:192.0.2.7)") == "x: (smtp:\(ip4))")
        #expect(TestSupport.scrubLine("x: fe80::1:25 up").contains("fe80") == false)
    }

    @Test func quotedLocalPartWithSpacesAndAngleBracket() {
        let out = TestSupport.scrubLine("q: to=<\"odd > name\"@example.org>, relay=none")
        #expect(out == "q: to=<\(p.pseudonym(address: "\"odd > name\"@example.org"))>, relay=none")
    }

    @Test func internalFormAddressWithSpaces() {
        let out = TestSupport.scrubLine("q: from=<name with spaces@example.org>, size=3")
        #expect(out == "q: from=<\(p.pseudonym(address: "name with spaces@example.org"))>, size=3")
    }

    @Test func saslSenderIsXtextDecoded() {
        let out = TestSupport.scrubLine("q: client=h[unknown], sasl_sender=bob+2Bx@example.org")
        // `+2B` is `+`, which then starts the cut extension.
        #expect(out == "q: client=h[unknown], sasl_sender=\(p.pseudonym(address: "bob@example.org"))")
    }

    @Test func truncatedLineCannotLeakTheTail() {
        let out = TestSupport.scrubLine("Mar  3 09:15:18 mx postfix/smtp[1]: 5E6F7A8B9D: to=<zora.pri")
        #expect(!out.contains("zora"))
        let header = TestSupport.scrubLine("Mar  3 09:15:08 mx postfix/cleanup[1]: 3F2A81C0D4: info: header Subject: Secret thing for Zo")
        #expect(header.hasSuffix("header Subject: [19 chars]"))
    }

    @Test func keyPrefixIsNotPartOfTheLocalPart() {
        let out = TestSupport.scrubLine("spf: identity=mailfrom; envelope-from=carl@example.org; receiver=<UNKNOWN>")
        #expect(out == "spf: identity=mailfrom; envelope-from=\(p.pseudonym(address: "carl@example.org")); receiver=<UNKNOWN>")
    }

    @Test func verpAddressIsHashedWholeInLinesMode() {
        let out = TestSupport.scrubLine("x: from=<bounce-list=wendy=example.com@lists.example.org>")
        #expect(!out.contains("wendy") && !out.contains("bounce-list"))
    }
}
