import Foundation
import Testing
@testable import MailScrubCore
@testable import MailScrubCorrelation
@testable import MailScrubParsing

/// Golden pairs for records mode (`Golden/records/<case>.log` → `<case>.ndjson`), plus
/// structure tests that decode the records and check what the fields mean.
@Suite struct RecordsGoldenTests {
    static let cases = [
        "incoming", "outgoing", "bounces", "content-filter", "list-senders", "hosts-and-time", "direction-local-domains",
    ]
    static let directory = TestSupport.goldenDirectory.appendingPathComponent("records")

    static func options(_ name: String) -> Correlator.Options {
        name == "direction-local-domains" ? Correlator.Options(localDomains: ["example.org"]) : Correlator.Options()
    }

    static func output(_ name: String) throws -> [UInt8] {
        let input = try Array(Data(contentsOf: directory.appendingPathComponent("\(name).log")))
        return TestSupport.run(input, mode: .records, correlation: options(name))
    }

    static func records(_ name: String) throws -> [Record] {
        try output(name).split(separator: 0x0A).map { try JSONDecoder().decode(Record.self, from: Data($0)) }
    }

    /// The fields the structure tests look at.
    struct Record: Decodable {
        var queue_id: String?
        var previous_queue_id: String?
        var next_queue_id: String?
        var notification_for: String?
        var message_id: String?
        var re_message_id: String?
        var first_seen_at: String?
        var logged_at: String
        var date: String?
        var sent_at: String?
        var received_at: String?
        var sender: String?
        var recipient: String?
        var orig_recipient: String?
        var from: [String]?
        var to: [String]?
        var cc: [String]?
        var hidden_recipient: Bool?
        var message_size: Int?
        var subject_size: Int?
        var spam_score: Double?
        var is_list: Bool
        var list: String?
        var is_outgoing: Bool
        var status: String
        var dsn: String?
        var transport: String?
        var delay: Double?
        var delays: [Double]?
        var reject_reason: String?
        var host: String?
    }

    let p = TestSupport.pseudonymizer()

    @Test(arguments: cases)
    func golden(_ name: String) throws {
        if let problem = GoldenFile(url: Self.directory.appendingPathComponent("\(name).ndjson")).check(try Self.output(name)) {
            Issue.record(Comment(rawValue: problem))
        }
    }

