import MailScrubBase
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

    /// Ranges of a line are packed into 8 bytes, none included, and read back as they were.
    @Test func packedRangesRoundTrip() {
        for range in [nil, 0..<0, 0..<1, 17..<250, 1_048_575..<1_048_576, Int(UInt32.max) - 1..<Int(UInt32.max)] as [Range<Int>?] {
            #expect(PackedRange(wrappedValue: range).wrappedValue == range)
        }
        var packed = PackedRange(wrappedValue: 3..<9)
        packed.wrappedValue = nil
        #expect(packed.wrappedValue == nil && packed == PackedRange(wrappedValue: nil))
        #expect(MemoryLayout<PackedRange>.size == 8)
        // An event is copied on every line and kept by the thousand per block: with each
        // optional range as `Range<Int>?` it was 353 bytes.
        #expect(MemoryLayout<PostfixEvent>.size <= 160, "\(MemoryLayout<PostfixEvent>.size) bytes")
    }

    /// `kind` is stored beside `fields`: it must name the case `fields` holds, also after
    /// a parser started on a line and gave up, and without a queue id nothing is kept.
    @Test func kindFollowsFields() {
        let lines = [
            "Mar  3 09:15:10 mx1 postfix/smtp[3201]: 3F2A81C0D4: to=<zoe@example.org>, relay=none, delay=1, status=sent (ok)",
            "Mar  3 09:15:10 mx1 postfix/smtp[3201]: 3F2A81C0D4: to=<zoe@example.org>, relay=none, delay=1",
            "Mar  3 09:15:10 mx1 postfix/qmgr[3201]: 3F2A81C0D4: from=<ann@example.com>",
            "Mar  3 09:15:10 mx1 postfix/cleanup[3201]: 3F2A81C0D4: message-id=<a@b>",
            "Mar  3 09:15:10 mx1 postfix/cleanup[3201]: message-id=<a@b>",
            "3F2A81C0D4: from=<ann@example.com>, size=120, nrcpt=1 (queue active)",
            "3F2A81C0D4: from=<ann@example.com>, nrcpt=1 (queue active)",
            "Mar  3 09:15:10 mx1 amavis[7]: (07-1) Passed CLEAN, Queue-ID: 3F2A81C0D4, Hits: 1.2",
            "Mar  3 09:15:10 mx1 amavis[7]: (07-1) Passed CLEAN, Hits: 1.2",
        ]
        for line in lines {
            let (event, _) = Self.parse(line)
            let actual: PostfixEvent.Kind = switch event.fields {
            case .unrecognized: .unrecognized
            case .connect: .connect
            case .disconnect: .disconnect
            case .client: .client
            case .pickup: .pickup
            case .messageID: .messageID
            case .resentMessageID: .resentMessageID
            case .header: .header
            case .queued: .queued
            case .delivery: .delivery
            case .expired: .expired
            case .removed: .removed
            case .notification: .notification
            case .reject: .reject
            case .contentFilter: .contentFilter
            }
            #expect(event.kind == actual, "\(line)")
            if event.kind == .unrecognized { #expect(event.queueID == nil, "\(line)") }
        }
        #expect(Self.parse(lines[0]).0.kind == .delivery && Self.parse(lines[1]).0.kind == .unrecognized)
        #expect(Self.parse(lines[5]).0.kind == .queued && Self.parse(lines[6]).0.kind == .unrecognized)
    }

    @Test func deliveryFields() throws {
        let (e, b) = Self.parse("Mar  3 09:15:10 mx1 postfix/smtp[3201]: 3F2A81C0D4: to=<\"zoe smith\"@example.org>, orig_to=<zoe@example.com>, relay=mx.example.org[203.0.113.5]:25, conn_use=2, delay=1.4, delays=0.4/0/0.3/0.7, tls=none, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4ABCD12345)")
        guard case .delivery(let d) = e.fields else { throw Unexpected(e.kind) }
        #expect(Self.text(b, e.queueID) == "3F2A81C0D4")
        #expect(Self.text(b, d.recipient) == "\"zoe smith\"@example.org")
        #expect(Self.text(b, d.origRecipient) == "zoe@example.com")
        #expect(Self.text(b, d.relay) == "mx.example.org[203.0.113.5]:25")
        #expect(Self.text(b, d.delay) == "1.4" && Self.text(b, d.delays) == "0.4/0/0.3/0.7")
        #expect(Self.text(b, d.dsn) == "2.0.0" && Self.text(b, d.status) == "sent")
        #expect(Self.text(b, d.text) == "250 2.0.0 Ok: queued as 4ABCD12345" && d.nexthop == nil)
        #expect(Self.text(b, d.nextQueueID) == "4ABCD12345")
    }

    /// A kind the test did not expect, for `throw`.
    struct Unexpected: Error {
        let kind: PostfixEvent.Kind
        init(_ kind: PostfixEvent.Kind) { self.kind = kind }
    }

    @Test func oldDeliveryWithoutDelaysOrDSN() throws {
        let (e, b) = Self.parse("Jan 01 07:27:38 apollon postfix/local[1689]: 2BC793B8A4: to=user@host.example.com, orig_to=root@localhost, relay=local, delay=0, status=bounced (unknown user: \"etavidian\")")
        guard case .delivery(let d) = e.fields else { throw Unexpected(e.kind) }
        #expect(d.delays == nil && d.dsn == nil)
        #expect(Self.text(b, d.recipient) == "user@host.example.com")
        #expect(Self.text(b, d.status) == "bounced")
    }

    /// discard logs the next hop where a status text would be: it is kept apart.
    @Test func discardNextHopIsNoText() throws {
        let (e, b) = Self.parse("Mar  3 09:15:10 mx1 postfix/discard[3201]: 3F2A81C0D4: to=<zoe@example.org>, relay=none, delay=0.1, delays=0.1/0/0/0, dsn=2.0.0, status=sent (example.org)")
        guard case .delivery(let d) = e.fields else { throw Unexpected(e.kind) }
        #expect(d.text == nil && Self.text(b, d.nexthop) == "example.org")
    }

    @Test func qmgrShapes() throws {
        let (queued, b1) = Self.parse("Mar  3 09:15:09 mx1 postfix/qmgr[900]: 3F2A81C0D4: from=<>, size=3120, nrcpt=1 (queue active)")
        guard case .queued(let q) = queued.fields else { throw Unexpected(queued.kind) }
        #expect(Self.text(b1, q.sender) == "" && Self.text(b1, q.size) == "3120" && Self.text(b1, q.nrcpt) == "1")
        let (old, b2) = Self.parse("Jan 01 07:27:32 mx1 postfix/qmgr[900]: 5D0E4F1A35: from=<jonas@example.net>, size=1141 (queue active)")
        guard case .queued(let o) = old.fields else { throw Unexpected(old.kind) }
        #expect(o.nrcpt == nil && Self.text(b2, o.size) == "1141")
        let (expired, b3) = Self.parse("Mar  3 09:15:13 mx1 postfix/qmgr[900]: 7B01D2A11F: from=<c@example.org>, status=force-expired, returned to sender")
        guard case .expired(let x) = expired.fields else { throw Unexpected(expired.kind) }
        #expect(Self.text(b3, x.sender) == "c@example.org" && Self.text(b3, x.status) == "force-expired")
        #expect(Self.parse("Mar  3 09:15:13 mx1 postfix/qmgr[900]: 7B01D2A11F: removed").0.kind == .removed)
        // A `from=` line with neither status nor size is none of qmgr's.
        #expect(Self.parse("Mar  3 09:15:13 mx1 postfix/qmgr[900]: 7B01D2A11F: from=<c@example.org>, nrcpt=1").0.kind == .unrecognized)
    }

    @Test func rejectsWithAndWithoutQueueID() throws {
        let (noqueue, b) = Self.parse("Mar  3 09:15:06 mx1 postfix/postscreen[1200]: NOQUEUE: reject: RCPT from [192.0.2.61]:5012: 550 5.7.1 Service unavailable; client [192.0.2.61] blocked using bl.example.org; from=<nina@example.net>, to=<oscar@example.com>, proto=ESMTP, helo=<bot>")
        guard case .reject(let r) = noqueue.fields else { throw Unexpected(noqueue.kind) }
        #expect(noqueue.queueID == nil && Self.text(b, r.action) == "reject")
        #expect(Self.text(b, r.sender) == "nina@example.net" && Self.text(b, r.recipient) == "oscar@example.com")
        #expect(Self.text(b, r.text)?.hasPrefix("550 5.7.1 Service unavailable") == true)
        #expect(Self.text(b, r.client.ip) == "192.0.2.61")
        let (milter, _) = Self.parse("Mar  3 09:15:08 mx1 postfix/cleanup[3001]: 3F2A81C0D4: milter-reject: END-OF-MESSAGE from mail.example.net[198.51.100.23]: 5.7.1 Spam; from=<q@example.net> to=<r@example.com> proto=ESMTP helo=<mail.example.net>")
        #expect(milter.kind == .reject && milter.queueID != nil)
    }

    @Test func headerClientPickupNotificationAmavis() throws {
        let (header, b) = Self.parse("Mar  3 09:15:08 mx1 postfix/cleanup[3001]: 3F2A81C0D4: warning: header Subject: Re: mail from me; from=<x> to you from mail.example.net[198.51.100.23]; from=<q@example.net> to=<r@example.com> proto=ESMTP helo=<mail.example.net>")
        guard case .header(let h) = header.fields else { throw Unexpected(header.kind) }
        #expect(Self.text(b, h.name) == "Subject" && h.kind == .opaque)
        #expect(Self.text(b, h.value) == "Re: mail from me; from=<x> to you")
        #expect(Self.text(b, h.sender) == "q@example.net" && Self.text(b, h.recipient) == "r@example.com")
        let (client, b2) = Self.parse("Mar  3 09:15:05 mx1 postfix/smtpd[4104]: 9C11E3B002: client=localhost[127.0.0.1], orig_queue_id=3F2A81C0D4, orig_client=mail.example.net[198.51.100.23]")
        guard case .client(let c) = client.fields else { throw Unexpected(client.kind) }
        #expect(Self.text(b2, c.origQueueID) == "3F2A81C0D4" && Self.text(b2, c.client.ip) == "127.0.0.1" && c.saslUsername == nil)
        let (pickup, b5) = Self.parse("Mar  3 09:15:07 mx1 postfix/pickup[3000]: 5D0E4F1A22: uid=0 from=<root>")
        guard case .pickup(let u) = pickup.fields else { throw Unexpected(pickup.kind) }
        #expect(Self.text(b5, u.uid) == "0" && Self.text(b5, u.sender) == "root")
        let (bounce, b3) = Self.parse("Mar  3 09:15:13 mx1 postfix/bounce[3300]: 7B01D2A11F: postmaster non-delivery notification: 6E1F00AA03")
        guard case .notification(let n) = bounce.fields else { throw Unexpected(bounce.kind) }
        #expect(Self.text(b3, n.newQueueID) == "6E1F00AA03" && Self.text(b3, n.what) == "postmaster non-delivery notification")
        let (amavis, b4) = Self.parse("Mar  3 09:15:17 mx1 amavis[2279]: (02279-04) Passed CLEAN {RelayedInbound}, Queue-ID: 3F2A81C0D4, Message-ID: <a@b>, mail_id: x, Hits: -1.1, size: 4, queued_as: 7C22F4B003, 412 ms")
        guard case .contentFilter(let v) = amavis.fields else { throw Unexpected(amavis.kind) }
        #expect(Self.text(b4, v.spamScore) == "-1.1" && Self.text(b4, v.nextQueueID) == "7C22F4B003")
    }

    @Test func unknownLinesAreUnrecognizedNotErrors() {
        for line in ["", "garbage", "Mar  3 09:15:14 mx1 postfix/master[800]: daemon started -- version 3.7.11",
                     "Mar  3 09:15:14 mx1 postfix/smtp[1]: 3F2A81C0D4: to=<truncated", "\u{0}\u{1}binary"] {
            #expect(Self.parse(line).0.kind == .unrecognized)
        }
    }
}
