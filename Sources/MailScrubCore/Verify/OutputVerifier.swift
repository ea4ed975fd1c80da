/// Checks sanitized output (records, events or lines) before it is handed off: anything
/// shaped like an address, a message-id or an IP address must be a pseudonym of the
/// configured length. Reports where, never what.
///
/// - around every `@`: the local part must be empty or exactly one pseudonym (2N lowercase
///   hex) and the domain exactly one pseudonym;
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

    public init(hashBytes: Int) {
        pseudonymLength = 2 * hashBytes
    }

    /// Appends the findings in one line (number `lineNumber`) to `findings`.
    public func check(_ b: UnsafeRawBufferPointer, lineNumber: Int, into findings: inout [Finding]) {
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == ASCII.at {
                var start = i
                // A pseudonym holds no `=`, so one marks a key before it (`sasl_username=`).
                while start > 0, ASCII.localPartTable[Int(b[start - 1])], b[start - 1] != ASCII.equals { start -= 1 }
                var stop = i + 1
                while stop < b.count, ASCII.domainTable[Int(b[stop])] { stop += 1 }
                while stop > i + 1, b[stop - 1] == ASCII.dot || b[stop - 1] == ASCII.hyphen { stop -= 1 }
                let localOK = start == i || isPseudonym(b, start..<i)
                if !localOK || !isPseudonym(b, i + 1..<stop) {
                    findings.append(Finding(line: lineNumber, column: start + 1, kind: "address"))
                }
                i = max(stop, i + 1)
                continue
            }
            if c == ASCII.lessThan, let close = b.firstIndex(of: ASCII.greaterThan, from: i + 1, to: b.count),
               close > i + 1, GenericScan.followsKey(b, before: i, lowerLimit: 0, keys: GenericScan.messageIDKeys),
               !isPseudonym(b, i + 1..<close) {
                findings.append(Finding(line: lineNumber, column: i + 1, kind: "message-id"))
                i = close + 1
                continue
            }
            if ASCII.isDigit(c), let ip = IPScanner.dashedIPv4(b, at: i, lowerLimit: 0, end: b.count) {
                findings.append(Finding(line: lineNumber, column: i + 1, kind: "ip"))
                i = ip.upperBound
                continue
            }
            if ASCII.isHexDigit(c) || c == ASCII.colon, let ip = IPScanner.match(b, at: i, lowerLimit: 0, end: b.count) {
                // The zero addresses of `ip: zero` policies say nothing about anyone.
                if !(b.matchesWhole("0.0.0.0", ip) || b.matchesWhole("::", ip)) {
                    findings.append(Finding(line: lineNumber, column: i + 1, kind: "ip"))
                }
                i = ip.upperBound
                continue
            }
            i += 1
        }
    }

    /// Exactly `pseudonymLength` lowercase hex digits.
    private func isPseudonym(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Bool {
        guard r.count == pseudonymLength else { return false }
        for k in r {
            let c = b[k]
            guard ASCII.isDigit(c) || (c >= 0x61 && c <= 0x66) else { return false }
        }
        return true
    }
}
