import MailScrubBase

/// Finds message header text that programs log outside header_checks: a client's
/// header sent as an SMTP command (`…instead of SMTP command: From: "Jane" <j@…>`,
/// `non-SMTP command from h[ip]: Subject: …`), and amavis' `$log_templ` fields
/// (`…, Subject: "…", From: Jane_<j@…>, helo=…`).
///
/// A header is recognised by a known name followed by `: `, standing at the start of
/// the line or after a colon or a comma (and spaces or junk bytes). Its value runs to the last `, NAME: ` of another
/// known header after it (which is handled the same way), else to the end of the line:
/// text a sender wrote can end a value later than it should, never earlier.
enum EmbeddedHeaderRule {
    /// Appends a header-value claim for each embedded header from `start` on and
    /// returns the start of the first value, or nil when there is none.
    static func claims(_ b: UnsafeRawBufferPointer, from start: Int, into claims: inout [Claim]) -> Int? {
        var first: Int?
        var valueEnd = b.count
        // Right to left: each value ends where the next known header begins.
        var searchEnd = b.count
        while let found = lastHeader(b, from: start, before: searchEnd) {
            claims.append(Claim(range: found.value.lowerBound..<valueEnd, kind: .headerValue(found.kind)))
            first = found.value.lowerBound
            valueEnd = found.nameStart >= 2 && b[found.nameStart - 2] == ASCII.comma ? found.nameStart - 2 : found.nameStart
            searchEnd = found.nameStart
        }
        return first
    }

    /// The last `NAME: ` of a known header that starts before `limit`.
    private static func lastHeader(
        _ b: UnsafeRawBufferPointer, from start: Int, before limit: Int
    ) -> (nameStart: Int, value: Range<Int>, kind: HeaderKind)? {
        var searchEnd = min(limit, b.count)
        while let colon = ByteSet(ASCII.colon).lastIndex(in: b, from: start + 1, to: searchEnd) {
            searchEnd = colon
            guard colon + 1 < b.count, b[colon + 1] == ASCII.space else { continue }
            var nameStart = colon
            while nameStart > start, ASCII.isAlpha(b[nameStart - 1]) || b[nameStart - 1] == ASCII.hyphen { nameStart -= 1 }
            // Spaces and junk bytes (NUL, invalid UTF-8) may stand before the name.
            var before = nameStart
            while before > start, nameStart - before < 16, HeaderCheckLine.isJunk(b[before - 1]) { before -= 1 }
            guard nameStart < colon,
                  before == start || b[before - 1] == ASCII.colon || b[before - 1] == ASCII.comma,
                  let kind = kind(b, nameStart..<colon) else { continue }
            return (nameStart, colon + 2..<b.count, kind)
        }
        return nil
    }

    /// How the value of a header named `name` is rewritten, or nil for names that are
    /// not message headers worth this rule (Message-ID and its kin are left to the
    /// generic scan, which replaces each `<id>` wherever it stands).
    static func kind(_ b: UnsafeRawBufferPointer, _ name: Range<Int>) -> HeaderKind? {
        let kind = HeaderKind.of(b, name)
        if kind == .addressList { return kind }
        for candidate in freeTextHeaders where b.matchesWhole(candidate, name) { return .opaque }
        return nil
    }

    private static let freeTextHeaders: [StaticString] = [
        "subject", "thread-topic", "organization", "x-mailer", "user-agent", "comments", "keywords",
        "content-disposition", "content-type", "content-description", "x-original-subject", "summary",
    ]
}
