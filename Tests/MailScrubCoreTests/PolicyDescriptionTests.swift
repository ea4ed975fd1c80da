import Foundation
import Testing
@testable import MailScrubCore
@testable import MailScrubKeys
@testable import MailScrubParsing

/// `mailscrub check` describes each policy (`PolicyDescription`); these tests hold the
/// output of every mode to that description, field by field, under each shipped policy
/// and one that drops every field lines log as `key=value`.
@Suite struct PolicyDescriptionTests {
    static let names = PolicyTests.shipped + ["dropper", "day"]

    static func policy(_ name: String) throws -> Policy {
        if PolicyTests.shipped.contains(name) { return try PolicyTests.shippedPolicy(name) }
        var dropper = Policy(name: "dropper")
        dropper.timePrecision = .minute
        dropper.sizes = .log2
        for (field, _) in PolicyFieldRule.lineKeys {
            dropper.droppedFieldMask |= 1 << Policy.recordFields.firstIndex(of: "\(field)")!
        }
        var day = Policy(name: "day")
        day.timePrecision = .day
        day.droppedFieldMask = 1 << Policy.recordFields.firstIndex(of: "delays")!
        return name == "dropper" ? dropper : day
    }

    static func input() throws -> [UInt8] {
        let golden = TestSupport.goldenDirectory.appendingPathComponent("records")
        var input: [UInt8] = []
        for name in ["outgoing", "bounces", "incoming", "list-senders", "hosts-and-time"] {
            input += try Array(Data(contentsOf: golden.appendingPathComponent("\(name).log")))
        }
        // Stamps with fractions and zones, and journalctl's short-unix.
        input += Array("""
            2026-03-05T11:42:17.120044+01:00 mx1 postfix/qmgr[900]: 6A1B2C3D4E: from=<ann@example.net>, size=3000, nrcpt=1 (queue active)
            1772710937.250000 mx1 postfix/smtp[901]: 6A1B2C3D4E: to=<bo@example.org>, relay=mx.example.org[192.0.2.7]:25, delay=1.5, delays=0.1/0/0.4/1, dsn=2.0.0, status=sent (250 2.0.0 Ok)

            """.utf8)
        return input
    }

    static func objects(_ output: [UInt8]) throws -> [[String: Any]] {
        try output.split(separator: 0x0A).map { try #require(JSONSerialization.jsonObject(with: Data($0)) as? [String: Any]) }
    }

    /// `HH:MM:SS` of an RFC 3339 time, or of a syslog stamp, has zeros below the precision and no fraction.
    static func expectRounded(_ stamp: String, _ precision: Policy.TimePrecision, _ context: String) {
        let zeros: String
        switch precision {
        case .second: return
        case .minute: zeros = ":00"
        case .hour: zeros = ":00:00"
        case .day: zeros = "00:00:00"
        }
        guard let clock = stamp.range(of: #"\d\d:\d\d:\d\d[.,]?\d*"#, options: .regularExpression) else {
            // short-unix: whole seconds, a multiple of the unit.
            let seconds = Int64(stamp)
            #expect(seconds != nil && seconds! % Coarsening.seconds(precision) == 0, "\(context): \(stamp)")
            return
        }
        let text = stamp[clock]
        #expect(text.count == 8 && text.hasSuffix(zeros), "\(context): \(stamp)")
    }

    static func isPowerOfTwo(_ n: Int?) -> Bool { n.map { $0 > 0 && $0 & ($0 - 1) == 0 } ?? true }

    @Test(arguments: names)
    func outputsAreWhatCheckSays(_ name: String) throws {
        let policy = try Self.policy(name)
        let p = PolicyTests.pseudonymizer(policy)
        let input = try Self.input()
        let description = PolicyDescription.lines(policy, options: p.options).joined(separator: "\n")
        let dropped = Set(Policy.recordFields.filter(policy.drops))
        let timeFields = ["first_seen_at", "logged_at", "sent_at", "received_at"]

        // What the description says.
        #expect(description.contains(policy.timePrecision == .second ? "times: as logged" : "rounded down to the \(policy.timePrecision.rawValue)"))
        #expect(description.contains(policy.sizes == .exact ? "sizes: as logged" : "power-of-two buckets"))
        for field in dropped { #expect(description.contains(field), "\(field)") }
        let droppedKeys = PolicyFieldRule.lineKeys.filter { policy.drops("\($0.field)") }.map { "\($0.key)" }
        for key in droppedKeys { #expect(description.contains("left out of lines: ") && description.contains(key), "\(key)") }

        // Records: every field but the dropped ones; times and sizes as described.
        let records = try Self.objects(TestSupport.run(input, mode: .records, with: p))
        #expect(records.count > 10)
        for record in records {
            #expect(Set(record.keys) == Set(["schema", "key_id"] + Policy.recordFields).subtracting(dropped), "\(policy.name)")
            for field in timeFields { if let t = record[field] as? String { Self.expectRounded(t, policy.timePrecision, "\(policy.name) \(field)") } }
            if policy.sizes == .log2 { #expect(Self.isPowerOfTwo(record["message_size"] as? Int), "\(policy.name)") }
            if policy.statusText == .drop { #expect(record["text"] == nil) }
        }

        // Events: no dropped field; times, sizes and texts as described.
        let events = try Self.objects(TestSupport.run(input, mode: .events, with: p))
        for event in events {
            for field in dropped { #expect(event[field] == nil, "\(policy.name): \(field) in \(event)") }
            if let t = event["time"] as? String { Self.expectRounded(t, policy.timePrecision, "\(policy.name) event time") }
            if policy.sizes == .log2 { #expect(Self.isPowerOfTwo(event["message_size"] as? Int), "\(policy.name)") }
            if policy.statusText == .drop, event["event"] as? String != "unrecognized" { #expect(event["text"] is NSNull || event["text"] == nil) }
        }
        #expect(events.contains { $0["event"] as? String == "delivery" })

        // Lines: stamps rounded, sizes bucketed, dropped keys gone, texts removed.
        let lines = String(decoding: TestSupport.run(input, mode: .lines, with: p), as: UTF8.self).split(separator: "\n")
        for line in lines {
            let first = line.prefix { $0 != " " }
            let stamp = first.allSatisfy { $0.isNumber || $0 == "." } ? String(first) : String(line.prefix(32))
            Self.expectRounded(stamp, policy.timePrecision, "\(policy.name) line")
            for key in droppedKeys { #expect(!line.contains(" \(key)"), "\(policy.name): \(key) in \(line)") }
            if policy.sizes == .log2, let size = line.range(of: #"(?<=[ ,]size=)\d+"#, options: .regularExpression) {
                #expect(Self.isPowerOfTwo(Int(line[size])), "\(line)")
            }
            if policy.statusText == .drop { #expect(!line.contains("status=sent (") && !line.contains("status=deferred (")) }
            if policy.statusText == .keep, line.contains("status=sent") { #expect(line.contains("status=sent (")) }
            // What is left of a line with a field cut out still reads as fields.
            #expect(!line.contains(": ,") && !line.contains(", ,") && !line.hasSuffix(","), "\(line)")
        }
    }
}
