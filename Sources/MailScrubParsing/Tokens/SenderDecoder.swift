import MailScrubBase

/// Decodes envelope senders that encode something else, before they are hashed, so that
/// one list does not look like thousands of senders and a forwarded message keeps its
/// real sender:
///
/// | scheme | sender as logged | `sender` | `list` |
/// |---|---|---|---|
/// | SRS | `SRS0=HHHH=TT=orig.example=alice@fwd` (`SRS1=…==HHHH=TT=…`) | `alice@orig.example` | – |
/// | BATV | `prvs=TAG=alice@example.org`, `msprvs1=TAG=…` | `alice@example.org` | – |
/// | Debian lists | `bounce-LIST=user=domain@host` | `bounce-LIST@host` | `LIST@host` |
/// | Mailman | `LIST-bounces+user=domain@host` | `LIST-bounces@host` | `LIST@host` |
/// | ezmlm | `LIST-return-N-user=domain@host` | `LIST-return@host` | `LIST@host` |
/// | bulk senders | `bounce+TOKEN-user=domain@…`, `bounces+N-M-user=domain@…` | `bounce@…`, `bounces@…` | – |
/// | Postfix VERP | `BASE+user=domain@host` (or `-`), user@domain being this delivery's recipient | `BASE@host` | `BASE@host` |
///
/// The encoded recipient is dropped, never output. Anything that does not fit a scheme
/// exactly stays as it is and is hashed whole.
public enum SenderDecoder {
    public struct Decoded: Equatable {
        /// The address to hash as `sender`.
        public var sender: [UInt8]
        /// The list address, for list schemes.
        public var list: [UInt8]?
    }

    /// Where `decode(_:recipients:into:)` wrote the decoded addresses in its buffer.
    public struct Spans: Equatable {
        public var sender: Range<Int>
        public var list: Range<Int>?
    }

    /// Decodes `sender` for a delivery to `recipients` (the recipient and original recipient).
    public static func decode(_ sender: [UInt8], recipients: [[UInt8]]) -> Decoded {
        var out: [UInt8] = []
        let first = recipients.first ?? [], second = recipients.dropFirst().first ?? []
        let spans = sender.withUnsafeBytes { s in
            first.withUnsafeBytes { r1 in
                second.withUnsafeBytes { r2 in
                    decode(s, recipients: (recipients.count > 0 ? r1 : nil, recipients.count > 1 ? r2 : nil), into: &out)
                }
            }
        }
        return Decoded(sender: Array(out[spans.sender]), list: spans.list.map { Array(out[$0]) })
    }

    /// Decodes the sender in `s` for a delivery to `recipients`, writing the address to
    /// hash as sender, then any list address, into `out` (emptied first; its capacity is
    /// kept, so a reused buffer allocates nothing).
    public static func decode(
        _ s: UnsafeRawBufferPointer, recipients: (UnsafeRawBufferPointer?, UnsafeRawBufferPointer?), into out: inout [UInt8]
    ) -> Spans {
        out.removeAll(keepingCapacity: true)
        let n = s.count
        guard let at = s.lastIndex(of: ASCII.at, from: 0, to: n), at > 0 else {
            out.appendBytes(s)
            return Spans(sender: 0..<n, list: nil)
        }
        /// Appends `s[local]` and the host (from the `@`); returns where it went.
        func address(_ local: Range<Int>) -> Range<Int> {
            let start = out.count
            out.appendBytes(s, local)
            out.appendBytes(s, at..<n)
            return start..<out.count
        }
        func hasEquals() -> Bool { s.firstIndex(of: ASCII.equals, from: 0, to: at) != nil }

        if let (local, domain) = srs(s, at) {
            out.appendBytes(s, local)
            out.append(ASCII.at)
            out.appendBytes(s, domain)
            return Spans(sender: 0..<out.count, list: nil)
        }
        for (prefix, length) in [("prvs=", 5), ("msprvs1=", 8)] as [(StaticString, Int)] where s.matchesIgnoringCase(prefix, at: 0) {
            if let eq = s.firstIndex(of: ASCII.equals, from: length, to: at), eq > length, eq + 1 < at {
                return Spans(sender: address(eq + 1..<at), list: nil)
            }
        }
        if s.matchesIgnoringCase("bounce-", at: 0), let first = s.firstIndex(of: ASCII.equals, from: 0, to: at),
           let last = s.lastIndex(of: ASCII.equals, from: 0, to: at), first < last, first > 7, last + 1 < at {
            return Spans(sender: address(0..<first), list: address(7..<first))
        }
        if let marker = find("-bounces+", in: s, before: at), marker > 0 {
            return Spans(sender: address(0..<marker + 8), list: address(0..<marker))
        }
        if let marker = find("-return-", in: s, before: at), marker > 0, hasEquals() {
            return Spans(sender: address(0..<marker + 7), list: address(0..<marker))
        }
        for (prefix, length) in [("bounce+", 7), ("bounces+", 8)] as [(StaticString, Int)]
        where s.matchesIgnoringCase(prefix, at: 0) && hasEquals() {
            return Spans(sender: address(0..<length - 1), list: nil)
        }
        for recipient in [recipients.0, recipients.1] {
            if let recipient, let base = postfixVERPBase(s, at, recipient: recipient) {
                let sender = address(0..<base)
                return Spans(sender: sender, list: sender)
            }
        }
        out.appendBytes(s)
        return Spans(sender: 0..<n, list: nil)
    }

