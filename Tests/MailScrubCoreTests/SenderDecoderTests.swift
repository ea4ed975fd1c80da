import Testing
@testable import MailScrubCore
@testable import MailScrubParsing

@Suite struct SenderDecoderTests {
    /// Each scheme, its near misses (which stay whole), and case: (sender, recipient,
    /// decoded sender, list).
    static let cases: [(String, String?, String, String?)] = [
        ("SRS0=HHHH=TT=orig.example=alice@fwd.example", nil, "alice@orig.example", nil),
        ("srs0+HHHH=TT=orig.example=al=ice@fwd.example", nil, "al=ice@orig.example", nil),
        ("SRS1=XXXX=first.example==HHHH=TT=orig.example=alice@fwd.example", nil, "alice@orig.example", nil),
        ("SRS1=XXXX=first.example=HHHH=TT=orig.example=alice@fwd.example", nil, "SRS1=XXXX=first.example=HHHH=TT=orig.example=alice@fwd.example", nil),
        ("SRS0=HHHH==orig.example=alice@fwd.example", nil, "SRS0=HHHH==orig.example=alice@fwd.example", nil),
        ("prvs=1234abcd=alice@example.org", nil, "alice@example.org", nil),
        ("MSPRVS1=tag=Alice@example.org", nil, "Alice@example.org", nil),
        ("prvs==alice@example.org", nil, "prvs==alice@example.org", nil),
        ("bounce-debian-devel=zoe=example.net@lists.example.org", nil, "bounce-debian-devel@lists.example.org", "debian-devel@lists.example.org"),
        ("bounce-x=zoe@lists.example.org", nil, "bounce-x=zoe@lists.example.org", nil),
        ("announce-bounces+zoe=example.net@lists.example.org", nil, "announce-bounces@lists.example.org", "announce@lists.example.org"),
        ("Announce-BOUNCES+zoe=example.net@lists.example.org", nil, "Announce-BOUNCES@lists.example.org", "Announce@lists.example.org"),
        ("list-return-42-zoe=example.net@lists.example.org", nil, "list-return@lists.example.org", "list@lists.example.org"),
        ("list-return-42@lists.example.org", nil, "list-return-42@lists.example.org", nil),
        ("bounce+a1b2-zoe=example.net@mailer.example.com", nil, "bounce@mailer.example.com", nil),
        ("bounces+12-34-zoe=example.net@mailer.example.com", nil, "bounces@mailer.example.com", nil),
        ("owner+zoe=example.net@lists.example.org", "zoe@example.net", "owner@lists.example.org", "owner@lists.example.org"),
        ("owner-Zoe=Example.NET@lists.example.org", "zoe@example.net", "owner@lists.example.org", "owner@lists.example.org"),
        ("owner+zoe=example.net@lists.example.org", "ann@example.net", "owner+zoe=example.net@lists.example.org", nil),
        ("+zoe=example.net@lists.example.org", "zoe@example.net", "+zoe=example.net@lists.example.org", nil),
        ("alice@example.org", "zoe@example.net", "alice@example.org", nil),
        ("@example.org", nil, "@example.org", nil),
        ("", nil, "", nil),
    ]

    @Test func eachSchemeAndItsNearMisses() {
        for (sender, recipient, expectedSender, expectedList) in Self.cases {
            let decoded = SenderDecoder.decode(Array(sender.utf8), recipients: recipient.map { [Array($0.utf8)] } ?? [])
            #expect(String(decoding: decoded.sender, as: UTF8.self) == expectedSender, "\(sender)")
            #expect(decoded.list.map { String(decoding: $0, as: UTF8.self) } == expectedList, "\(sender)")
        }
    }

    /// A reused buffer keeps its capacity: decoding allocates nothing once it is large enough.
    @Test func aReusedBufferIsOnlyOverwritten() {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        let capacity = out.capacity
        for (sender, _, expected, _) in Self.cases {
            let spans = Array(sender.utf8).withUnsafeBytes { SenderDecoder.decode($0, recipients: (nil, nil), into: &out) }
            if !sender.lowercased().hasPrefix("owner") { #expect(String(decoding: out[spans.sender], as: UTF8.self) == expected) }
        }
        #expect(out.capacity == capacity)
    }
}
