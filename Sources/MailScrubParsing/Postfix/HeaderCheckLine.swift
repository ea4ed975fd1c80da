import MailScrubBase

/// Recognises header_checks / body_checks log lines and finds the logged content:
///
///     QID: ACTION: header NAME: VALUE from ORIGIN; from=<s> to=<r> proto=P helo=<h>[: text]
///     QID: ACTION: body TEXT from ORIGIN; ...
///     QID: header name="NAME", value="VALUE"          (header-logging milters)
///
/// The value ends at the last ` from ORIGIN;` that is followed by the envelope part or
/// the end of the line; the subject itself may contain ` from ` and `;`. When no such
/// anchor exists (smtp_header_checks, a cut line) the value runs to the end of the line,
/// so nothing after it can escape unrewritten.
package enum HeaderCheckLine {
    /// A recognised header_checks line: what was logged and where the envelope part starts.
    package struct Match: Equatable {
        var action: Range<Int>?
        /// The header name; nil for body and content lines.
        var name: Range<Int>?
        package var value: Range<Int>
        package var kind: HeaderKind
        /// Offset of the envelope part (` from ORIGIN; from=<…> …`), or the end of the
        /// line: where the value ends.
        package var trailer: Int { value.upperBound }
    }

    /// Finds header_checks content anywhere from `start`: normally right after the queue
    /// id, but collectors that rewrite the syslog header (RFC 5424 exports, `postfix 25010 `
    /// with the pid as its own field) move it, and a value must not escape because of that.
    ///
    /// Junk between the tokens (NULs, invalid UTF-8, extra spaces: damaged or hostile
    /// lines) does not hide the content: up to 16 such bytes may follow the colon.
    ///
    /// `parsed` is the match the parser made of this line, if any (`PostfixEvent.headerMatch`):
    /// when the content found here is the one it read, from the same action, it is
    /// returned as it is rather than read a second time. Both come from `content` with the
    /// same arguments then, so they are the same.
    package static func locate(_ b: UnsafeRawBufferPointer, from start: Int, parsed: Match? = nil) -> Match? {
        var i = start
        while let colon = b.firstIndex(memchr: ASCII.colon, from: i, to: b.count) {
            i = colon + 1
            var next = colon + 1
            while next < b.count, next - colon <= 16, isJunk(b[next]) { next += 1 }
            // Each content starts with one of these letters: most colons end the test here.
            guard next < b.count, b[next] == 0x68 || b[next] == 0x62 || b[next] == 0x63 else { continue }  // h b c
            if b.matches("header name=\"", at: next) { return milterHeader(b, nameStart: next + 13) }
            guard b.matches("header ", at: next) || b.matches("body ", at: next) || b.matches("content ", at: next) else {
                continue
            }
            var actionStart = colon
            while actionStart > start, ASCII.isAlpha(b[actionStart - 1]) || b[actionStart - 1] == ASCII.hyphen {
                actionStart -= 1
            }
            if let parsed, parsed.action == actionStart..<colon { return parsed }
            if let found = content(b, action: actionStart..<colon, at: next) { return found }
        }
        return nil
    }

    /// Bytes that may stand between an action's colon and its content.
    package static func isJunk(_ c: UInt8) -> Bool {
        c == ASCII.space || c < 0x20 || c >= 0x80
    }

    /// The header_checks content logged at `start` (just after `QID: `), if any.
    static func match(_ b: UnsafeRawBufferPointer, at start: Int) -> Match? {
        let end = b.count
        if b.matches("header name=\"", at: start) {
            return milterHeader(b, nameStart: start + 13)
        }
        // ACTION: lowercase word with dashes (warning, info, reject, milter-header-redirect, ...).
        var i = start
        while i < end, ASCII.isAlpha(b[i]) || b[i] == ASCII.hyphen { i += 1 }
        guard i > start, i < end, b[i] == ASCII.colon else { return nil }
        var next = i + 1
        while next < end, next - i <= 16, isJunk(b[next]) { next += 1 }
        guard next > i + 1 else { return nil }
        return content(b, action: start..<i, at: next)
    }

    /// `header NAME: VALUE`, `body TEXT` or `content TEXT` at `i`, logged by `action`
    /// (nil when the line was too damaged to show one).
    private static func content(_ b: UnsafeRawBufferPointer, action actionRange: Range<Int>, at start: Int) -> Match? {
        let end = b.count
        let action: Range<Int>? = actionRange.isEmpty ? nil : actionRange
        let i = start
        let contentStart: Int
        let isHeader: Bool
        if b.matches("header ", at: i) {
            contentStart = i + 7
            isHeader = true
        } else if b.matches("body ", at: i) {
            contentStart = i + 5
            isHeader = false
        } else if b.matches("content ", at: i) {
            contentStart = i + 8
            isHeader = false
        } else {
            return nil
        }
        let valueEnd = anchor(b, from: contentStart) ?? end
        guard isHeader else {
            return Match(action: action, name: nil, value: contentStart..<valueEnd, kind: .opaque)
        }
        var nameEnd = contentStart
        while nameEnd < valueEnd, b[nameEnd] != ASCII.colon, b[nameEnd] != ASCII.space { nameEnd += 1 }
        guard nameEnd < valueEnd, b[nameEnd] == ASCII.colon, isFieldName(b, contentStart..<nameEnd) else {
            return Match(action: action, name: nil, value: contentStart..<valueEnd, kind: .opaque)
        }
        var valueStart = nameEnd + 1
        while valueStart < valueEnd, ASCII.isSpace(b[valueStart]) { valueStart += 1 }
        let name = contentStart..<nameEnd
        return Match(action: action, name: name, value: valueStart..<valueEnd, kind: HeaderKind.of(b, name))
    }

    /// `header name="N", value="V"`: the value runs to the quote that ends the line. When
    /// the line is not exactly that shape (a repeated or missing field, a cut), everything
    /// after `name="` is the value, so nothing of it escapes.
    private static func milterHeader(_ b: UnsafeRawBufferPointer, nameStart: Int) -> Match {
        let end = b.count
        guard let nameEnd = b.firstIndex(of: ASCII.quote, from: nameStart, to: end),
              b.matches("\", value=\"", at: nameEnd) else {
            return Match(action: nil, name: nil, value: nameStart..<end, kind: .opaque)
        }
        let valueStart = nameEnd + 10
        // Up to the closing quote when it ends the line; else everything after `value="`.
        let valueEnd = max(valueStart, b.last == ASCII.quote ? end - 1 : end)
        let name = nameStart..<nameEnd
        guard isFieldName(b, name) else {
            return Match(action: nil, name: nil, value: nameStart..<end, kind: .opaque)
        }
        return Match(action: nil, name: name, value: valueStart..<valueEnd, kind: HeaderKind.of(b, name))
    }

    /// Whether `range` looks like a header field name (letters, digits, `-`, `_`, `.`),
    /// which events write as it is; anything else is treated as part of the value.
    static func isFieldName(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        !range.isEmpty && range.count <= 64 && range.allSatisfy { ASCII.isKeyByte(b[$0]) }
    }

    /// Whether the text from `i` to the end is what Postfix writes after the origin:
    /// ` from=<…>`, ` to=<…>`, ` proto=…`, ` helo=<…>` (each optional, in that order),
    /// then the end of the line or `: ` and the action's text. A sender can put a fake
    /// origin into a header value; the envelope after the real one is never followed by
    /// more free text, so only a cut line can still end a value at a fake one.
    static func isEnvelope(_ b: UnsafeRawBufferPointer, from start: Int) -> Bool {
        let end = b.count
        var i = start
        let fields: [(StaticString, Bool)] = [(" from=", true), (" to=", true), (" proto=", false), (" helo=", true)]
        for (key, bracketed) in fields where b.matches(key, at: i) {
            i += key.utf8CodeUnitCount
            if bracketed {
                guard i < end, b[i] == ASCII.lessThan else { return false }
                i = ValueBounds.bracketEnd(b, from: i + 1, to: end)
                guard i < end else { return false }
                i += 1
            } else {
                while i < end, ASCII.isAlnum(b[i]) { i += 1 }
            }
        }
        var j = i
        while j < end, b[j] == ASCII.carriageReturn || ASCII.isSpace(b[j]) { j += 1 }
        return j == end || b.matches(": ", at: i)
    }

    /// Offset of the last ` from ORIGIN;` whose ORIGIN is `local` or `name[addr]` and
    /// which is followed by end of line, `: `, or an envelope field.
    ///
    /// The origin holds no space or `;` and ends at a `;`, so the search goes from each
    /// `;`, last first, back over its origin to the ` from ` before it: far fewer places
    /// than every space of the line.
    static func anchor(_ b: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var j = b.count
        while let semicolon = ByteSet(ASCII.semicolon).lastIndex(in: b, from: start, to: j) {
            j = semicolon
            var originStart = semicolon
            while originStart > start, b[originStart - 1] != ASCII.space, b[originStart - 1] != ASCII.semicolon {
                originStart -= 1
            }
            let i = originStart - 6
            guard i >= start, originStart < semicolon, b.matches(" from ", at: i) else { continue }
            let origin = originStart..<semicolon
            if (origin.count == 5 && b.matches("local", at: originStart)) || b[semicolon - 1] == ASCII.rightBracket,
               isEnvelope(b, from: semicolon + 1) {
                return i
            }
        }
        return nil
    }
}
