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

    /// Decodes `sender` for a delivery to `recipients` (the recipient and original recipient).
    public static func decode(_ sender: [UInt8], recipients: [[UInt8]]) -> Decoded {
        guard let at = sender.lastIndex(of: ASCII.at), at > 0 else { return Decoded(sender: sender, list: nil) }
        let local = Array(sender[..<at])
        let host = Array(sender[at...])  // with the `@`
        let lower = local.map(ASCII.lower)

        if let srs = srs(local, lower) { return Decoded(sender: srs, list: nil) }
        for prefix in ["prvs=", "msprvs1="] where lower.starts(with: Array(prefix.utf8)) {
            let rest = local.dropFirst(prefix.utf8.count)
            if let eq = rest.firstIndex(of: ASCII.equals), eq > rest.startIndex, eq + 1 < rest.endIndex {
                return Decoded(sender: Array(rest[(eq + 1)...]) + host, list: nil)
            }
        }
        if lower.starts(with: Array("bounce-".utf8)), let first = local.firstIndex(of: ASCII.equals),
           let last = local.lastIndex(of: ASCII.equals), first < last, first > 7, last + 1 < local.count {
            let name = Array(local[7..<first])
            return Decoded(sender: Array(local[..<first]) + host, list: name + host)
        }
        if let marker = find(Array("-bounces+".utf8), in: lower), marker > 0 {
            return Decoded(sender: Array(local[..<(marker + 8)]) + host, list: Array(local[..<marker]) + host)
        }
        if let marker = find(Array("-return-".utf8), in: lower), marker > 0, local.contains(ASCII.equals) {
            return Decoded(sender: Array(local[..<(marker + 7)]) + host, list: Array(local[..<marker]) + host)
        }
        for prefix in ["bounce+", "bounces+"] where lower.starts(with: Array(prefix.utf8)) && local.contains(ASCII.equals) {
            return Decoded(sender: Array(local[..<(prefix.utf8.count - 1)]) + host, list: nil)
        }
        if let base = postfixVERPBase(local, lower, recipients: recipients) {
            return Decoded(sender: base + host, list: base + host)
        }
        return Decoded(sender: sender, list: nil)
    }

    /// SRS0/SRS1: the original sender, or nil.
    private static func srs(_ local: [UInt8], _ lower: [UInt8]) -> [UInt8]? {
        guard local.count > 5, lower[0] == 0x73, lower[1] == 0x72, lower[2] == 0x73,  // srs
              local[3] == 0x30 || local[3] == 0x31,
              [ASCII.equals, ASCII.plus, ASCII.hyphen].contains(local[4]) else { return nil }
        var fields = Array(local[5...])
        if local[3] == 0x31 {
            // SRS1=HHHH=first-forwarder==HHHH=TT=orig-domain=orig-local
            guard let double = find([ASCII.equals, ASCII.equals], in: fields) else { return nil }
            fields = Array(fields[(double + 2)...])
        }
        let parts = fields.split(separator: ASCII.equals, maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        return Array(parts[3]) + [ASCII.at] + Array(parts[2])
    }

    /// `BASE<d>rlocal=rdomain` where rlocal@rdomain is one of `recipients` and `<d>` is
    /// `+` or `-`: BASE, else nil.
    private static func postfixVERPBase(_ local: [UInt8], _ lower: [UInt8], recipients: [[UInt8]]) -> [UInt8]? {
        for recipient in recipients {
            guard let at = recipient.lastIndex(of: ASCII.at) else { continue }
            let encoded = (recipient[..<at] + [ASCII.equals] + recipient[(at + 1)...]).map(ASCII.lower)
            guard lower.count > encoded.count + 1, lower.suffix(encoded.count).elementsEqual(encoded) else { continue }
            let delimiterIndex = lower.count - encoded.count - 1
            guard local[delimiterIndex] == ASCII.plus || local[delimiterIndex] == ASCII.hyphen, delimiterIndex > 0 else {
                continue
            }
            return Array(local[..<delimiterIndex])
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i..<(i + needle.count)].elementsEqual(needle) {
            return i
        }
        return nil
    }
}
