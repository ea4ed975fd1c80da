import MailScrubBase
import Testing
@testable import MailScrubCore
@testable import MailScrubParsing

/// The generic scan and the verifier pass over a run of hex digits and colons in one
/// step when `addressFreeRunEnd` says no address starts in it: that must hold at every
/// position of the run, whatever surrounds it.
@Suite struct IPScannerTests {
    @Test func noAddressStartsInARunDeclaredFree() {
        var rng = FailClosedPropertyTests.Generator(state: 21)
        // Pieces of clock times, queue ids, IPv4 and IPv6 addresses, and what ends them.
        let pieces = ["0", "19", "42", "ab", "f", "1A3167", "db8", "2001", ":", ":", "::", ".", "-", " ", "[", "]", "x", "255"]
        var free = 0
        for _ in 0..<20_000 {
            let text = Array((0..<rng.below(14)).map { _ in rng.pick(pieces) }.joined().utf8)
            text.withUnsafeBytes { b in
                for start in 0..<b.count {
                    guard let runEnd = IPScanner.addressFreeRunEnd(b, from: start, end: b.count) else { continue }
                    free += 1
                    #expect(runEnd > start || !(ASCII.isHexDigit(b[start]) || b[start] == ASCII.colon))
                    for p in start..<runEnd {
                        // No boundary checks (lowerLimit p): stricter than the scanners.
                        #expect(IPScanner.match(b, at: p, lowerLimit: p, end: b.count) == nil, "\(String(decoding: text, as: UTF8.self)) at \(p)")
                        #expect(IPScanner.dashedIPv4(b, at: p, lowerLimit: p, end: b.count) == nil, "\(String(decoding: text, as: UTF8.self)) at \(p)")
                    }
                }
            }
        }
        #expect(free > 10_000, "the generator makes free runs")
    }

    /// Clock times and queue ids next to addresses: the address is still found whole.
    @Test(arguments: [
        "10:00:00 2001:db8::1", "10:00:00:2001:db8::1", "1A3167: 192.0.2.1", "09:00 1:2:3:4:5:6:7:8",
        "ab:cd:ef 1:2:3:4:5:6:192.0.2.9", "12:34:56 203-0-113-7", "00:11:22:33:44 ::ffff:198.51.100.2",
    ])
    func addressesBesideFreeRunsAreScrubbed(_ text: String) {
        let prefix = "Dec  3 10:00:00 mx postfix/smtpd[7]: warning: "
        let scrubbed = TestSupport.scrubLine(prefix + text)
        #expect(OutputVerifierTests.findings(scrubbed).isEmpty, "\(scrubbed)")
        #expect(!OutputVerifierTests.findings(text).isEmpty, "the raw text holds an address")
        for raw in ["2001:db8::1", "192.0.2.1", "1:2:3:4:5:6:7:8", "192.0.2.9", "203-0-113-7", "198.51.100.2"] {
            #expect(!scrubbed.contains(raw), "\(scrubbed)")
        }
    }
}
