import MailScrubBase

/// Writes one parsed line as one JSON object for `--emit events` (schema
/// `mailscrub.event/1`): `schema`, `key_id`, `time`, `host`, `program`, `pid`,
/// `queue_id`, `event` (a `PostfixEvent.Kind` name) and the event's fields. A field
/// that records also have is written as records write it (bare message-id pseudonyms,
/// decoded senders, `delays` as numbers, lowercased status) and is left out where the
/// policy drops that record field. A line no parser recognised becomes
/// `{…,"event":"unrecognized","text":…}` holding the fail-closed `lines` form of the line.
///
/// A struct its pipeline keeps in a `var`: its reused buffers are then used without
/// runtime exclusivity checks (as class properties they cost about six per event).
struct EventEncoder {
    /// The pseudonymizer of the line being encoded (lines may fall in different epochs).
    private var current: Pseudonymizer?
    // Safe to force unwrap: `encode`, the only entry point, sets it first.
    private var p: Pseudonymizer { current! }
    private var scrubber = LineScrubber()
    /// Rendered pseudonyms and scrubbed text before escaping; reused.
    private var scratch: [UInt8] = []
    /// A sender and its list address as decoded; reused.
    private var decoded: [UInt8] = []
    /// Each kind's name as bytes, indexed like `PostfixEvent.Kind.allCases`.
    private let kindNames = PostfixEvent.Kind.allCases.map { Array($0.rawValue.utf8) }

    mutating func encode(_ b: UnsafeRawBufferPointer, _ e: PostfixEvent, time: LogTime?, with pseudonymizer: Pseudonymizer, into out: inout [UInt8]) {
        current = pseudonymizer
        out.append(0x7B)
        JSONWriter.appendKey("schema", first: true, to: &out)
        JSONWriter.appendPlainString(Self.schema, to: &out)
        JSONWriter.appendKey("key_id", to: &out)
        JSONWriter.appendPlainString(p.keyIDBytes, to: &out)
        JSONWriter.appendKey("time", to: &out)
        if let time {
            out.append(ASCII.quote)
            Coarsening.time(time, p.policy.timePrecision).appendRFC3339(to: &out)
            out.append(ASCII.quote)
        } else {
            JSONWriter.appendNull(to: &out)
        }
        // Host and program are kept, but an IP address in them (a host logged by address,
        // a multi-instance `postfix-10.0.0.1/smtp`) is hashed like any other.
        if wants("host") { optionalScrubbed("host", b, e.header.host, &out) }
        optionalScrubbed("program", b, e.header.program, &out)
        JSONWriter.appendKey("pid", to: &out)
        JSONWriter.appendNumber(b, e.header.pid, to: &out)
        raw("queue_id", b, e.queueID, &out)
        JSONWriter.appendKey("event", to: &out)
        JSONWriter.appendPlainString(kindNames[e.kind.index], to: &out)
        switch e.fields {
        case .unrecognized:
            scrubbedLine("text", b, e, &out)
        case .connect(let client), .disconnect(let client):
            self.client(b, client, &out)
        case .client(let submission):
            client(b, submission.client, &out)
            address("sasl_username", b, submission.saslUsername, &out)
            raw("previous_queue_id", b, submission.origQueueID, &out)
        case .pickup(let pickup):
            JSONWriter.appendKey("uid", to: &out)
            JSONWriter.appendNumber(b, pickup.uid, to: &out)
            sender(b, pickup.sender, recipient: nil, &out)
        case .messageID(let raw):
            messageID("message_id", b, raw, &out)
        case .resentMessageID(let raw):
            messageID("resent_message_id", b, raw, &out)
        case .header(let header):
            raw("action", b, header.action, &out)
            raw("name", b, header.name, &out)
            JSONWriter.appendKey("value", to: &out)
            scratch.removeAll(keepingCapacity: true)
            HeaderValueRewriter.append(header.kind, b, header.value, with: p, into: &scratch)
            JSONWriter.appendString(scratch, to: &out)
            sender(b, header.sender, recipient: header.recipient, &out)
            address("recipient", b, header.recipient, &out)
        case .queued(let queued):
            sender(b, queued.sender, recipient: nil, &out)
            if wants("message_size") {
                JSONWriter.appendKey("message_size", to: &out)
                if p.policy.sizes == .log2, let n = ASCII.decimal(b, queued.size) {
                    JSONWriter.appendInteger(Coarsening.log2Bucket(n), to: &out)
                } else {
                    JSONWriter.appendNumber(b, queued.size, to: &out)
                }
            }
            number("nrcpt", b, queued.nrcpt, &out)
        case .delivery(let d):
            address("recipient", b, d.recipient, &out)
            address("orig_recipient", b, d.origRecipient, &out)
            hostAndAddress("relay", b, d.relay, &out)
            number("delay", b, d.delay, &out)
            if wants("delays") {
                JSONWriter.appendKey("delays", to: &out)
                if let delays = d.delays {
                    JSONWriter.appendDelays(b, delays, to: &out)
                } else {
                    JSONWriter.appendNull(to: &out)
                }
            }
            raw("dsn", b, d.dsn, &out)
            status(b, d.status, &out)
            if let nexthop = d.nexthop, p.policy.statusText != .drop {
                JSONWriter.appendKey("text", to: &out)
                scratch.removeAll(keepingCapacity: true)
                p.appendDomain(b, b.trimmingSpaces(nexthop), to: &scratch)
                JSONWriter.appendString(scratch, to: &out)
            } else {
                text(b, d.text, &out)
            }
            raw("next_queue_id", b, d.nextQueueID, &out)
        case .expired(let expired):
            sender(b, expired.sender, recipient: nil, &out)
            status(b, expired.status, &out)
        case .removed:
            break
        case .notification(let notification):
            raw("notification", b, notification.what, &out)
            raw("new_queue_id", b, notification.newQueueID, &out)
        case .reject(let reject):
            raw("action", b, reject.action, &out)
            client(b, reject.client, &out)
            sender(b, reject.sender, recipient: reject.recipient, &out)
            address("recipient", b, reject.recipient, &out)
            text(b, reject.text, &out)
            if wants("reject_reason") {
                JSONWriter.appendKey("reject_reason", to: &out)
                // A category name of this program's: plain ASCII.
                JSONWriter.appendPlainString(RejectReason.classify(b, reject.text), to: &out)
            }
        case .contentFilter(let verdict):
            number("spam_score", b, verdict.spamScore, &out)
            raw("next_queue_id", b, verdict.nextQueueID, &out)
        }
        out.append(0x7D)
        out.append(ASCII.newline)
    }

