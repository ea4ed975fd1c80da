import Testing
@testable import MailScrubCorrelation

@Suite struct WordCacheTests {
    /// Whatever was cached before, in whichever slot, the answer is the value's own bytes.
    @Test func everyLookupGivesTheValueItself() {
        var cache = WordCache()
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcSENTdeferred0123456789./-".utf8)
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...40, using: &generator)
            let line = [UInt8](repeating: 0x20, count: 3) + (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            let lowercased = Bool.random(using: &generator)
            let got = line.withUnsafeBytes { cache.word($0, 3..<line.count, lowercased: lowercased) }
            let want = line[3...].map { lowercased && (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
            #expect(got == want)
        }
    }

    @Test func aRepeatedValueIsTheKeptArray() {
        var cache = WordCache()
        let line = Array("status=Sent".utf8)
        let first = line.withUnsafeBytes { cache.word($0, 7..<11, lowercased: true) }
        let again = line.withUnsafeBytes { cache.word($0, 7..<11, lowercased: true) }
        #expect(first == Array("sent".utf8))
        // One buffer for both: no copy per record.
        #expect(first.withUnsafeBufferPointer { $0.baseAddress } == again.withUnsafeBufferPointer { $0.baseAddress })
    }
}
