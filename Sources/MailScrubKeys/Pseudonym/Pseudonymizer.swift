import MailScrubBase

/// Pseudonym scheme v1: keyed HMAC-SHA256 pseudonyms, one subkey per context.
///
/// - S = the UTF-8 bytes of the secret.
/// - K_C = HMAC-SHA256(S, "mailscrub/v1/" + C) for each `PseudonymContext` C.
/// - H_C(x) = lowercase hex of the first N bytes of HMAC-SHA256(K_C, x).
/// - key id = lowercase hex of the first 4 bytes of HMAC-SHA256(S, "mailscrub/v1/key-id").
///
/// Not thread-safe (it reuses keyed contexts and scratch buffers); use one per thread.
public final class Pseudonymizer {
    /// Identifies the secret without revealing it; safe to print and to store in output.
    public let keyID: String
    /// `keyID` as bytes, as records and events write it (no conversion per line).
    package let keyIDBytes: [UInt8]
    /// The scheme settings this instance hashes with.
    public let options: PseudonymOptions
    /// How IP addresses, hostnames and listed domains are written (from the policy).
    public let policy: Policy
    /// `policy.clearDomains` as bytes (lowercase, as written in output).
    package let clearDomains: [[UInt8]]

    /// One keyed context per context, indexed by `PseudonymContext.rawValue`.
    private let contexts: [HMACSHA256]
    /// Recent pseudonyms, so repeated values skip the HMAC.
    private let cache: PseudonymCache
    /// HMAC output, then its hex form; reused for every value (32 + 64 bytes).
    private let digest: UnsafeMutableRawBufferPointer

    /// Derives the subkeys from `secret`. The secret bytes are not kept. `memoShare`: see
    /// `replica(memoShare:)`.
    public init(secret: [UInt8], options: PseudonymOptions = PseudonymOptions(), policy: Policy = .builtInDefault, memoShare: Int = 1) {
        precondition(PseudonymOptions.hashBytesRange.contains(options.hashBytes))
        self.options = options
        self.policy = policy
        clearDomains = policy.clearDomains.map { Array($0.utf8) }
        let master = HMACSHA256(key: secret)
        contexts = PseudonymContext.allCases.map { context in
            var subkey = master.authenticate(Array("mailscrub/v1/\(context.name)".utf8))
            defer { wipe(&subkey) }
            return HMACSHA256(key: subkey)
        }
        let id = master.authenticate(Array("mailscrub/v1/key-id".utf8))
        keyID = ASCII.hex(id.prefix(4))
        keyIDBytes = Array(keyID.utf8)
        cache = PseudonymCache(outputLength: 2 * options.hashBytes, slotsPerContext: Self.memoSlots(sharedBy: memoShare))
        digest = .allocate(byteCount: 3 * HMACSHA256.outputByteCount, alignment: 16)
    }

    /// A pseudonymizer under the same key for another thread: its own keyed contexts,
    /// memo and scratch buffers. `memoShare` of them share the memory of one memo (a
    /// smaller memo each: it only saves HMACs, it never changes a pseudonym), so that
    /// many threads do not take a memo each.
    public func replica(memoShare: Int = 1) -> Pseudonymizer {
        Pseudonymizer(copying: self, memoSlots: Self.memoSlots(sharedBy: memoShare))
    }

    /// Slots per context of a memo shared by `share`: a power of two, at least 256.
    package static func memoSlots(sharedBy share: Int) -> Int {
        var slots = PseudonymCache.defaultSlotsPerContext
        while slots > 256, slots * max(1, share) > PseudonymCache.defaultSlotsPerContext { slots /= 2 }
        return slots
    }

    private init(copying other: Pseudonymizer, memoSlots: Int) {
        options = other.options
        policy = other.policy
        clearDomains = other.clearDomains
        contexts = other.contexts.map { $0.copy() }
        keyID = other.keyID
        keyIDBytes = other.keyIDBytes
        cache = PseudonymCache(outputLength: 2 * options.hashBytes, slotsPerContext: memoSlots)
        digest = .allocate(byteCount: 3 * HMACSHA256.outputByteCount, alignment: 16)
    }

