import Testing
@testable import MailScrubCore

/// The memo must never change a pseudonym: same answers cold, warm, and after collisions.
@Suite struct PseudonymCacheTests {
    @Test func cachedAnswersEqualFreshOnes() {
        let warm = TestSupport.pseudonymizer()
        var values = (0..<20_000).map { "user\($0 % 5000)@d\($0 % 97).example" }
        values.append(String(repeating: "long", count: 30) + "@example.org")
        values.append("")
        // Two instances filled in opposite orders hold different values in colliding slots.
        let forward = values.map { warm.pseudonym(address: $0) }
        let other = TestSupport.pseudonymizer()
        let backward = values.reversed().map { other.pseudonym(address: $0) }.reversed()
        #expect(forward == Array(backward))
        #expect(warm.pseudonym(address: values[0]) == TestSupport.pseudonymizer().pseudonym(address: values[0]))
    }

    /// Threads that share one memo's memory get smaller memos (more collisions), never
    /// other pseudonyms.
    @Test func sharedMemosGiveTheSamePseudonyms() {
        #expect([1, 2, 3, 4, 8, 16, 1000].map { Pseudonymizer.memoSlots(sharedBy: $0) } == [4096, 2048, 1024, 1024, 512, 256, 256])
        let full = TestSupport.pseudonymizer()
        let small = full.replica(memoShare: 16)
        let values = (0..<20_000).map { "user\($0 % 5000)@d\($0 % 97).example" }
        #expect(values.map { small.pseudonym(address: $0) } == values.map { full.pseudonym(address: $0) })
        #expect(values.map { small.pseudonym(ip: $0) } == values.map { full.pseudonym(ip: $0) })
    }

    @Test func contextsDoNotShareSlots() {
        let p = TestSupport.pseudonymizer()
        let asIP = p.pseudonym(ip: "example")
        let asHost = p.pseudonym(host: "example")
        #expect(asIP != asHost)
        #expect(p.pseudonym(ip: "example") == asIP)
    }
}
