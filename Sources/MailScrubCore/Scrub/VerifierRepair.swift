import MailScrubBase

/// The last step of every scrub: `OutputVerifier` (what `mailscrub verify` runs) reads
/// the rewritten text, and any token it would flag is replaced once more (twice, then
/// dropped). The scanners above already replace everything shaped like an address, a
/// message-id or an IP address; this makes "whatever verify flags was replaced" hold by
/// construction, also where junk bytes glue a pseudonym to its neighbours.
enum VerifierRepair {
    /// `repair` for text bound for a JSON string: bytes that are not UTF-8 become U+FFFD
    /// first, as `JSONWriter` will write them, so the text repaired is the text `verify`
    /// decodes (`\xE0` and U+FFFD end a domain differently).
    static func repairForJSON(_ out: inout [UInt8], from start: Int, with p: Pseudonymizer) {
        if !out.withUnsafeBytes({ UTF8Sequence.isValid($0, from: start) }) {
            let text = Array(out[start...])
            out.removeSubrange(start...)
            text.withUnsafeBytes { b in
                var i = 0
                while i < b.count {
                    if b[i] < 0x80 {
                        out.append(b[i])
                        i += 1
                    } else if let length = UTF8Sequence.length(b, at: i, end: b.count) {
                        out.appendBytes(b, i..<i + length)
                        i += length
                    } else {
                        out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                        i += 1
                    }
                }
            }
        }
        repair(&out, from: start, with: p)
    }

    /// Repairs `out[start...]`, written with `p`. Twice, what is flagged is replaced by
    /// its pseudonym; from then on it is dropped, until nothing is flagged (dropping a
    /// span can glue what stood around it into a new token: `09:00` + `:` read as IPv6).
    /// Each drop shortens the text; after `dropRounds` the rest of it goes.
    static func repair(_ out: inout [UInt8], from start: Int, with p: Pseudonymizer) {
        let verifier = OutputVerifier(hashBytes: p.options.hashBytes, clearDomains: p.clearDomains)
        for attempt in 0..<2 + dropRounds {
            var flagged: [(Range<Int>, OutputVerifier.Kind)] = []
            out.withUnsafeBytes { all in
                let text = UnsafeRawBufferPointer(rebasing: all[start...])
                verifier.forEachFinding(text) { flagged.append(($0.lowerBound + start..<$0.upperBound + start, $1)) }
            }
            guard !flagged.isEmpty else { return }
            let text = Array(out[start...])
            out.removeSubrange(start...)
            var copied = start
            text.withUnsafeBytes { b in
                for (flaggedSpan, kind) in flagged {
                    // A local part read leftwards may reach into the span before it.
                    guard flaggedSpan.upperBound > copied else { continue }
                    let span = max(flaggedSpan.lowerBound, copied)..<flaggedSpan.upperBound
                    let local = span.lowerBound - start..<span.upperBound - start
                    out.appendBytes(b, copied - start..<local.lowerBound)
                    if attempt < 2 { replace(b, local, kind, with: p, into: &out) }
                    copied = span.upperBound
                }
                out.appendBytes(b, (copied - start)..<b.count)
            }
        }
        // Still flagged after every round: nothing of the text is kept.
        let clean = out.withUnsafeBytes { all in
            var found = false
            verifier.forEachFinding(UnsafeRawBufferPointer(rebasing: all[start...])) { _, _ in found = true }
            return !found
        }
        if !clean { out.removeSubrange(start...) }
    }

    /// Rounds of dropping before the whole text goes. Each round drops every flagged span
    /// and only the seams between them can form new tokens, so two or three suffice.
    private static let dropRounds = 8

    private static func replace(
        _ b: UnsafeRawBufferPointer, _ span: Range<Int>, _ kind: OutputVerifier.Kind, with p: Pseudonymizer, into out: inout [UInt8]
    ) {
        switch kind {
        case .address:
            p.appendHash(.local, of: UnsafeRawBufferPointer(rebasing: b[span]), to: &out)
        case .messageID:
            out.append(ASCII.lessThan)
            p.appendHash(.messageID, of: UnsafeRawBufferPointer(rebasing: b[span.lowerBound + 1..<span.upperBound - 1]), to: &out)
            out.append(ASCII.greaterThan)
        case .ip:
            p.appendHash(.ip, of: UnsafeRawBufferPointer(rebasing: b[span]), to: &out)
        }
    }
}
