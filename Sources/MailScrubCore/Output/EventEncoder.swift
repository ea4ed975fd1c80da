/// Writes one parsed line as one JSON object for `--emit events`: `time`, `host`,
/// `program`, `pid`, `queue_id`, `event` (a `PostfixEvent.Kind` name) and the event's
/// fields, every address, message-id, IP and header value pseudonymized as in records.
/// A line no parser recognised becomes `{"event":"unrecognized","text":…}` holding the
/// fail-closed `lines` form of the whole line.
final class EventEncoder {
    /// The pseudonymizer of the line being encoded (lines may fall in different epochs).
    private var current: Pseudonymizer?
    // Safe to force unwrap: `encode`, the only entry point, sets it first.
    private var p: Pseudonymizer { current! }
    private let scrubber: LineScrubber
    /// Rendered pseudonyms and scrubbed text before escaping; reused.
    private var scratch: [UInt8] = []

    init(scrubber: LineScrubber) {
        self.scrubber = scrubber
    }

    func encode(_ b: UnsafeRawBufferPointer, _ e: PostfixEvent, time: LogTime?, with pseudonymizer: Pseudonymizer, into out: inout [UInt8]) {
        current = pseudonymizer
        out.append(0x7B)
        JSONWriter.appendKey("time", first: true, to: &out)
        if let time {
            out.append(ASCII.quote)
            Coarsening.time(time, p.policy.timePrecision).appendRFC3339(to: &out)
            out.append(ASCII.quote)
        } else {
            JSONWriter.appendNull(to: &out)
        }
        // Host and program are kept, but an IP address in them (a host logged by address,
        // a multi-instance `postfix-10.0.0.1/smtp`) is hashed like any other.
        optionalScrubbed("host", b, e.header.host, &out)
        optionalScrubbed("program", b, e.header.program, &out)
        JSONWriter.appendKey("pid", to: &out)
        JSONWriter.appendNumber(b, e.header.pid, to: &out)
        raw("queue_id", b, e.queueID, &out)
        JSONWriter.appendKey("event", to: &out)
        JSONWriter.appendString(Array(e.kind.rawValue.utf8), to: &out)
        switch e.kind {
        case .unrecognized:
            scrubbed("text", b, 0..<b.count, whole: true, &out)
        case .connect, .disconnect:
            client(b, e, &out)
        case .client:
            client(b, e, &out)
            address("sasl_username", b, e.saslUsername, &out)
            raw("orig_queue_id", b, e.origQueueID, &out)
        case .pickup:
            JSONWriter.appendKey("uid", to: &out)
            JSONWriter.appendNumber(b, e.uid, to: &out)
            address("sender", b, e.sender, &out)
        case .messageID, .resentMessageID:
            JSONWriter.appendKey("message_id", to: &out)
            if let id = e.messageID, !b.trimmingSpaces(id).isEmpty {
                scratch.removeAll(keepingCapacity: true)
                HeaderValueRewriter.appendMessageIDValue(b, id, with: p, into: &scratch)
                JSONWriter.appendString(scratch, to: &out)
            } else {
                JSONWriter.appendNull(to: &out)
            }
        case .header:
            raw("action", b, e.action, &out)
            raw("name", b, e.headerName, &out)
            JSONWriter.appendKey("value", to: &out)
            if let value = e.headerValue, let kind = e.headerKind {
                scratch.removeAll(keepingCapacity: true)
                HeaderValueRewriter.append(kind, b, value, with: p, into: &scratch)
                JSONWriter.appendString(scratch, to: &out)
            } else {
                JSONWriter.appendNull(to: &out)
            }
            address("sender", b, e.sender, &out)
            address("recipient", b, e.recipient, &out)
        case .queued:
            address("sender", b, e.sender, &out)
            JSONWriter.appendKey("size", to: &out)
            if p.policy.sizes == .log2, let size = e.size, let n = Int(String(decoding: UnsafeRawBufferPointer(rebasing: b[size]), as: UTF8.self)) {
                JSONWriter.appendInteger(Coarsening.log2Bucket(n), to: &out)
            } else {
                JSONWriter.appendNumber(b, e.size, to: &out)
            }
            JSONWriter.appendKey("nrcpt", to: &out)
            JSONWriter.appendNumber(b, e.nrcpt, to: &out)
        case .delivery:
            address("recipient", b, e.recipient, &out)
            address("orig_recipient", b, e.origRecipient, &out)
            hostAndAddress("relay", b, e.relay, &out)
            JSONWriter.appendKey("delay", to: &out)
            JSONWriter.appendNumber(b, e.delay, to: &out)
            raw("delays", b, e.delays, &out)
            raw("dsn", b, e.dsn, &out)
            raw("status", b, e.status, &out)
            if let nexthop = e.nexthop, p.policy.statusText != .drop {
                JSONWriter.appendKey("text", to: &out)
                scratch.removeAll(keepingCapacity: true)
                p.appendDomain(b, b.trimmingSpaces(nexthop), to: &scratch)
                JSONWriter.appendString(scratch, to: &out)
            } else {
                text(b, e.text, &out)
            }
            raw("next_queue_id", b, e.otherQueueID, &out)
        case .expired:
            address("sender", b, e.sender, &out)
            raw("status", b, e.status, &out)
        case .removed:
            break
        case .notification:
            raw("notification", b, e.text, &out)
            raw("new_queue_id", b, e.otherQueueID, &out)
        case .reject:
            raw("action", b, e.action, &out)
            client(b, e, &out)
            address("sender", b, e.sender, &out)
            address("recipient", b, e.recipient, &out)
            if let text = e.text {
                self.text(b, text, &out)
                JSONWriter.appendKey("reject_reason", to: &out)
                JSONWriter.appendString(Array(RejectReason.classify(b, text).utf8), to: &out)
            }
        case .contentFilter:
            JSONWriter.appendKey("spam_score", to: &out)
            JSONWriter.appendNumber(b, e.spamScore, to: &out)
            raw("next_queue_id", b, e.otherQueueID, &out)
        }
        out.append(0x7D)
        out.append(ASCII.newline)
    }

