import MailScrubBase

/// Cuts IP addresses to their network for `ip: truncate` policies: IPv4 to the /24
/// (`192.0.2.77` → `192.0.2.0`), IPv6 to the /48 (`2001:db8:7::41` → `2001:db8:7::`).
enum IPTruncation {
    /// The truncated text of the address in `range`, or nil when it does not parse.
    static func truncated(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> [UInt8]? {
        if let v4 = IPScanner.ipv4(b, at: range.lowerBound, end: range.upperBound), v4.upperBound == range.upperBound {
            guard let lastDot = b.lastIndex(of: ASCII.dot, from: range.lowerBound, to: range.upperBound) else { return nil }
            return Array(UnsafeRawBufferPointer(rebasing: b[range.lowerBound...lastDot])) + [0x30]
        }
        guard let groups = ipv6Groups(b, range) else { return nil }
        var out: [UInt8] = []
        for (k, group) in groups.prefix(3).enumerated() {
            if k > 0 { out.append(ASCII.colon) }
            out.append(contentsOf: Array(String(group, radix: 16).utf8))
        }
        out.append(contentsOf: [ASCII.colon, ASCII.colon])
        return out
    }

    /// The eight 16-bit groups of an IPv6 address (with `::` and a dotted IPv4 tail).
    static func ipv6Groups(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> [UInt16]? {
        let text = Array(UnsafeRawBufferPointer(rebasing: b[range]))
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var sawDouble = false
        var parts = text.split(separator: ASCII.colon, omittingEmptySubsequences: false).map(Array.init)
        // `::` makes empty parts at its place (and at the ends for `::1`, `fe80::`).
        if parts.first == [], parts.count > 1, parts[1] == [] { parts.removeFirst() }
        if parts.last == [], parts.count > 1, parts[parts.count - 2] == [] { parts.removeLast() }
        for part in parts {
            if part.isEmpty {
                guard !sawDouble else { return nil }
                sawDouble = true
                continue
            }
            var groups: [UInt16] = []
            if part.contains(ASCII.dot) {
                let octets = part.split(separator: ASCII.dot).compactMap { UInt16(String(decoding: $0, as: UTF8.self)) }
                guard octets.count == 4, octets.allSatisfy({ $0 <= 255 }) else { return nil }
                groups = [octets[0] << 8 | octets[1], octets[2] << 8 | octets[3]]
            } else {
                guard part.count <= 4, let value = UInt16(String(decoding: part, as: UTF8.self), radix: 16) else { return nil }
                groups = [value]
            }
            if sawDouble { tail += groups } else { head += groups }
        }
        let missing = 8 - head.count - tail.count
        guard missing >= 0, sawDouble || missing == 0 else { return nil }
        return head + [UInt16](repeating: 0, count: missing) + tail
    }
}
