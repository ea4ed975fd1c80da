import MailScrubBase

/// Checks sanitized output (records, events or lines) before it is handed off: anything
/// shaped like an address, a message-id or an IP address must be a pseudonym of the
/// configured length. Reports where, never what.
///
/// - around every `@`: the local part must be empty or exactly one pseudonym (2N lowercase
///   hex) and the domain exactly one pseudonym, or a domain the policy writes in clear
///   (`clear_domains`), exactly as output writes it;
/// - a `<…>` holding `@`, or after a Message-ID / msgid key, must hold one pseudonym;
/// - nothing may read as an IPv4 or IPv6 address (pseudonyms are plain hex), except the
///   zero addresses `0.0.0.0` and `::` that `ip: zero` writes.
public struct OutputVerifier {
    /// A place where something unpseudonymized was found.
    public struct Finding: Equatable, Sendable {
        /// 1-based line and byte column of the start of the token.
        public var line: Int
        public var column: Int
        /// What it looked like: `address`, `message-id` or `ip`.
        public var kind: String
    }

    /// Hex characters per pseudonym.
    public let pseudonymLength: Int
    /// The policy's `clear_domains`, lowercase: accepted after the `@` of a pseudonym.
    private let clearDomains: [[UInt8]]

    public init(hashBytes: Int, clearDomains: [[UInt8]] = []) {
        pseudonymLength = 2 * hashBytes
        self.clearDomains = clearDomains
    }

    /// A verifier for output written under `policy`.
    public init(hashBytes: Int, policy: Policy) {
        self.init(hashBytes: hashBytes, clearDomains: policy.clearDomains.map { Array($0.utf8) })
    }

    /// Appends the findings in one line (number `lineNumber`) to `findings`. A record or
    /// an event is checked string by string, each string decoded, so
    /// escapes (`\u0001`) and the quotes around values neither hide nor invent a token;
    /// a finding's column counts decoded bytes from the string's opening quote.
    public func check(_ b: UnsafeRawBufferPointer, lineNumber: Int, into findings: inout [Finding]) {
        // mailscrub's own JSON lines (records, events, journald entries in lines mode), by
        // how they open: a scrubbed log line that merely starts with `{` is checked as
        // text, as the scrubber checked it.
        guard b.matches("{\"schema\":\"mailscrub.", at: 0) || b.matches("{\"time\":", at: 0)
                || b.matches("{\"__REALTIME_TIMESTAMP\":", at: 0) else {
            forEachFinding(b) { token, kind in
                findings.append(Finding(line: lineNumber, column: token.lowerBound + 1, kind: kind.rawValue))
            }
            return
        }
        var decoded: [UInt8] = []
        var i = 0
        while let open = b.firstIndex(of: ASCII.quote, from: i, to: b.count) {
            i = JSONStringDecoder.decode(b, from: open + 1, into: &decoded)
            decoded.withUnsafeBytes { text in
                forEachFinding(text) { token, kind in
                    findings.append(Finding(line: lineNumber, column: open + 2 + token.lowerBound, kind: kind.rawValue))
                }
            }
        }
    }

    /// What a finding looked like.
    enum Kind: String {
        case address, messageID = "message-id", ip
    }