    /// A field copied as it is (queue ids, status words, hostnames).
    private func raw(_ key: StaticString, _ b: UnsafeRawBufferPointer, _ range: Range<Int>?, _ out: inout [UInt8]) {
        JSONWriter.appendKey(key, to: &out)
        if let range { JSONWriter.appendString(b, range, to: &out) } else { JSONWriter.appendNull(to: &out) }
    }

    /// A status or reply text: scrubbed, or null when the policy drops status texts.
    private func text(_ b: UnsafeRawBufferPointer, _ range: Range<Int>?, _ out: inout [UInt8]) {
        if p.policy.statusText == .drop {
            JSONWriter.appendKey("text", to: &out)
            JSONWriter.appendNull(to: &out)
        } else {
            optionalScrubbed("text", b, range, &out)
        }
    }

    /// `NAME[ADDR]:PORT` (a relay): the name as the policy says for hostnames, the rest
    /// through the fail-closed scan.
    private func hostAndAddress(_ key: StaticString, _ b: UnsafeRawBufferPointer, _ range: Range<Int>?, _ out: inout [UInt8]) {
        guard let range, p.policy.hostnames != .keep,
              let open = b.firstIndex(of: ASCII.leftBracket, from: range.lowerBound, to: range.upperBound) else {
            return optionalScrubbed(key, b, range, &out)
        }
        JSONWriter.appendKey(key, to: &out)
        scratch.removeAll(keepingCapacity: true)
        p.appendHostname(b, range.lowerBound..<open, to: &scratch)
        GenericScan.rewriteVerified(b, open..<range.upperBound, with: p, into: &scratch)
        JSONWriter.appendString(scratch, to: &out)
    }

    private func optionalScrubbed(_ key: StaticString, _ b: UnsafeRawBufferPointer, _ range: Range<Int>?, _ out: inout [UInt8]) {
        if let range { scrubbed(key, b, range, whole: false, &out) } else { raw(key, b, nil, &out) }
    }

    private func address(_ key: StaticString, _ b: UnsafeRawBufferPointer, _ range: Range<Int>?, _ out: inout [UInt8]) {
        JSONWriter.appendKey(key, to: &out)
        guard let range else { return JSONWriter.appendNull(to: &out) }
        scratch.removeAll(keepingCapacity: true)
        p.appendAddress(b, range, to: &scratch)
        JSONWriter.appendString(scratch, to: &out)
    }

    private func client(_ b: UnsafeRawBufferPointer, _ e: PostfixEvent, _ out: inout [UInt8]) {
        JSONWriter.appendKey("client_name", to: &out)
        if let name = e.clientName, p.policy.hostnames != .drop {
            scratch.removeAll(keepingCapacity: true)
            if b.matchesWhole("unknown", name) || name.isEmpty {
                scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[name]))
            } else if p.policy.hostnames == .keep {
                // Kept names still lose the client address many of them spell out
                // (`203-0-113-7.dyn.example.net`).
                GenericScan.rewriteVerified(b, name, with: p, into: &scratch)
            } else {
                p.appendHostname(b, name, to: &scratch)
            }
            JSONWriter.appendString(scratch, to: &out)
        } else {
            JSONWriter.appendNull(to: &out)
        }
        JSONWriter.appendKey("client_ip", to: &out)
        if let address = e.clientIP, !b.matchesWhole("unknown", address) {
            scratch.removeAll(keepingCapacity: true)
            p.appendIP(b, address, to: &scratch)
            JSONWriter.appendString(scratch, to: &out)
        } else {
            JSONWriter.appendNull(to: &out)
        }
    }

    /// Free text through the fail-closed scrubber: the generic scan for a span, the whole
    /// line scrubber (structural rules too) for an unrecognized line.
    private func scrubbed(_ key: StaticString, _ b: UnsafeRawBufferPointer, _ range: Range<Int>, whole: Bool, _ out: inout [UInt8]) {
        JSONWriter.appendKey(key, to: &out)
        scratch.removeAll(keepingCapacity: true)
        if whole {
            scrubber.scrub(b, with: p, into: &scratch)
            VerifierRepair.repairForJSON(&scratch, from: 0, with: p)
        } else {
            GenericScan.rewriteVerified(b, range, with: p, into: &scratch)
        }
        JSONWriter.appendString(scratch, to: &out)
    }
}
