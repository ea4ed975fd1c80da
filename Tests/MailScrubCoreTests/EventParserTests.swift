import Testing
@testable import MailScrubCore
@testable import MailScrubParsing

@Suite struct EventParserTests {
    static func parse(_ line: String) -> (PostfixEvent, [UInt8]) {
        let bytes = Array(line.utf8)
        return (bytes.withUnsafeBytes { EventParser.parse($0) }, bytes)
    }

    static func text(_ bytes: [UInt8], _ range: Range<Int>?) -> String? {
        range.map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    @Test func kindIndexMatchesCaseOrder() {
        for (i, kind) in PostfixEvent.Kind.allCases.enumerated() { #expect(kind.index == i) }
        for (i, outcome) in LineOutcome.allCases.enumerated() { #expect(outcome.index == i) }
    }

    /// Every line is exactly one outcome, by what the one parse made of it.
    @Test func outcomeOfEachKindOfLine() {
        let cases: [(String, LineOutcome)] = [
            ("Mar  3 09:15:10 mx1 postfix/smtp[3201]: 3F2A81C0D4: to=<zoe@example.org>, relay=none, delay=1, status=sent (ok)", .understood),
            ("3F2A81C0D4: to=<zoe@example.org>, relay=none, delay=1, status=sent (ok)", .understood),
            ("Mar  3 09:15:10 mx1 postfix/smtpd[3201]: connect from mail.example.net[203.0.113.7]", .understood),
            ("Mar  3 09:15:10 mx1 amavis[77]: (77-01) Passed CLEAN {RelayedInbound}, [203.0.113.7] <a@example.net> -> <b@example.org>, Queue-ID: 3F2A81C0D4, Hits: 1.2", .understood),
            ("Mar  3 09:15:10 mx1 postfix/smtpd[3201]: warning: hostname example.net does not resolve to address 203.0.113.7", .postfixUnsupported),
            ("Mar  3 09:15:10 mx1 postfix-out/anvil[3201]: statistics: max connection rate 1/60s", .postfixUnsupported),
            ("Mar  3 09:15:10 mx1 postlog: fatal: something", .postfixUnsupported),
            ("3F2A81C0D4: something no parser reads", .postfixUnsupported),
            ("NOQUEUE: something no parser reads", .postfixUnsupported),
            ("Mar  3 09:15:10 mx1 dovecot: imap-login: Login: user=<zoe@example.org>", .notPostfix),
            ("Mar  3 09:15:10 mx1 CRON[12]: (root) CMD (true)", .notPostfix),
            ("just some words, not a log line", .notSyslog),
            ("", .notSyslog),
        ]
        for (line, expected) in cases {
            let (event, bytes) = Self.parse(line)
            let outcome = bytes.withUnsafeBytes { LineOutcome(event, in: $0) }
            #expect(outcome == expected, "\(line)")
        }
    }

    @Test func deliveryFields() {
        let (e, b) = Self.parse("Mar  3 09:15:10 mx1 postfix/smtp[3201]: 3F2A81C0D4: to=<\"zoe smith\"@example.org>, orig_to=<zoe@example.com>, relay=mx.example.org[203.0.113.5]:25, conn_use=2, delay=1.4, delays=0.4/0/0.3/0.7, tls=none, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4ABCD12345)")
        #expect(e.kind == .delivery)
        #expect(Self.text(b, e.queueID) == "3F2A81C0D4")
        #expect(Self.text(b, e.recipient) == "\"zoe smith\"@example.org")
        #expect(Self.text(b, e.origRecipient) == "zoe@example.com")
        #expect(Self.text(b, e.relay) == "mx.example.org[203.0.113.5]:25")
        #expect(Self.text(b, e.delay) == "1.4" && Self.text(b, e.delays) == "0.4/0/0.3/0.7")
        #expect(Self.text(b, e.dsn) == "2.0.0" && Self.text(b, e.status) == "sent")
        #expect(Self.text(b, e.otherQueueID) == "4ABCD12345")
    }

    @Test func oldDeliveryWithoutDelaysOrDSN() {
        let (e, b) = Self.parse("Jan 01 07:27:38 apollon postfix/local[1689]: 2BC793B8A4: to=user@host.example.com, orig_to=root@localhost, relay=local, delay=0, status=bounced (unknown user: \"etavidian\")")
        #expect(e.kind == .delivery && e.delays == nil && e.dsn == nil)
        #expect(Self.text(b, e.recipient) == "user@host.example.com")
        #expect(Self.text(b, e.status) == "bounced")
    }

    @Test func qmgrShapes() {
        let (queued, b1) = Self.parse("Mar  3 09:15:09 mx1 postfix/qmgr[900]: 3F2A81C0D4: from=<>, size=3120, nrcpt=1 (queue active)")
        #expect(queued.kind == .queued && Self.text(b1, queued.sender) == "" && Self.text(b1, queued.size) == "3120")
        let (old, b2) = Self.parse("Jan 01 07:27:32 mx1 postfix/qmgr[900]: 5D0E4F1A35: from=<jonas@example.net>, size=1141 (queue active)")
        #expect(old.kind == .queued && old.nrcpt == nil && Self.text(b2, old.size) == "1141")
        let (expired, _) = Self.parse("Mar  3 09:15:13 mx1 postfix/qmgr[900]: 7B01D2A11F: from=<c@example.org>, status=force-expired, returned to sender")
        #expect(expired.kind == .expired)
        #expect(Self.parse("Mar  3 09:15:13 mx1 postfix/qmgr[900]: 7B01D2A11F: removed").0.kind == .removed)
    }

    @Test func rejectsWithAndWithoutQueueID() {
        let (noqueue, b) = Self.parse("Mar  3 09:15:06 mx1 postfix/postscreen[1200]: NOQUEUE: reject: RCPT from [192.0.2.61]:5012: 550 5.7.1 Service unavailable; client [192.0.2.61] blocked using bl.example.org; from=<nina@example.net>, to=<oscar@example.com>, proto=ESMTP, helo=<bot>")
        #expect(noqueue.kind == .reject && noqueue.queueID == nil)
        #expect(Self.text(b, noqueue.sender) == "nina@example.net" && Self.text(b, noqueue.recipient) == "oscar@example.com")
        #expect(Self.text(b, noqueue.text)?.hasPrefix("550 5.7.1 Service unavailable") == true)
        let (milter, _) = Self.parse("Mar  3 09:15:08 mx1 postfix/cleanup[3001]: 3F2A81C0D4: milter-reject: END-OF-MESSAGE from mail.example.net[198.51.100.23]: 5.7.1 Spam; from=<q@example.net> to=<r@example.com> proto=ESMTP helo=<mail.example.net>")
        #expect(milter.kind == .reject && milter.queueID != nil)
    }

    @Test func headerClientPickupNotificationAmavis() {
        let (header, b) = Self.parse("Mar  3 09:15:08 mx1 postfix/cleanup[3001]: 3F2A81C0D4: warning: header Subject: Re: mail from me; from=<x> to you from mail.example.net[198.51.100.23]; from=<q@example.net> to=<r@example.com> proto=ESMTP helo=<mail.example.net>")
        #expect(header.kind == .header && Self.text(b, header.headerName) == "Subject")
        #expect(Self.text(b, header.headerValue) == "Re: mail from me; from=<x> to you")
        #expect(Self.text(b, header.sender) == "q@example.net")
        let (client, b2) = Self.parse("Mar  3 09:15:05 mx1 postfix/smtpd[4104]: 9C11E3B002: client=localhost[127.0.0.1], orig_queue_id=3F2A81C0D4, orig_client=mail.example.net[198.51.100.23]")
        #expect(client.kind == .client && Self.text(b2, client.origQueueID) == "3F2A81C0D4" && Self.text(b2, client.clientIP) == "127.0.0.1")
        #expect(Self.parse("Mar  3 09:15:07 mx1 postfix/pickup[3000]: 5D0E4F1A22: uid=0 from=<root>").0.kind == .pickup)
        let (bounce, b3) = Self.parse("Mar  3 09:15:13 mx1 postfix/bounce[3300]: 7B01D2A11F: postmaster non-delivery notification: 6E1F00AA03")
        #expect(bounce.kind == .notification && Self.text(b3, bounce.otherQueueID) == "6E1F00AA03")
        let (amavis, b4) = Self.parse("Mar  3 09:15:17 mx1 amavis[2279]: (02279-04) Passed CLEAN {RelayedInbound}, Queue-ID: 3F2A81C0D4, Message-ID: <a@b>, mail_id: x, Hits: -1.1, size: 4, queued_as: 7C22F4B003, 412 ms")
        #expect(amavis.kind == .contentFilter && Self.text(b4, amavis.spamScore) == "-1.1" && Self.text(b4, amavis.otherQueueID) == "7C22F4B003")
    }

    @Test func unknownLinesAreUnrecognizedNotErrors() {
        for line in ["", "garbage", "Mar  3 09:15:14 mx1 postfix/master[800]: daemon started -- version 3.7.11",
                     "Mar  3 09:15:14 mx1 postfix/smtp[1]: 3F2A81C0D4: to=<truncated", "\u{0}\u{1}binary"] {
            #expect(Self.parse(line).0.kind == .unrecognized)
        }
    }
}