    /// Calls `body` with the span and kind of each token in `b` that is not a pseudonym.
    func forEachFinding(_ b: UnsafeRawBufferPointer, _ body: (Range<Int>, Kind) -> Void) {
        var i = 0
        // The next byte a token needs, at or after `i`: `@`, `<`, or the first `.`, `:`
        // or `-` of an IP address. Before it the loop below would find nothing, except an
        // address starting just before it (`IPScanner.earliestStart`): it resumes there.
        var next = -1
        while i < b.count {
            if next < i {
                next = Self.nextTokenByte(b, from: i)
                guard next < b.count else { return }
                i = IPScanner.earliestStart(b, before: next, notBefore: i)
                if b[next] == ASCII.colon, let runEnd = IPScanner.addressFreeRunEnd(b, from: i, end: b.count) {
                    i = runEnd
                    continue
                }
            }
            let c = b[i]
            guard Self.isTrigger(c) else {
                i += 1
                continue
            }
            // Inside a word no address can start: the IP scanners reject a start after a
            // digit or a dot, and an IPv6 one after a letter. Skipping those positions here
            // keeps this pass cheap over runs of pseudonym hex; it finds the same tokens.
            // (Tested before the run below, so that a run is read once, from its start.)
            if i > 0, c != ASCII.at, c != ASCII.lessThan, c != ASCII.colon {
                let before = b[i - 1]
                if ASCII.isDigit(before) || before == ASCII.dot || (ASCII.isAlpha(before) && !ASCII.isDigit(c)) {
                    i += 1
                    continue
                }
            }
            // A run of letters and digits holds an IP address only if a `.`, `:` or `-`
            // follows it: otherwise (a pseudonym, a word) the whole run is passed over.
            if ASCII.isAlnum(c) {
                var runEnd = i + 1
                while runEnd < b.count, ASCII.isAlnum(b[runEnd]) { runEnd += 1 }
                if runEnd == b.count || !(b[runEnd] == ASCII.dot || b[runEnd] == ASCII.colon || b[runEnd] == ASCII.hyphen) {
                    i = runEnd
                    continue
                }
            }
            if c == ASCII.at {
                if let stop = pseudonymAddressEnd(b, at: i) {
                    i = stop
                    continue
                }
                var start = i
                // A pseudonym holds no `=`, so one marks a key before it (`sasl_username=`).
                while start > 0, ASCII.isLocalPartByte(b[start - 1]), b[start - 1] != ASCII.equals { start -= 1 }
                let stop = GenericScan.domainEnd(b, after: i, end: b.count)
                let localOK = start == i || isPseudonym(b, start..<i)
                // Nothing after the `@` (a lone one, or one right after a pseudonym) leaves
                // only the local part to check.
                let domainOK = stop == i + 1 || isPseudonym(b, i + 1..<stop) || isClearDomain(b, i + 1..<stop)
                if !localOK || !domainOK { body(start..<stop, .address) }
                i = max(stop, i + 1)
                continue
            }
            // The key first: most `<…>` in output are addresses after `from=` or `to=`.
            if c == ASCII.lessThan, GenericScan.followsMessageIDKey(b, before: i, lowerLimit: 0),
               let close = b.firstIndex(of: ASCII.greaterThan, from: i + 1, to: b.count), close > i + 1,
               !isPseudonym(b, i + 1..<close) {
                body(i..<close + 1, .messageID)
                i = close + 1
                continue
            }
            if ASCII.isDigit(c), let ip = IPScanner.dashedIPv4(b, at: i, lowerLimit: 0, end: b.count) {
                body(ip, .ip)
                i = ip.upperBound
                continue
            }
            if ASCII.isHexDigit(c) || c == ASCII.colon, let ip = IPScanner.match(b, at: i, lowerLimit: 0, end: b.count) {
                // The zero addresses of `ip: zero` policies say nothing about anyone.
                if !(b.matchesWhole("0.0.0.0", ip) || b.matchesWhole("::", ip)) { body(ip, .ip) }
                i = ip.upperBound
                continue
            }
            i += 1
        }
    }

    /// The next byte every token holds one of near its start, at or after `from` (see
    /// `forEachFinding`), or the end. Its own function: the scan inlines into it with the
    /// set as constants, which it does not into the long loop that calls it.
    @inline(never)
    private static func nextTokenByte(_ b: UnsafeRawBufferPointer, from: Int) -> Int {
        ByteSet(ASCII.at, ASCII.lessThan, ASCII.dot, ASCII.colon, ASCII.hyphen).firstIndex(in: b, from: from, to: b.count)
    }

    /// Bytes where a token may start: `@`, `<`, hex digits and `:` (IP addresses).
    static func isTrigger(_ b: UInt8) -> Bool { ASCII.inSet(b, 0x17FF_0000_0000_0000, 0x0000_007E_0000_007F) }

    /// A domain of `clear_domains`, byte for byte.
    private func isClearDomain(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Bool {
        !clearDomains.isEmpty && clearDomains.contains { $0.count == r.count && $0.elementsEqual(b[r]) }
    }

    /// Exactly `pseudonymLength` lowercase hex digits.
    private func isPseudonym(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Bool {
        r.count == pseudonymLength && LowerHex.isRun(b, r)
    }

    /// The end of the address around the `@` at `at` when both its parts are whole
    /// pseudonyms, the shape nearly every address in output has: the general walk in
    /// `forEachFinding` would stop at the same places and find nothing.
    private func pseudonymAddressEnd(_ b: UnsafeRawBufferPointer, at: Int) -> Int? {
        let start = at - pseudonymLength, stop = at + 1 + pseudonymLength
        guard start >= 0, stop <= b.count else { return nil }
        // The local part walk stops at a byte outside local parts or at `=`; the domain
        // walk at a byte outside domains (and a pseudonym does not end in `.` or `-`).
        if start > 0, ASCII.isLocalPartByte(b[start - 1]), b[start - 1] != ASCII.equals { return nil }
        if stop < b.count, ASCII.isDomainByte(b[stop]) { return nil }
        return isPseudonym(b, start..<at) && isPseudonym(b, at + 1..<stop) ? stop : nil
    }
}
