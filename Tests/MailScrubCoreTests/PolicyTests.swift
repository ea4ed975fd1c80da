import Foundation
import Testing
@testable import MailScrubCore
@testable import MailScrubKeys
@testable import MailScrubParsing

@Suite struct PolicyTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
    static let shipped = ["default", "strict", "research"]

    static func shippedPolicy(_ name: String) throws -> Policy {
        let url = repository.appendingPathComponent("policy/\(name).yml")
        return try Policy.parse(String(contentsOf: url, encoding: .utf8), path: "policy/\(name).yml")
    }

    static func pseudonymizer(_ policy: Policy) -> Pseudonymizer {
        var options = PseudonymOptions()
        if let n = policy.hashBytes { options.hashBytes = n }
        return Pseudonymizer(secret: TestSupport.secret, options: options, policy: policy)
    }

    @Test func shippedPoliciesSayWhatTheReadmeSays() throws {
        let d = try Self.shippedPolicy("default")
        #expect(d.droppedFields.isEmpty && d.ip == .hash && d.hostnames == .keep && d.timePrecision == .second)
        #expect(d.name == "default" && d.clearDomains.isEmpty)
        let s = try Self.shippedPolicy("strict")
        #expect(s.hostnames == .hash && s.statusText == .drop && s.timePrecision == .hour && s.sizes == .log2)
        #expect(s.ip == .truncate && s.droppedFields == ["subject_size", "delays"])
        let r = try Self.shippedPolicy("research")
        #expect(r.droppedFields == ["logged_at"])
    }

    /// The same logs under each shipped policy (golden): records and lines.
    @Test(arguments: shipped)
    func goldenPerPolicy(_ name: String) throws {
        let policy = try Self.shippedPolicy(name)
        let p = Self.pseudonymizer(policy)
        let golden = TestSupport.goldenDirectory
        let records = try Array(Data(contentsOf: golden.appendingPathComponent("records/outgoing.log")))
            + Array(Data(contentsOf: golden.appendingPathComponent("records/bounces.log")))
        let lines = try Array(Data(contentsOf: golden.appendingPathComponent("lines/shapes.log")))
        let outputs = [
            ("\(name).records.ndjson", TestSupport.run(records, mode: .records, with: p)),
            ("\(name).events.ndjson", TestSupport.run(records, mode: .events, with: p)),
            ("\(name).lines.out", TestSupport.run(lines, mode: .lines, with: p)),
        ]
        for (file, output) in outputs {
            if let problem = GoldenFile(url: golden.appendingPathComponent("policies/\(file)")).check(output) {
                Issue.record(Comment(rawValue: problem))
            }
        }
    }

    @Test func strictPolicyEffects() throws {
        let p = Self.pseudonymizer(try Self.shippedPolicy("strict"))
        let input = try Array(Data(contentsOf: TestSupport.goldenDirectory.appendingPathComponent("records/outgoing.log")))
        let records = String(decoding: TestSupport.run(input, mode: .records, with: p), as: UTF8.self)
        #expect(!records.contains("\"delays\"") && !records.contains("\"subject_size\""))
        #expect(records.contains("\"logged_at\":\"2026-03-04T10:00:00Z\"") && records.contains("\"message_size\":2048"))
        let lines = String(decoding: TestSupport.run(input, mode: .lines, with: p), as: UTF8.self)
        #expect(!lines.contains("example.net[") && !lines.contains("laptop.example.org") && !lines.contains("Greylisted"))
        #expect(lines.contains("status=deferred\n") || lines.contains("status=deferred"))
        #expect(lines.contains(p.pseudonym(host: "mail.example.net")))
    }

    @Test func researchPolicyHasExactlyTheOriginalFields() throws {
        let p = Self.pseudonymizer(try Self.shippedPolicy("research"))
        let input = try Array(Data(contentsOf: TestSupport.goldenDirectory.appendingPathComponent("records/incoming.log")))
        for line in TestSupport.run(input, mode: .records, with: p).split(separator: 0x0A) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            #expect(Set(object.keys) == Set(["schema", "key_id"] + Policy.recordFields).subtracting(["logged_at"]))
        }
    }

    @Test func coarsenings() {
        #expect([0, 1, 2, 3, 1000, 1024, 40213].map(Coarsening.log2Bucket) == [0, 1, 2, 2, 512, 1024, 32768])
        let t = LogTime(seconds: 1_772_529_304, microseconds: 120_044, hasFraction: true)  // 2026-03-03T09:15:04.120044Z
        var out: [UInt8] = []
        Coarsening.time(t, .hour).appendRFC3339(to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "2026-03-03T09:00:00Z")
        out = []
        Coarsening.time(t, .day).appendRFC3339(to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "2026-03-03T00:00:00Z")
    }

    @Test func ipTreatments() {
        func render(_ ip: String, _ treatment: Policy.IPTreatment) -> String {
            var policy = Policy(name: "t")
            policy.ip = treatment
            let p = Self.pseudonymizer(policy)
            var out: [UInt8] = []
            Array(ip.utf8).withUnsafeBytes { p.appendIP($0, 0..<$0.count, to: &out) }
            return String(decoding: out, as: UTF8.self)
        }
        let hash = Self.pseudonymizer(.builtInDefault)
        #expect(render("192.0.2.77", .truncate) == hash.pseudonym(ip: "192.0.2.0"))
        #expect(render("2001:db8:7::41", .truncate) == hash.pseudonym(ip: "2001:db8:7::"))
        #expect(render("2001:0db8:0007:1:2:3:4:5", .truncate) == hash.pseudonym(ip: "2001:db8:7::"))
        #expect(render("::ffff:192.0.2.1", .truncate) == hash.pseudonym(ip: "0:0:0::"))
        #expect(render("192.0.2.77", .zero) == "0.0.0.0" && render("2001:db8::1", .zero) == "::")
        #expect(render("192.0.2.77", .drop) == "")
        #expect(render("192.0.2.77", .hash) == hash.pseudonym(ip: "192.0.2.77"))
    }

    @Test func clearDomainsAreWrittenInClearOnlyWhenListed() {
        var policy = Policy(name: "t")
        policy.clearDomains = ["example.org"]
        let p = Self.pseudonymizer(policy)
        let local = p.pseudonym(address: "root").prefix(32)
        #expect(p.pseudonym(address: "Alice@Example.ORG.") == "\(Self.pseudonymizer(.builtInDefault).pseudonym(address: "alice"))@example.org")
        #expect(!p.pseudonym(address: "alice@example.net").contains("example"))
        #expect(local.count == 32)
    }

    /// Each validation error names the file, the line and the key, and nothing is ignored.
    @Test(arguments: [
        ("colour: red\n", "p.yml:1: unknown policy setting 'colour'"),
        ("ip: blur\n", "p.yml:1: 'ip' must be one of hash, truncate, zero, drop"),
        ("time_precision: week\n", "p.yml:1: 'time_precision' must be one of second, minute, hour, day"),
        ("sizes: rounded\n", "p.yml:1: 'sizes' must be one of exact, log2"),
        ("hostnames: mask\n", "p.yml:1: 'hostnames' must be one of keep, hash, drop"),
        ("status_text: hash\n", "p.yml:1: 'status_text' must be one of keep, drop"),
        ("hash_bytes: 4\n", "p.yml:1: 'hash_bytes' must be a whole number from 8 to 32"),
        ("clear_domains: example.org\n", "p.yml:1: 'clear_domains' must be a list"),
        ("clear_domains: [a@example.org]\n", "p.yml:1: 'clear_domains' entries must be domain names"),
        ("fields:\n  senders: drop\n", "p.yml:2: unknown record field 'senders'"),
        ("fields:\n  sender: keep\n", "p.yml:2: field 'sender' can only be hash or drop"),
        ("fields:\n  delays: hash\n", "p.yml:2: field 'delays' can only be keep or drop"),
        ("fields:\n  delays: round\n", "p.yml:2: unknown action 'round' for field 'delays'"),
        ("fields: drop\n", "p.yml:1: 'fields' must map record fields"),
        ("rotation:\n  period: hourly\n", "p.yml:2: 'rotation.period' must be daily, weekly, monthly or never"),
        ("rotation:\n  retain: 0\n", "p.yml:2: 'rotation.retain' must be a whole number"),
        ("rotation:\n  keep: 3\n", "p.yml:2: unknown rotation setting 'keep'"),
        ("ip: hash\nip: drop\n", "p.yml:2: policy setting 'ip' is given twice"),
        ("ip: [hash\n", "p.yml:"),
        ("- ip\n", "p.yml:1: expected a mapping"),
    ])
    func validationErrors(_ text: String, _ expected: String) {
        do {
            _ = try Policy.parse(text, path: "p.yml")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.hasPrefix(expected), "\(error.description)")
        }
    }
}