    /// Every line is one JSON object, with the same keys in the same order.
    @Test(arguments: cases)
    func everyLineIsJSONWithTheFullSchema(_ name: String) throws {
        let lines = try Self.output(name).split(separator: 0x0A)
        #expect(!lines.isEmpty)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            #expect(object.count == 36)
            #expect(object["schema"] as? String == "mailscrub.delivery/1")
            #expect(object["key_id"] as? String == p.keyID)
        }
    }

    /// No address, local part, message-id, IP or header text of the input is in the output.
    @Test(arguments: cases)
    func noRawValueSurvives(_ name: String) throws {
        let input = try String(contentsOf: Self.directory.appendingPathComponent("\(name).log"), encoding: .utf8)
        let output = String(decoding: try Self.output(name), as: UTF8.self)
        let patterns = [
            "[A-Za-z0-9._+=-]+@[A-Za-z0-9.-]+", "\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}", "2001:db8:[0-9a-f:]+",
            "Quarterly[^;]*Peter", "Friends of Quinn", "Quinn Q", "Ben Nevis",
        ]
        var found: Set<String> = []
        for pattern in patterns {
            let regex = try NSRegularExpression(pattern: pattern)
            for match in regex.matches(in: input, range: NSRange(input.startIndex..., in: input)) {
                found.insert(String(input[Range(match.range, in: input)!]))
            }
        }
        // Local parts alone too (`quinn`, `carol.jones`, `root`): at least four characters, so
        // that words of the schema cannot collide.
        for address in found where address.contains("@") {
            let local = String(address.split(separator: "@", omittingEmptySubsequences: false)[0])
            if local.count >= 4 { found.insert(local) }
        }
        #expect(!found.isEmpty)
        #expect(found.filter { output.contains($0) }.sorted() == [])
    }

    @Test func incomingFieldsFromHeaders() throws {
        let r = try Self.records("incoming")
        #expect(r.count == 4)
        let (rachel, sam, victor) = (r[0], r[1], r[2])
        #expect(rachel.recipient == p.pseudonym(address: "rachel@example.com"))
        #expect(rachel.sender == p.pseudonym(address: "quinn@example.net"))
        #expect(rachel.from == [p.pseudonym(address: "quinn@example.net")])
        #expect(rachel.cc == [p.pseudonym(address: "sam@example.com"), p.pseudonym(address: "tina@example.com")])
        #expect(rachel.hidden_recipient == false && sam.hidden_recipient == false && victor.hidden_recipient == true)
        #expect(rachel.message_id == p.pseudonym(messageID: "<20260303091458.AB12CD@mail.example.net>"))
        #expect(rachel.re_message_id == p.pseudonym(messageID: "<prev.1@mail.example.com>"))
        #expect(rachel.date == "2026-03-03T09:14:58Z" && rachel.sent_at == rachel.date)
        #expect(rachel.first_seen_at == "2026-03-03T09:15:04Z" && rachel.received_at == rachel.first_seen_at)
        #expect(rachel.subject_size == 27 && rachel.message_size == 40213 && rachel.spam_score == -1.1)
        #expect(rachel.is_outgoing == false && rachel.is_list == false && rachel.transport == "lmtp")
        #expect(rachel.delays == [1.3, 0.01, 0.05, 0.54] && rachel.delay == 1.9)
        let list = r[3]
        #expect(list.is_list && list.list == p.pseudonym(address: "friends@lists.example.org"))
        #expect(list.sender == p.pseudonym(address: "friends-bounces@lists.example.org"))
        #expect(list.spam_score == -0.7)
        #expect(list.hidden_recipient == true, "delivered to a member, addressed to the list")
    }

    @Test func outgoingSubmissionAndPickup() throws {
        let r = try Self.records("outgoing")
        #expect(r.map(\.status) == ["sent", "deferred", "sent", "sent", "sent", "sent"])
        let martha = r[0]
        #expect(martha.is_outgoing && martha.sender == p.pseudonym(address: "olaf@example.org"))
        #expect(martha.sent_at == martha.first_seen_at && martha.received_at == martha.logged_at)
        #expect(martha.next_queue_id == nil, "a remote server's queue id is not a hop")
        #expect(r[1].recipient == r[3].recipient && r[1].dsn == "4.7.1" && r[3].delay == 302)
        #expect(r[2].transport == "lmtp" && !r[2].is_outgoing, "delivered here, not outgoing")
        #expect(r[2].hidden_recipient == true)
        let (local, ops) = (r[4], r[5])
        #expect(!local.is_outgoing && local.orig_recipient == p.pseudonym(address: "root"))
        #expect(ops.is_outgoing && ops.sender == p.pseudonym(address: "root@mx1.example.org"))
    }

    @Test func bouncesExpiryAndRejects() throws {
        let r = try Self.records("bounces")
        #expect(r.map(\.status) == ["bounced", "sent", "deferred", "expired", "rejected", "rejected", "rejected", "rejected", "rejected"])
        #expect(r[1].notification_for == "7B01D2A11F" && r[1].sender == "")
        #expect(r[3].recipient == p.pseudonym(address: "frank@example.com") && r[3].queue_id == "9D8C7B6A50")
        #expect(r[4...7].map(\.reject_reason) == ["over_quota", "unknown_user", "blocklisted", "policy"])
        #expect(r[4].queue_id == nil && r[4].dsn == "5.2.2" && r[4].sender == p.pseudonym(address: "newsletter@shop.example.com"))
        #expect(r[6].recipient == p.pseudonym(address: "oscar@example.org"))
        #expect(r[8].queue_id == "4B5C6D7E8F" && r[8].message_id == p.pseudonym(messageID: "<spam.77@bulk.example.net>"))
    }

    @Test func contentFilterHopIsLinked() throws {
        let r = try Self.records("content-filter")
        #expect(r.count == 2)
        #expect(r[0].queue_id == "1A2B3C4D5E" && r[0].next_queue_id == "2B3C4D5E6F" && r[0].spam_score == 2.5)
        #expect(r[1].queue_id == "2B3C4D5E6F" && r[1].previous_queue_id == "1A2B3C4D5E")
        #expect(r[0].logged_at == "2026-03-06T11:00:01.800000Z")
        #expect(r[0].message_id == r[1].message_id)
    }

    @Test func listAndRewritingSchemesAreDecoded() throws {
        let r = try Self.records("list-senders")
        let expected: [(sender: String, list: String?)] = [
            ("bounce-debian-devel@lists.example.net", "debian-devel@lists.example.net"),
            ("devel-bounces@lists.example.net", "devel@lists.example.net"),
            ("devel-return@lists.example.net", "devel@lists.example.net"),
            ("owner-devel@lists.example.net", "owner-devel@lists.example.net"),
            ("judy@example.net", nil), ("judy@example.net", nil), ("judy@example.net", nil),
            ("bounce@mg.shop.example.com", nil), ("bounces@sendgrid.example.net", nil),
            ("a=b@example.net", nil),
            ("owner-devel+someone=example.com@lists.example.net", nil),
        ]
        #expect(r.count == expected.count)
        for (record, want) in zip(r, expected) {
            #expect(record.sender == p.pseudonym(address: want.sender), "\(want.sender)")
            #expect(record.list == want.list.map { p.pseudonym(address: $0) }, "\(want.sender)")
            #expect(record.is_list == (want.list != nil))
        }
    }

    @Test func hostsAreKeptApartAndTheYearRollsOver() throws {
        let r = try Self.records("hosts-and-time")
        #expect(r.count == 3)
        #expect(r[0].host == "mxa" && r[0].sender == p.pseudonym(address: "kim@example.net"))
        #expect(r[1].host == "mxb" && r[1].sender == p.pseudonym(address: "leo@example.com") && r[1].transport == "virtual")
        #expect(r[0].first_seen_at == "2026-12-31T23:59:58Z" && r[0].logged_at == "2027-01-01T00:00:01Z")
        #expect(r[2].queue_id == "3Pt2mN2VXxznjll" && r[2].logged_at == "2027-01-01T00:00:04Z")
        #expect(r[2].first_seen_at == "2027-01-01T00:00:03.250000Z")
    }

    @Test func localDomainsDecideDirection() throws {
        let r = try Self.records("direction-local-domains")
        #expect(r.map(\.is_outgoing) == [true, false])
    }
}