    deinit {
        digest.initializeMemory(as: UInt8.self, repeating: 0)
        digest.deallocate()
    }

    /// Convenience for a secret given as text (its UTF-8 bytes are the key).
    public convenience init(secret: String, options: PseudonymOptions = PseudonymOptions(), policy: Policy = .builtInDefault) {
        var bytes = Array(secret.utf8)
        defer { wipe(&bytes) }
        self.init(secret: bytes, options: options, policy: policy)
    }

    /// Lowercase hex of the full HMAC-SHA256(K_manifest, body): the seal of a run manifest.
    public func manifestMAC(_ body: [UInt8]) -> String {
        let mac = contexts[PseudonymContext.manifest.rawValue].authenticate(body)
        return ASCII.hex(mac)
    }

    /// Appends H_context(value) to `output`.
    public func appendHash(_ context: PseudonymContext, of value: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        let slot = cache.slot(context, value)
        if let slot, let remembered = cache.lookup(slot, value) {
            output.appendBytes(UnsafeRawBufferPointer(remembered))
            return
        }
        let n = options.hashBytes
        let mac = UnsafeMutableRawBufferPointer(rebasing: digest[0..<HMACSHA256.outputByteCount])
        contexts[context.rawValue].authenticate(value, into: mac)
        let hex = (digest.baseAddress! + HMACSHA256.outputByteCount).assumingMemoryBound(to: UInt8.self)
        for k in 0..<n {
            hex[2 * k] = ASCII.hexDigit(mac[k] >> 4)
            hex[2 * k + 1] = ASCII.hexDigit(mac[k] & 0x0F)
        }
        let pseudonym = UnsafeBufferPointer(start: hex, count: 2 * n)
        output.appendBytes(UnsafeRawBufferPointer(pseudonym))
        if let slot { cache.store(slot, value, pseudonym) }
    }

    /// Appends the pseudonym of an address: H_local(local) "@" H_domain(domain), or
    /// H_local(local) without a domain, or nothing for the null sender.
    /// `range` may hold a display name, angle brackets or quotes; they are cleaned off.
    public func appendAddress(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, to output: inout [UInt8]) {
        guard let parts = AddressCleaner.split(bytes, range) else { return }
        if !parts.local.isEmpty {
            appendLocalPart(bytes, parts.local, to: &output)
        }
        guard let domain = parts.domain, !domain.isEmpty else { return }
        output.append(ASCII.at)
        appendDomain(bytes, domain, to: &output)
    }

    /// Appends H_domain of a domain's lowercase form (in clear if the policy lists it).
    public func appendDomain(_ bytes: UnsafeRawBufferPointer, _ domain: Range<Int>, to output: inout [UInt8]) {
        withUnsafeTemporaryAllocation(byteCount: domain.count, alignment: 1) { lowered in
            for (k, i) in domain.enumerated() { lowered[k] = ASCII.lower(bytes[i]) }
            let name = UnsafeRawBufferPointer(lowered)
            if !clearDomains.isEmpty, clearDomains.contains(where: { $0.elementsEqual(name) }) {
                output.append(contentsOf: name)  // listed by the policy: written in clear
            } else {
                appendHash(.domain, of: name, to: &output)
            }
        }
    }

    /// Appends an IP address as the policy says: H_ip as written, H_ip of its /24 or /48,
    /// a zero address, or nothing.
    public func appendIP(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, to output: inout [UInt8]) {
        switch policy.ip {
        case .hash:
            appendHash(.ip, of: UnsafeRawBufferPointer(rebasing: bytes[range]), to: &output)
        case .truncate:
            if let network = IPTruncation.truncated(bytes, range) {
                network.withUnsafeBytes { appendHash(.ip, of: $0, to: &output) }
            } else {
                appendHash(.ip, of: UnsafeRawBufferPointer(rebasing: bytes[range]), to: &output)
            }
        case .zero:
            let isV6 = bytes[range].contains(ASCII.colon)
            output.append(contentsOf: isV6 ? [ASCII.colon, ASCII.colon] : Array("0.0.0.0".utf8))
        case .drop:
            break
        }
    }

