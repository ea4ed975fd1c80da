import Foundation
import Testing
@testable import MailScrubCore
@testable import MailScrubKeys

@Suite struct OutputVerifierTests {
    static func findings(_ text: String, hashBytes: Int = 16) -> [OutputVerifier.Finding] {
        var findings: [OutputVerifier.Finding] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            Array(line.utf8).withUnsafeBytes { OutputVerifier(hashBytes: hashBytes).check($0, lineNumber: n + 1, into: &findings) }
        }
        return findings
    }

    /// Everything mailscrub writes, in every mode, for every golden input, passes.
    @Test(arguments: [Pipeline.Mode.records, .events, .lines])
    func ownOutputPasses(mode: Pipeline.Mode) throws {
        let golden = TestSupport.goldenDirectory
        let inputs = ["lines/shapes.log"] + RecordsGoldenTests.cases.map { "records/\($0).log" }
        for name in inputs {
            let input = try Array(Data(contentsOf: golden.appendingPathComponent(name)))
            let output = String(decoding: TestSupport.run(input, mode: mode), as: UTF8.self)
            #expect(Self.findings(output) == [], "\(name)")
        }
    }

    /// Under each shipped policy too, and with zeroed IPs.
    @Test(arguments: PolicyTests.shipped + ["zero-ip"])
    func ownOutputPassesUnderEachPolicy(_ name: String) throws {
        var policy = Policy(name: name)
        if name == "zero-ip" { policy.ip = .zero } else { policy = try PolicyTests.shippedPolicy(name) }
        let p = PolicyTests.pseudonymizer(policy)
        let golden = TestSupport.goldenDirectory
        for file in ["lines/shapes.log", "records/outgoing.log", "records/bounces.log", "records/incoming.log"] {
            let input = try Array(Data(contentsOf: golden.appendingPathComponent(file)))
            for mode in Pipeline.Mode.allCases {
                let output = String(decoding: TestSupport.run(input, mode: mode, with: p), as: UTF8.self)
                #expect(Self.findings(output, hashBytes: policy.hashBytes ?? 16) == [], "\(name) \(mode) \(file)")
            }
        }
    }

    @Test func rawValuesAreFoundWithTheirPlace() {
        let p = TestSupport.pseudonymizer()
        let good = p.pseudonym(address: "a@example.org")
        #expect(Self.findings("{\"sender\":\"\(good)\"}") == [])
        #expect(Self.findings("{\"sender\":\"alice@example.org\"}") == [.init(line: 1, column: 12, kind: "address")])
        #expect(Self.findings("x\nto=<\(good)> relay=h[192.0.2.1]:25") == [.init(line: 2, column: 80, kind: "ip")])
        #expect(Self.findings("client=h[2001:db8::1]") == [.init(line: 1, column: 10, kind: "ip")])
        #expect(Self.findings("Message-ID: <abc.def>") == [.init(line: 1, column: 13, kind: "message-id")])
        #expect(Self.findings("sasl_username=\(good)") == [])
        #expect(Self.findings("from=<a=b@\(good.split(separator: "@")[1])>").count == 1)
    }

    @Test func pseudonymLengthMustMatch() {
        let short = TestSupport.pseudonymizer(PseudonymOptions(hashBytes: 8)).pseudonym(address: "a@example.org")
        #expect(Self.findings(short, hashBytes: 8) == [])
        #expect(Self.findings(short, hashBytes: 16).count == 1)
    }
}
