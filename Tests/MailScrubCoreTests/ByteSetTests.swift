import MailScrubBase
import Testing
@testable import MailScrubCore
@testable import MailScrubParsing

/// The vector and word-at-a-time search must agree with a byte-by-byte one wherever it
/// starts and ends, and the scanners that jump with it must still find a token at any
/// offset.
@Suite struct ByteSetTests {
    static func naive(_ set: [UInt8], _ b: [UInt8], from: Int, to: Int) -> Int {
        (from..<to).first { set.contains(b[$0]) } ?? to
    }

    /// `copyBytes` moves short runs as overlapping loads and stores: every length across
    /// each of its size classes, at every alignment, must copy exactly those bytes.
    @Test func shortCopiesMoveExactlyTheirBytes() {
        let source: [UInt8] = (0..<80).map { UInt8($0 + 1) }
        for n in 0...70 {
            for offset in 0..<8 {
                var destination = [UInt8](repeating: 0, count: 90)
                source.withUnsafeBytes { s in
                    destination.withUnsafeMutableBytes { d in
                        copyBytes(to: d.baseAddress! + offset, from: s.baseAddress! + offset, count: n)
                    }
                }
                let expected = [UInt8](repeating: 0, count: offset) + source[offset..<offset + n]
                    + [UInt8](repeating: 0, count: 90 - offset - n)
                #expect(destination == expected, "\(n) bytes at \(offset)")
            }
        }
    }

    @Test func searchesAgreeWithByteByByteSearch() {
        var rng = SystemRandomNumberGenerator()
        let set: [UInt8] = [ASCII.at, ASCII.lessThan, ASCII.dot, ASCII.colon, ASCII.hyphen, 0x80]
        let byteSet = ByteSet(set[0], set[1], set[2], set[3], set[4], set[5])
        // Bytes next to the set's values (borrows between lanes) and a few of them.
        let alphabet: [UInt8] = [0x00, 0x01, 0x7F, 0x81, 0xFF, ASCII.at + 1, ASCII.dot - 1, 0x41, 0x61] + set
        for _ in 0..<2000 {
            let length = Int.random(in: 0...70, using: &rng)
            let hitRate = Int.random(in: 1...20, using: &rng)
            let b: [UInt8] = (0..<length).map { _ in
                Int.random(in: 0..<hitRate, using: &rng) == 0 ? set.randomElement(using: &rng)! : alphabet[Int.random(in: 0..<9, using: &rng)]
            }
            let from = Int.random(in: 0...length, using: &rng)
            let to = Int.random(in: from...length, using: &rng)
            let found = b.withUnsafeBytes { byteSet.firstIndex(in: $0, from: from, to: to) }
            #expect(found == Self.naive(set, b, from: from, to: to), "\(b) \(from)..<\(to)")
            let last = b.withUnsafeBytes { byteSet.lastIndex(in: $0, from: from, to: to) }
            #expect(last == (from..<to).last { set.contains(b[$0]) }, "last \(b) \(from)..<\(to)")
        }
    }

    @Test func aSetOfOneByteFindsOnlyIt() {
        let b: [UInt8] = Array(repeating: 0x61, count: 19) + [0x3A] + Array(repeating: 0x61, count: 5)
        let set = ByteSet(0x3A)
        #expect(b.withUnsafeBytes { set.firstIndex(in: $0, from: 0, to: b.count) } == 19)
        #expect(b.withUnsafeBytes { set.firstIndex(in: $0, from: 20, to: b.count) } == b.count)
        #expect(set.contains(0x3A) && !set.contains(0x61))
    }

    /// Tokens, where in each the verifier reports it, and what the generic pass writes.
    static let tokens: [(raw: String, reportedAt: Int, pseudonym: @Sendable (Pseudonymizer) -> String)] = [
        ("192.0.2.1", 0, { ip("192.0.2.1", $0) }),
        ("2001:db8::1", 0, { ip("2001:db8::1", $0) }),
        ("abcd:ef01::7", 0, { ip("abcd:ef01::7", $0) }),
        ("::ffff:198.51.100.2", 0, { ip("::ffff:198.51.100.2", $0) }),
        // No `::`: eight groups, or six and an IPv4 tail, the fewest colons an address has.
        ("1:2:3:4:5:6:7:8", 0, { ip("1:2:3:4:5:6:7:8", $0) }),
        ("1:2:3:4:5:6:192.0.2.9", 0, { ip("1:2:3:4:5:6:192.0.2.9", $0) }),
        ("203-0-113-7", 0, { ip("203.0.113.7", $0) }),
        ("alice@example.org", 0, { $0.pseudonym(address: "alice@example.org") }),
        ("<bob@example.org>", 1, { "<" + $0.pseudonym(address: "bob@example.org") + ">" }),
        ("msgid=<m.1@example.org>", 6, { "msgid=<" + $0.pseudonym(messageID: "m.1@example.org") + ">" }),
    ]

    static func ip(_ text: String, _ p: Pseudonymizer) -> String {
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { p.appendIP($0, 0..<bytes.count, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Each token after every amount of padding, so that it starts at every place in a
    /// word: it is replaced whole, exactly as it is anywhere else.
    @Test(arguments: 0..<tokens.count)
    func tokensAreFoundAtEveryOffset(_ index: Int) {
        let (token, reportedAt, pseudonym) = Self.tokens[index]
        let expected = pseudonym(TestSupport.pseudonymizer())
        let prefix = "Dec  3 10:00:00 mx postfix/smtpd[7]: warning: "
        for pad in 0..<20 {
            let text = String(repeating: "w", count: pad) + " " + token + " tail"
            let scrubbed = TestSupport.scrubLine(prefix + text)
            #expect(scrubbed == prefix + String(repeating: "w", count: pad) + " " + expected + " tail", "\(pad)")
            // The verifier reports the raw token once, at its place.
            let findings = OutputVerifierTests.findings(text)
            #expect(findings.count == 1 && findings.first?.column == pad + 2 + reportedAt, "\(pad): \(findings)")
            #expect(OutputVerifierTests.findings(scrubbed).isEmpty, "\(pad): \(scrubbed)")
        }
    }
}
