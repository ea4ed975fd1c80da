import MailScrubParsing

/// Short values that repeat from record to record (host, transport, status, DSN code,
/// delays), kept once: a record takes the kept array, a reference, instead of a fresh
/// copy per record. Direct-mapped by a hash of the bytes, so a lookup is one compare and
/// memory stays bounded whatever the input; a value that misses is copied and kept.
struct WordCache {
    private var slots = [[UInt8]?](repeating: nil, count: 512)

    /// The bytes of `range`, lowercased when asked, from the cache when they are there.
    mutating func word(_ b: UnsafeRawBufferPointer, _ range: Range<Int>, lowercased: Bool = false) -> [UInt8] {
        // Long values rarely repeat; they are copied as they are.
        guard range.count <= 32 else { return copy(b, range, lowercased) }
        var hash: UInt32 = 2_166_136_261
        for i in range {
            let c = lowercased ? ASCII.lower(b[i]) : b[i]
            hash = (hash ^ UInt32(c)) &* 16_777_619
        }
        let slot = Int(hash & UInt32(slots.count - 1))
        if let kept = slots[slot], kept.count == range.count,
           kept.withUnsafeBufferPointer({ k in
               (0..<range.count).allSatisfy { i in
                   let c = b[range.lowerBound + i]
                   return k[i] == (lowercased ? ASCII.lower(c) : c)
               }
           }) {
            return kept
        }
        let word = copy(b, range, lowercased)
        slots[slot] = word
        return word
    }

    private func copy(_ b: UnsafeRawBufferPointer, _ range: Range<Int>, _ lowercased: Bool) -> [UInt8] {
        lowercased ? range.map { ASCII.lower(b[$0]) } : Array(UnsafeRawBufferPointer(rebasing: b[range]))
    }
}