    static let schema: StaticString = "mailscrub.event/1"

    /// A message-id as records hold it: the pseudonym of what is inside `<…>`, no brackets.
    private mutating func messageID(_ field: StaticString, _ b: UnsafeRawBufferPointer, _ raw: Range<Int>, _ out: inout [UInt8]) {
        guard wants(field) else { return }
        JSONWriter.appendKey(field, to: &out)
        guard let id = HeaderValue.bareMessageID(b, raw) else { return JSONWriter.appendNull(to: &out) }
        scratch.removeAll(keepingCapacity: true)
        p.appendHash(.messageID, of: UnsafeRawBufferPointer(rebasing: b[id]), to: &scratch)
        JSONWriter.appendPlainString(scratch, to: &out)
    }

    /// False for a field the policy drops from records (events leave it out the same way).
    private func wants(_ field: StaticString) -> Bool {
        p.policy.droppedFieldMask == 0 || !p.policy.drops(field)
    }

    /// A field copied as it is (queue ids, status words, hostnames).
    private func raw(_ key: StaticString, _ b: UnsafeRawBufferPointer, _ range: Range<Int>?, _ out: inout [UInt8]) {
        guard wants(key) else { return }
        JSONWriter.appendKey(key, to: &out)
        if let range { JSONWriter.appendString(b, range, to: &out) } else { JSONWriter.appendNull(to: &out) }
    }

    private func number(_ key: StaticString, _ b: UnsafeRawBufferPointer, _ range: Range<Int>?, _ out: inout [UInt8]) {
        guard wants(key) else { return }
        JSONWriter.appendKey(key, to: &out)
        JSONWriter.appendNumber(b, range, to: &out)
    }

    /// A status word, lowercased as records hold it.
    private mutating func status(_ b: UnsafeRawBufferPointer, _ range: Range<Int>?, _ out: inout [UInt8]) {
        guard wants("status") else { return }
        JSONWriter.appendKey("status", to: &out)
        guard let range else { return JSONWriter.appendNull(to: &out) }
        scratch.removeAll(keepingCapacity: true)
        for i in range { scratch.append(ASCII.lower(b[i])) }
        JSONWriter.appendString(scratch, to: &out)
    }

