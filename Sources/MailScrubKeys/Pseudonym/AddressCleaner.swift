import MailScrubBase

/// The parts of an address after cleaning, as byte ranges into the input or, for a
/// lowercased local part, into a scratch buffer.
struct CleanedAddress {
    /// The addr-spec with display name, `<>`, quotes and surrounding whitespace removed.
    var local: Range<Int>
    /// The domain without trailing dots; nil when the address has no `@`.
    var domain: Range<Int>?
}

/// Cleans addresses as pseudonym scheme v1 prescribes, on bytes.
enum AddressCleaner {
    /// Finds the addr-spec in `Display Name <a@b>`, `<a@b>`, `"a@b"` or `a@b` and splits it
    /// at the last `@`. Returns nil for the null sender (nothing left after cleaning).
    static func split(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> CleanedAddress? {
        var r = bytes.trimmingSpaces(range)
        // The angle-bracketed part wins over any display name; the last `<` is taken
        // because a quoted display name may itself contain `<`.
        if let open = bytes.lastIndex(of: ASCII.lessThan, from: r.lowerBound, to: r.upperBound) {
            let close = bytes.firstIndex(of: ASCII.greaterThan, from: open + 1, to: r.upperBound) ?? r.upperBound
            r = bytes.trimmingSpaces(open + 1..<close)
        }
        r = stripQuotes(bytes, r, ifWhole: true)
        guard !r.isEmpty else { return nil }
        guard let at = bytes.lastIndex(of: ASCII.at, from: r.lowerBound, to: r.upperBound) else {
            return CleanedAddress(local: stripQuotes(bytes, r, ifWhole: false), domain: nil)
        }
        var domainEnd = r.upperBound
        while domainEnd > at + 1, bytes[domainEnd - 1] == ASCII.dot { domainEnd -= 1 }
        let local = stripQuotes(bytes, bytes.trimmingSpaces(r.lowerBound..<at), ifWhole: false)
        return CleanedAddress(local: local, domain: bytes.trimmingSpaces(at + 1..<domainEnd))
    }

    /// Drops a pair of surrounding double quotes. With `ifWhole`, only when the quotes
    /// enclose the entire value (`"a@b"`), not a quoted local part (`"a b"@c`).
    private static func stripQuotes(_ bytes: UnsafeRawBufferPointer, _ r: Range<Int>, ifWhole: Bool) -> Range<Int> {
        guard r.count >= 2, bytes[r.lowerBound] == ASCII.quote, bytes[r.upperBound - 1] == ASCII.quote else {
            return r
        }
        if ifWhole {
            var i = r.lowerBound + 1
            while i < r.upperBound - 1 {
                if bytes[i] == ASCII.backslash { i += 2; continue }
                if bytes[i] == ASCII.quote { return r }
                i += 1
            }
        }
        return r.lowerBound + 1..<r.upperBound - 1
    }
}