    /// SRS0/SRS1 in the local part `s[..<at]`: the original local part and domain, or nil.
    private static func srs(_ s: UnsafeRawBufferPointer, _ at: Int) -> (local: Range<Int>, domain: Range<Int>)? {
        guard at > 5, s.matchesIgnoringCase("srs", at: 0), s[3] == 0x30 || s[3] == 0x31,
              s[4] == ASCII.equals || s[4] == ASCII.plus || s[4] == ASCII.hyphen else { return nil }
        var start = 5
        if s[3] == 0x31 {
            // SRS1=HHHH=first-forwarder==HHHH=TT=orig-domain=orig-local
            guard let double = find("==", in: s, from: start, before: at) else { return nil }
            start = double + 2
        }
        // HHHH=TT=orig-domain=orig-local: three `=`, the last part keeping any others.
        guard let e1 = s.firstIndex(of: ASCII.equals, from: start, to: at),
              let e2 = s.firstIndex(of: ASCII.equals, from: e1 + 1, to: at),
              let e3 = s.firstIndex(of: ASCII.equals, from: e2 + 1, to: at),
              e1 > start, e2 > e1 + 1, e3 > e2 + 1, at > e3 + 1 else { return nil }
        return (e3 + 1..<at, e2 + 1..<e3)
    }

    /// `BASE<d>rlocal=rdomain` in the local part `s[..<at]`, where rlocal@rdomain is
    /// `recipient` (ignoring case) and `<d>` is `+` or `-`: where BASE ends, else nil.
    private static func postfixVERPBase(_ s: UnsafeRawBufferPointer, _ at: Int, recipient: UnsafeRawBufferPointer) -> Int? {
        guard let rat = recipient.lastIndex(of: ASCII.at, from: 0, to: recipient.count) else { return nil }
        let encoded = recipient.count  // rlocal, `=`, rdomain
        guard at > encoded + 1 else { return nil }
        let from = at - encoded
        for j in 0..<encoded {
            let expected = j == rat ? ASCII.equals : ASCII.lower(recipient[j])
            if ASCII.lower(s[from + j]) != expected { return nil }
        }
        let delimiter = from - 1
        guard s[delimiter] == ASCII.plus || s[delimiter] == ASCII.hyphen, delimiter > 0 else { return nil }
        return delimiter
    }

    /// The first index in `from..<end` where the lowercase `needle` starts, ignoring
    /// case, with all of it before `end`.
    private static func find(_ needle: StaticString, in s: UnsafeRawBufferPointer, from: Int = 0, before end: Int) -> Int? {
        let length = needle.utf8CodeUnitCount
        var i = from
        while i + length <= end {
            if s.matchesIgnoringCase(needle, at: i) { return i }
            i += 1
        }
        return nil
    }
}