    /// The envelope sender decoded as records decode it (list schemes, SRS, BATV, and
    /// Postfix VERP against the line's own recipient), and the list it names.
    private mutating func sender(_ b: UnsafeRawBufferPointer, _ range: Range<Int>?, recipient: Range<Int>?, _ out: inout [UInt8]) {
        guard let range else {
            address("sender", b, nil, &out)
            return address("list", b, nil, &out)
        }
        let spans = SenderDecoder.decode(
            UnsafeRawBufferPointer(rebasing: b[range]), recipients: (recipient.map { UnsafeRawBufferPointer(rebasing: b[$0]) }, nil),
            into: &decoded)
        decoded.withUnsafeBytes { addresses in
            address("sender", addresses, spans.sender, &out)
            address("list", addresses, spans.list, &out)
        }
    }

    /// A status or reply text: scrubbed, or null when the policy drops status texts.
    private mutating func text(_ b: UnsafeRawBufferPointer, _ range: Range<Int>?, _ out: inout [UInt8]) {
        if p.policy.statusText == .drop {
            JSONWriter.appendKey("text", to: &out)
            JSONWriter.appendNull(to: &out)
        } else {
            optionalScrubbed("text", b, range, &out)
        }
    }

    /// `NAME[ADDR]:PORT` (a relay): the name as the policy says for hostnames, the rest
    /// through the fail-closed scan.
    private mutating func hostAndAddress(_ key: StaticString, _ b: UnsafeRawBufferPointer, _ range: Range<Int>?, _ out: inout [UInt8]) {
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

    private mutating func optionalScrubbed(_ key: StaticString, _ b: UnsafeRawBufferPointer, _ range: Range<Int>?, _ out: inout [UInt8]) {
        if let range { scrubbed(key, b, range, &out) } else { raw(key, b, nil, &out) }
    }

    private mutating func address(_ key: StaticString, _ b: UnsafeRawBufferPointer, _ range: Range<Int>?, _ out: inout [UInt8]) {
        guard wants(key) else { return }
        JSONWriter.appendKey(key, to: &out)
        guard let range else { return JSONWriter.appendNull(to: &out) }
        scratch.removeAll(keepingCapacity: true)
        p.appendAddress(b, range, to: &scratch)
        JSONWriter.appendString(scratch, to: &out)
    }

    private mutating func client(_ b: UnsafeRawBufferPointer, _ client: PostfixEvent.Client, _ out: inout [UInt8]) {
        JSONWriter.appendKey("client_name", to: &out)
        if let name = client.name, p.policy.hostnames != .drop {
            scratch.removeAll(keepingCapacity: true)
            if b.matchesWhole("unknown", name) || name.isEmpty {
                scratch.appendBytes(b, name)
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
        if let address = client.ip, !b.matchesWhole("unknown", address) {
            scratch.removeAll(keepingCapacity: true)
            p.appendIP(b, address, to: &scratch)
            JSONWriter.appendString(scratch, to: &out)
        } else {
            JSONWriter.appendNull(to: &out)
        }
    }

    /// Free text of a span through the fail-closed generic scan.
    private mutating func scrubbed(_ key: StaticString, _ b: UnsafeRawBufferPointer, _ range: Range<Int>, _ out: inout [UInt8]) {
        JSONWriter.appendKey(key, to: &out)
        scratch.removeAll(keepingCapacity: true)
        GenericScan.rewriteVerified(b, range, with: p, into: &scratch)
        JSONWriter.appendString(scratch, to: &out)
    }

    /// An unrecognized line through the whole line scrubber (structural rules too), with
    /// the parse it already had.
    private mutating func scrubbedLine(_ key: StaticString, _ b: UnsafeRawBufferPointer, _ e: PostfixEvent, _ out: inout [UInt8]) {
        JSONWriter.appendKey(key, to: &out)
        scratch.removeAll(keepingCapacity: true)
        scrubber.scrub(b, e, with: p, into: &scratch)
        VerifierRepair.repairForJSON(&scratch, from: 0, with: p)
        JSONWriter.appendString(scratch, to: &out)
    }
}
