import Testing
@testable import MailScrubCorrelation
@testable import MailScrubParsing

/// The one-pass searches agree with the plain ones they replace: every position tried.
@Suite struct TextSearchTests {
    static let phrases = [
        "quota", "mailbox full", " 5.2.2", " 4.2.2", "mailbox is full", "insufficient storage",
        "user unknown", "unknown user", " 5.1.1", "no such user", "does not exist", "undeliverable address",
        "blocked using", "blacklist", "blocklist", " listed ", "spamhaus", "rbl",
        "rejected", "denied", "policy", "greylist", "not permitted", "relay", "spf", "dmarc",
    ]
    /// The categories in order, each with its phrases (`phrases` in slices).
    static let categories: [(String, ArraySlice<String>)] = [
        ("over_quota", phrases[0..<6]), ("unknown_user", phrases[6..<12]), ("blocklisted", phrases[12..<18]),
        ("policy", phrases[18...]),
    ]

    /// The first category with a phrase anywhere in the text, any case.
    static func reference(_ text: String) -> String {
        let lower = text.lowercased()
        return categories.first { $0.1.contains { lower.contains($0) } }?.0 ?? "other"
    }

    @Test func rejectReasonsAreThoseOfAPlainSearch() {
        var rng = FailClosedPropertyTests.Generator(state: 11)
        let noise = ["550", " ", "5.7.1", "<a@b>", "RELAY", "Quot", "ist", "user", "un", "known", ";", "Spam", "haus"]
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<rng.below(8) {
                text += rng.below(3) == 0 ? rng.pick(Self.phrases) : rng.pick(noise)
                if rng.below(4) == 0 { text = text.uppercased() }
            }
            let bytes = Array(("x: " + text).utf8)
            let got = bytes.withUnsafeBytes { String(describing: RejectReason.classify($0, 3..<$0.count)) }
            #expect(got == Self.reference(text), "\(text)")
        }
    }

    @Test func lastIndexOfALiteralIsThePlainLastMatch() {
        var rng = FailClosedPropertyTests.Generator(state: 12)
        for _ in 0..<3000 {
            let b = Array((0..<rng.below(12)).map { _ in rng.pick(["Hits: ", "Hit", "s: ", "a", " ", "H"]) }.joined().utf8)
            let from = rng.below(b.count + 1), to = from + rng.below(b.count - from + 1)
            let literal: StaticString = "Hits: "
            let n = literal.utf8CodeUnitCount
            let expected = to - n < from ? nil : (from...(to - n)).last { Array(b[$0..<$0 + n]) == Array("Hits: ".utf8) }
            #expect(b.withUnsafeBytes { Delivery.lastIndex(of: literal, in: $0, from: from, to: to) } == expected, "\(b) \(from) \(to)")
        }
    }
}
