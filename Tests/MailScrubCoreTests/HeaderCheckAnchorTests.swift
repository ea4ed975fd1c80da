import Testing
@testable import MailScrubParsing

/// `HeaderCheckLine.anchor` searches from each `;` back to its ` from `; it must pick
/// the same anchor as trying every ` from ` from the end, which is how it is specified.
@Suite struct HeaderCheckAnchorTests {
    /// The specification: the last ` from ORIGIN;` (ORIGIN `local` or ending in `]`,
    /// no space or `;` in it) followed by an envelope part.
    static func reference(_ b: UnsafeRawBufferPointer, from start: Int) -> Int? {
        let end = b.count
        var i = end - 6
        while i >= start {
            if b.matches(" from ", at: i) {
                let originStart = i + 6
                var j = originStart
                while j < end, b[j] != ASCII.semicolon, b[j] != ASCII.space { j += 1 }
                if j < end, b[j] == ASCII.semicolon, j > originStart,
                   (j == originStart + 5 && b.matches("local", at: originStart)) || b[j - 1] == ASCII.rightBracket,
                   HeaderCheckLine.isEnvelope(b, from: j + 1) {
                    return i
                }
            }
            i -= 1
        }
        return nil
    }

    @Test func agreesWithTryingEveryFrom() {
        let pieces = [" from ", "local", ";", "h[192.0.2.1]", "]", "[", " ", "x", ": ", " from=<a@b>", " to=<c@d>",
                      " proto=ESMTP", " helo=<h>", "\"", "<", ">", ";;", "from", " from local; from=<a@b>"]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20000 {
            let count = Int.random(in: 0...12, using: &rng)
            let text = (0..<count).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let bytes = Array(text.utf8)
            let start = Int.random(in: 0...bytes.count, using: &rng)
            bytes.withUnsafeBytes { b in
                #expect(HeaderCheckLine.anchor(b, from: start) == Self.reference(b, from: start), "\(text) from \(start)")
            }
        }
    }

    @Test func lastRealOriginWins() {
        let line = "Subject: a from x[1.2.3.4]; b from local; from=<s@example.org> to=<r@example.org>"
        let bytes = Array(line.utf8)
        let anchor = bytes.withUnsafeBytes { HeaderCheckLine.anchor($0, from: 0) }
        #expect(anchor == line.utf8.count - " from local; from=<s@example.org> to=<r@example.org>".utf8.count)
    }
}
