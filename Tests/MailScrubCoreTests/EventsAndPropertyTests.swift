import Foundation
import Testing
@testable import MailScrubCore
@testable import MailScrubKeys
@testable import MailScrubParsing

/// `--emit events` on every line shape (golden), and the fail-closed property test run
/// through records and events modes too.
@Suite struct EventsAndPropertyTests {
    static let directory = TestSupport.goldenDirectory.appendingPathComponent("events")

    @Test func golden() throws {
        let input = try Array(Data(contentsOf: Self.directory.appendingPathComponent("shapes.log")))
        let output = TestSupport.run(input, mode: .events)
        if let problem = GoldenFile(url: Self.directory.appendingPathComponent("shapes.ndjson")).check(output) {
            Issue.record(Comment(rawValue: problem))
        }
    }

    /// One JSON object per input line, even for binary junk and a cut last line.
    @Test func oneValidObjectPerLine() throws {
        let input = try Array(Data(contentsOf: Self.directory.appendingPathComponent("shapes.log")))
        let output = TestSupport.run(input, mode: .events)
        let lines = output.split(separator: 0x0A)
        #expect(lines.count == input.split(separator: 0x0A, omittingEmptySubsequences: false).count)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
            #expect(object?["event"] is String)
            // Well-formed UTF-8 too, which this JSON parser does not insist on but strict ones do.
            #expect(String(validating: line, as: UTF8.self) != nil, "\(Array(line))")
        }
    }

    @Test(arguments: [Pipeline.Mode.records, .events], [21, 22, 23])
    func noPlantedValueSurvives(mode: Pipeline.Mode, seed: UInt64) throws {
        var g = FailClosedPropertyTests.Generator(state: seed)
        var input: [UInt8] = []
        var tokens: [(token: String, secrets: [String])] = []
        for _ in 0..<400 {
            let planted = FailClosedPropertyTests.makeLine(&g)
            input += planted.line + [0x0A]
            let text = String(decoding: planted.line, as: UTF8.self)
            tokens += planted.tokens.filter { text.contains($0.token) }
        }
        let output = TestSupport.run(input, mode: mode)
        let text = String(decoding: output, as: UTF8.self)
        var failures: [String] = []
        for (_, secrets) in tokens {
            for secret in secrets where text.contains(secret) { failures.append(secret) }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        for line in output.split(separator: 0x0A) {
            #expect((try? JSONSerialization.jsonObject(with: Data(line))) != nil)
            #expect(String(validating: line, as: UTF8.self) != nil, "\(Array(line))")
        }
    }

    /// A field events and records share holds the same value in both, so the two join.
    @Test func eventsAgreeWithRecordsOnSharedFields() throws {
        let log = """
            May 20 22:17:05 mx1 postfix/smtpd[7]: 3F2A81C0D4: client=mail.example.net[198.51.100.23]
            May 20 22:17:05 mx1 postfix/cleanup[8]: 3F2A81C0D4: message-id=<20260520.abc@example.net>
            May 20 22:17:06 mx1 postfix/qmgr[9]: 3F2A81C0D4: from=<bounce-devel=alice=example.org@lists.example.net>, size=4100, nrcpt=1 (queue active)
            May 20 22:17:07 mx1 postfix/smtp[10]: 3F2A81C0D4: to=<alice@example.org>, relay=mx.example.org[192.0.2.1]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=2.0.0, status=SENT (250 ok)

            """
        func objects(_ mode: Pipeline.Mode) throws -> [[String: Any]] {
            try TestSupport.run(Array(log.utf8), mode: mode).split(separator: 0x0A).map {
                try #require(JSONSerialization.jsonObject(with: Data($0)) as? [String: Any])
            }
        }
        let record = try #require(try objects(.records).first)
        let events = try objects(.events)
        #expect(events.allSatisfy { $0["schema"] as? String == "mailscrub.event/1" && $0["key_id"] as? String == record["key_id"] as? String })
        let messageID = try #require(events.first { $0["event"] as? String == "message_id" })
        let queued = try #require(events.first { $0["event"] as? String == "queued" })
        let delivery = try #require(events.first { $0["event"] as? String == "delivery" })
        #expect(messageID["message_id"] as? String == record["message_id"] as? String)
        #expect((record["message_id"] as? String)?.contains("<") == false)
        #expect(queued["sender"] as? String == record["sender"] as? String)
        #expect(queued["list"] as? String == record["list"] as? String)
        #expect(queued["list"] is String)
        #expect(queued["message_size"] as? Int == record["message_size"] as? Int)
        #expect(delivery["recipient"] as? String == record["recipient"] as? String)
        #expect(delivery["delays"] as? [Double] == [0.1, 0, 0.5, 0.6])
        #expect(delivery["delays"] as? [Double] == record["delays"] as? [Double])
        #expect(delivery["status"] as? String == "sent" && record["status"] as? String == "sent")
    }

    /// A record field the policy drops is left out of events too.
    @Test func eventsLeaveOutTheFieldsThePolicyDrops() throws {
        var policy = Policy(name: "test")
        policy.droppedFieldMask = 1 << Policy.recordFields.firstIndex(of: "delays")! | 1 << Policy.recordFields.firstIndex(of: "sender")!
        let p = Pseudonymizer(secret: Array(TestSupport.secret.utf8), policy: policy)
        let log = """
            May 20 22:17:06 mx1 postfix/qmgr[9]: 3F2A81C0D4: from=<bob@example.net>, size=4100, nrcpt=1 (queue active)
            May 20 22:17:07 mx1 postfix/smtp[10]: 3F2A81C0D4: to=<alice@example.org>, relay=none, delay=1.2, delays=0.1/0/0.5/0.6, dsn=2.0.0, status=sent (ok)

            """
        let text = String(decoding: TestSupport.run(Array(log.utf8), mode: .events, with: p), as: UTF8.self)
        #expect(!text.contains("\"delays\"") && !text.contains("\"sender\""))
        #expect(text.contains("\"list\"") && text.contains("\"delay\":1.2"))
    }
}
