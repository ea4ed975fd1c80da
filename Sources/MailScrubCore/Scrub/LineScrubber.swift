import MailScrubBase

/// Rewrites one log line with every sensitive token replaced by its pseudonym: the
/// `lines` output mode, and the fail-closed pass for any text that reaches output.
///
/// Three layers. Structural rules (`FieldRules`, `HeaderCheckLine`, `EmbeddedHeaderRule`,
/// the dovecot, discard and cleanup rules below) claim the spans they understand and
/// rewrite them by meaning.
/// Every byte no rule claimed then goes through the generic scan (`GenericScan`), which
/// replaces whatever is shaped like an address, a `<…@…>` message-id or an IP address.
/// So an unknown line shape loses nothing it should not: it only loses meaning. Last,
/// `VerifierRepair` replaces anything `mailscrub verify` would still flag.
///
/// A struct: it reuses buffers between lines, and its callers keep it in a `var`, so
/// the per-line work on those buffers needs no runtime exclusivity checks.
public struct LineScrubber {
    /// Claims of the current line, sorted by start before rewriting.
    private var claims: [Claim] = []
    /// Decoded xtext of the current `sasl_sender=` value.
    private var decoded: [UInt8] = []

    public init() {
        claims.reserveCapacity(16)
    }

    /// Appends the scrubbed form of `line` (no newline) to `output`, pseudonymized and
    /// treated as the policy of `pseudonymizer` says.
    public mutating func scrub(_ line: UnsafeRawBufferPointer, with pseudonymizer: Pseudonymizer, into output: inout [UInt8]) {
        scrub(line, EventParser.parse(line), with: pseudonymizer, into: &output)
    }

    /// The same, for a line already parsed into `event`.
    public mutating func scrub(
        _ line: UnsafeRawBufferPointer, _ event: PostfixEvent, with pseudonymizer: Pseudonymizer,
        into output: inout [UInt8]
    ) {
        claims.removeAll(keepingCapacity: true)
        let end = line.count
        let header = event.header
        // Fields are looked for in the whole line: a header parsed after a NUL run (or not
        // at all) must not hide a field before it.
        var fieldsStart = 0
        var fieldsEnd = end

        // From the start of the line, not of the message: a line whose syslog prefix is
        // missing or mangled must not keep its header value because of that.
        if let match = HeaderCheckLine.locate(line, from: 0, parsed: event.headerMatch) {
            claims.append(match.claim)
            fieldsStart = match.trailer
        } else if let valueStart = EmbeddedHeaderRule.claims(line, from: 0, into: &claims) {
            fieldsEnd = valueStart
        } else if let queueID = QueueID.prefix(line, at: header.messageStart),
                  let valueStart = cleanupMessageIDValue(line, at: min(end, queueID.upperBound + 2)) {
            // cleanup logs the raw header value to the end of the line, spaces and all.
            if valueStart < end { claims.append(Claim(range: valueStart..<end, kind: .messageIDValue)) }
            fieldsEnd = valueStart
        }
        if let program = header.program, line.matches("dovecot", at: program.lowerBound) {
            dovecotUsers(line, from: header.messageStart)
        } else if isDovecotMessage(line, at: header.messageStart) || line.contains("dovecot") {
            // Without its tag, or with the tag somewhere a damaged line moved it.
            dovecotUsers(line, from: 0)
        }
        var textEnd = end
        while textEnd > 0, line[textEnd - 1] == ASCII.carriageReturn || ASCII.isSpace(line[textEnd - 1]) { textEnd -= 1 }
        let closed = textEnd > 0 && line[textEnd - 1] == ASCII.rightParen
        if let open = line.lastIndex(of: ASCII.leftParen, from: header.messageStart, to: textEnd),
           closed || Delivery.followsStatus(line, open) {
            // discard's status text is the next hop, the recipient's domain, also when the
            // line is too damaged to parse; and a status text that is nothing but a
            // domain is one, whoever logged it (a line without its syslog prefix). A length
            // limit may have cut the closing parenthesis.
            let text = open + 1..<(closed ? textEnd - 1 : textEnd)
            if let daemon = header.daemon(in: line), line.matchesWhole("discard", daemon) {
                claims.append(Claim(range: text, kind: .domain))
            } else if closed ? Delivery.isBareDomain(line, text) : Delivery.isCutDomain(line, text),
                      Delivery.followsStatus(line, open) {
                claims.append(Claim(range: text, kind: .domain))
            }
        }
        if fieldsStart < fieldsEnd {
            FieldRules.claims(line, in: fieldsStart..<fieldsEnd, into: &claims)
        }
        if pseudonymizer.policy.hostnames != .keep { hostnames(line, from: header.messageStart) }
        if pseudonymizer.policy.statusText == .drop { statusText(line, event) }
        if PolicyFieldRule.applies(to: pseudonymizer.policy) {
            PolicyFieldRule.claims(line, header: header, policy: pseudonymizer.policy, into: &claims)
        }
        sortAndTrimClaims()

        let outputStart = output.count
        var position = 0
        for claim in claims {
            GenericScan.rewrite(line, position..<claim.range.lowerBound, with: pseudonymizer, into: &output)
            rewrite(line, claim, with: pseudonymizer, into: &output)
            position = claim.range.upperBound
        }
        GenericScan.rewrite(line, position..<end, with: pseudonymizer, into: &output)
        VerifierRepair.repair(&output, from: outputStart, with: pseudonymizer)
    }