    /// Appends a hostname as the policy says: as it is, H_host of its lowercase form, or nothing.
    public func appendHostname(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, to output: inout [UInt8]) {
        switch policy.hostnames {
        case .keep:
            output.appendBytes(bytes, range)
        case .hash:
            withUnsafeTemporaryAllocation(byteCount: range.count, alignment: 1) { lowered in
                for (k, i) in range.enumerated() { lowered[k] = ASCII.lower(bytes[i]) }
                appendHash(.host, of: UnsafeRawBufferPointer(lowered), to: &output)
            }
        case .drop:
            break
        }
    }

    /// Appends H_local of a local part after lowercasing (if configured) and cutting
    /// the extension at the first recipient delimiter that is not its first byte.
    private func appendLocalPart(_ bytes: UnsafeRawBufferPointer, _ local: Range<Int>, to output: inout [UInt8]) {
        let delimiters = options.recipientDelimiters
        let lower = options.lowercaseLocalPart
        withUnsafeTemporaryAllocation(byteCount: local.count, alignment: 1) { cleaned in
            var count = 0
            for i in local {
                let b = bytes[i]
                if i > local.lowerBound, delimiters.contains(b) { break }
                cleaned[count] = lower ? ASCII.lower(b) : b
                count += 1
            }
            appendHash(.local, of: UnsafeRawBufferPointer(rebasing: cleaned[0..<count]), to: &output)
        }
    }

    /// Appends H_message-id of a message-id: the text inside `<>` if present, trimmed of whitespace.
    public func appendMessageID(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, to output: inout [UInt8]) {
        var r = bytes.trimmingSpaces(range)
        if r.count >= 2, bytes[r.lowerBound] == ASCII.lessThan, bytes[r.upperBound - 1] == ASCII.greaterThan {
            r = bytes.trimmingSpaces(r.lowerBound + 1..<r.upperBound - 1)
        }
        appendHash(.messageID, of: UnsafeRawBufferPointer(rebasing: bytes[r]), to: &output)
    }

    // MARK: String conveniences (for `mailscrub hash`, config checks and tests; not hot paths)

    /// The pseudonym of an address, cleaned as the scheme says; "" for the null sender.
    public func pseudonym(address: String) -> String {
        render(address) { bytes, out in appendAddress(bytes, 0..<bytes.count, to: &out) }
    }

    /// The pseudonym of a message-id, given with or without `<>`.
    public func pseudonym(messageID: String) -> String {
        render(messageID) { bytes, out in appendMessageID(bytes, 0..<bytes.count, to: &out) }
    }

    /// The pseudonym of an IP address, hashed as written.
    public func pseudonym(ip: String) -> String {
        render(ip) { bytes, out in appendHash(.ip, of: bytes, to: &out) }
    }

    /// The pseudonym of a hostname, lowercased first.
    public func pseudonym(host: String) -> String {
        render(host.lowercased()) { bytes, out in appendHash(.host, of: bytes, to: &out) }
    }

    /// What output under the policy holds for an IP address: H_ip as written, of its
    /// /24 or /48, a zero address, or nothing.
    public func rendered(ip: String) -> String {
        render(ip) { bytes, out in appendIP(bytes, 0..<bytes.count, to: &out) }
    }

    /// What output under the policy holds for a hostname: the name, H_host, or nothing.
    public func rendered(host: String) -> String {
        render(host) { bytes, out in appendHostname(bytes, 0..<bytes.count, to: &out) }
    }

    private func render(_ value: String, _ body: (UnsafeRawBufferPointer, inout [UInt8]) -> Void) -> String {
        var out: [UInt8] = []
        var input = Array(value.utf8)
        input.withUnsafeBytes { body($0, &out) }
        input.removeAll()
        return String(decoding: out, as: UTF8.self)
    }
}
