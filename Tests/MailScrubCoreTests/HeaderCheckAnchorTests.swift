import MailScrubBase
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

    /// The scrubber takes the parser's header match instead of reading the content again
    /// only where its own search finds that very content; everywhere else (an earlier
    /// colon that qualifies, a milter header, no header event) it reads as before. So a
    /// line's claim is the one `locate` alone finds, on any line.
    @Test func locateTakesOnlyTheParsersOwnMatch() {
        let openings = [
            "Mar  3 09:15:10 mx1 postfix/cleanup[1002]: ", "<22>1 2026-05-20T22:16:40Z mx1 postfix/cleanup 2104 - - ",
            "<22>1 2026-05-20T22:16:40Z mx1 postfix/cleanup 2104 - [x a=\": body q\"] ", "", "mx1 postfix/cleanup: ",
            "Mar  3 09:15:10 mx1 postfix/cleanup[1002]: note: header X: y ",
        ]
        let pieces = [
            "3F2A81C0D4: ", "info: ", "warning: ", "milter-header-redirect: ", "header Subject: ", "header From: ",
            "body ", "content ", "header name=\"Subject\", value=\"v\"", "a from h[192.0.2.1]; from=<s@example.org>",
            " to=<r@example.org> proto=ESMTP", ": ", ":", " ", "\u{1}", "x", "header ", "info:  header To: <r@example.org>",
        ]
        var rng = SystemRandomNumberGenerator()
        var taken = 0
        for _ in 0..<20000 {
            let count = Int.random(in: 0...8, using: &rng)
            // Half of them shaped as header_checks lines are, before the random pieces.
            let shaped = Bool.random(using: &rng) ? "3F2A81C0D4: " + ["info: ", "reject: ", "info:\u{1} "].randomElement(using: &rng)! : ""
            let text = openings.randomElement(using: &rng)! + shaped
                + (0..<count).map { _ in pieces.randomElement(using: &rng)! }.joined()
            var bytes = Array(text.utf8)
            if Int.random(in: 0..<8, using: &rng) == 0, !bytes.isEmpty { bytes[Int.random(in: 0..<bytes.count, using: &rng)] = 0xFF }
            bytes.withUnsafeBytes { b in
                let parsed = EventParser.parse(b).headerMatch
                let alone = HeaderCheckLine.locate(b, from: 0)
                #expect(HeaderCheckLine.locate(b, from: 0, parsed: parsed) == alone, "\(text)")
                if parsed != nil, parsed == alone { taken += 1 }
            }
        }
        // The shortcut is exercised, not only the full search.
        #expect(taken > 1000)
    }
}