    /// Start of the value in `message-id=VALUE` / `resent-message-id=VALUE` right after a queue id.
    private func cleanupMessageIDValue(_ b: UnsafeRawBufferPointer, at i: Int) -> Int? {
        if b.matches("message-id=", at: i) { return i + 11 }
        if b.matches("resent-message-id=", at: i) { return i + 18 }
        return nil
    }

    /// A dovecot message without its syslog tag (a grep, a paste, a damaged line that
    /// seems to have another): it starts with a login service, or holds a service name
    /// right before a parenthesis (`lmtp(`, `imap(`, …) anywhere.
    private func isDovecotMessage(_ b: UnsafeRawBufferPointer, at start: Int) -> Bool {
        var i = start
        while i < b.count, HeaderCheckLine.isJunk(b[i]) { i += 1 }
        for service in Self.dovecotLogins where b.matches(service, at: i) { return true }
        // A service and its user in parentheses, wherever damage left them.
        var from = 0
        while let open = b.firstIndex(memchr: ASCII.leftParen, from: from, to: b.count) {
            // Every service name ends in a letter or digit; most parentheses follow a space.
            guard open > 0, ASCII.isAlnum(b[open - 1]) else {
                from = open + 1
                continue
            }
            for service in Self.dovecotServices where open >= service.utf8CodeUnitCount {
                if b.matches(service, at: open - service.utf8CodeUnitCount) { return true }
            }
            from = open + 1
        }
        return false
    }

    private static let dovecotLogins: [StaticString] = [
        "auth: ", "imap-login: ", "pop3-login: ", "submission-login: ", "managesieve-login: ",
    ]
    private static let dovecotServices: [StaticString] = [
        "lmtp", "imap", "pop3", "lda", "submission", "managesieve", "doveadm", "indexer-worker", "auth-worker",
    ]

    /// dovecot names the user in parentheses after a service or passdb name:
    /// `lmtp(alice@example.org)<…>:`, `imap(alice)`, `auth: passwd-file(alice,192.0.2.1)`,
    /// or the older `lmtp(12345, alice)`. The user may have no domain, which the generic
    /// scan could not recognise. The first element that is not a number is the user.
    private mutating func dovecotUsers(_ b: UnsafeRawBufferPointer, from start: Int) {
        var i = start
        while let open = b.firstIndex(memchr: ASCII.leftParen, from: i, to: b.count) {
            // A line cut inside the parentheses: the user runs to its end, or to a NUL run
            // (what follows a crash's NULs is another line, as for quotes and brackets).
            let lineEnd = b.firstIndex(memchr: 0, from: open + 1, to: b.count) ?? b.count
            let close = b.firstIndex(of: ASCII.rightParen, from: open + 1, to: lineEnd) ?? lineEnd
            i = close + 1
            guard open > start, ASCII.isAlpha(b[open - 1]) || b[open - 1] == ASCII.hyphen else { continue }
            var elementStart = open + 1
            while elementStart < close {
                let elementEnd = b.firstIndex(of: ASCII.comma, from: elementStart, to: close) ?? close
                let element = b.trimmingSpaces(elementStart..<elementEnd)
                if !element.isEmpty, !element.allSatisfy({ ASCII.isDigit(b[$0]) }) {
                    claims.append(Claim(range: element, kind: .address))
                    break
                }
                elementStart = elementEnd + 1
            }
        }
    }

    /// Client, relay and HELO names: `NAME[ADDR]` (not `unknown`) and `helo=<NAME>` / `helo=NAME`,
    /// for policies that hash or drop hostnames. Address literals are left to the IP rule.
    private mutating func hostnames(_ b: UnsafeRawBufferPointer, from start: Int) {
        var i = start
        while let open = b.firstIndex(of: ASCII.leftBracket, from: i, to: b.count) {
            i = open + 1
            var nameStart = open
            while nameStart > start, ASCII.isAlnum(b[nameStart - 1]) || b[nameStart - 1] == ASCII.dot
                    || b[nameStart - 1] == ASCII.hyphen || b[nameStart - 1] == ASCII.underscore {
                nameStart -= 1
            }
            let name = nameStart..<open
            if !name.isEmpty, !b.matchesWhole("unknown", name), IPScanner.ipv4(b, at: name.lowerBound, end: open)?.upperBound != open {
                claims.append(Claim(range: name, kind: .hostname))
            }
        }
        if let helo = KeyValue.find(b, "helo=", in: start..<b.count), !helo.isEmpty, b[helo.lowerBound] != ASCII.leftBracket {
            claims.append(Claim(range: helo, kind: .hostname))
        }
    }

    /// The parenthesised status text of a delivery and the reply text of a reject, for
    /// `status_text: drop`.
    private mutating func statusText(_ b: UnsafeRawBufferPointer, _ event: PostfixEvent) {
        switch event.fields {
        case .delivery(let delivery):
            guard let text = delivery.text ?? delivery.nexthop else { return }
            // ` (text)` goes with its parentheses.
            claims.append(Claim(range: text.lowerBound - 2..<min(b.count, text.upperBound + 1), kind: .drop))
        case .reject(let reject):
            claims.append(Claim(range: reject.text, kind: .drop))
        default:
            break
        }
    }

    /// Sorts claims by start and drops any that overlap an earlier one.
    private mutating func sortAndTrimClaims() {
        guard claims.count > 1 else { return }
        // Insertion sort: a line has a handful of claims, mostly in order already.
        for i in 1..<claims.count {
            var j = i
            let item = claims[i]
            while j > 0, claims[j - 1].range.lowerBound > item.range.lowerBound {
                claims[j] = claims[j - 1]
                j -= 1
            }
            claims[j] = item
        }
        // A claim that starts inside the one before keeps what reaches past it: dropping
        // it whole would hand that text to the generic scan, which knows no display name
        // or subject. Every kind replaces whatever span it is given.
        var kept = 1
        for i in 1..<claims.count where claims[i].range.upperBound > claims[kept - 1].range.upperBound {
            var claim = claims[i]
            claim.range = max(claim.range.lowerBound, claims[kept - 1].range.upperBound)..<claim.range.upperBound
            claims[kept] = claim
            kept += 1
        }
        claims.removeSubrange(kept...)
    }

    private mutating func rewrite(_ b: UnsafeRawBufferPointer, _ claim: Claim, with pseudonymizer: Pseudonymizer, into output: inout [UInt8]) {
        switch claim.kind {
        case .address:
            pseudonymizer.appendAddress(b, claim.range, to: &output)
        case .xtextAddress:
            XText.decode(b, claim.range, into: &decoded)
            decoded.withUnsafeBytes { pseudonymizer.appendAddress($0, 0..<$0.count, to: &output) }
        case .messageIDValue:
            HeaderValueRewriter.appendMessageIDValue(b, claim.range, with: pseudonymizer, into: &output)
        case .headerValue(let kind):
            HeaderValueRewriter.append(kind, b, claim.range, with: pseudonymizer, into: &output)
        case .domain:
            pseudonymizer.appendDomain(b, b.trimmingSpaces(claim.range), to: &output)
        case .hostname:
            pseudonymizer.appendHostname(b, claim.range, to: &output)
        case .drop:
            break
        case .stamp(let format):
            StampCoarsening.append(b, claim.range, format: format, precision: pseudonymizer.policy.timePrecision, into: &output)
        case .size:
            // Claimed only for a number; anything else would go rather than stay.
            if let n = ASCII.decimal(b, claim.range) { JSONWriter.appendInteger(Coarsening.log2Bucket(n), to: &output) }
        }
    }
}

/// RFC 3461 xtext, as Postfix logs `sasl_sender=`: `+XX` is the byte with hex value XX.
enum XText {
    static func decode(_ b: UnsafeRawBufferPointer, _ range: Range<Int>, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        var i = range.lowerBound
        while i < range.upperBound {
            if b[i] == ASCII.plus, i + 2 < range.upperBound, let hi = hexValue(b[i + 1]), let lo = hexValue(b[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(b[i])
                i += 1
            }
        }
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        if ASCII.isDigit(c) { return c - 0x30 }
        let l = c | 0x20
        if l >= 0x61 && l <= 0x66 { return l - 0x61 + 10 }
        return nil
    }
}
