import MailScrubBase
import MailScrubKeys
import MailScrubParsing

/// Writes the fields of one delivery record, in `Policy.recordFields` order, as JSON
/// members: pseudonymizing with the record's key and leaving out, coarsening and
/// bucketing as its policy says. A struct with the output passed in, so the per-field
/// calls need no closure context or runtime exclusivity check. Raw values are ranges of
/// `raw` (the record's batch), lists ranges of `items`.
struct RecordFieldWriter {
    let p: Pseudonymizer
    let policy: Policy
    let raw: UnsafeRawBufferPointer
    let items: [Range<Int>]
    /// Pseudonyms rendered before writing began, which `pseudonym(_:_:)` spans point into.
    let rendered: [UInt8]
    /// Position of the next field in `Policy.recordFields` (bit i of the drop mask is field i).
    private var index = 0

    init(p: Pseudonymizer, raw: UnsafeRawBufferPointer, items: [Range<Int>], rendered: [UInt8]) {
        self.p = p
        self.policy = p.policy
        self.raw = raw
        self.items = items
        self.rendered = rendered
    }

    /// Writes `field`'s key and returns true, or returns false when the policy drops it.
    mutating func key(_ field: StaticString, _ out: inout [UInt8]) -> Bool {
        defer { index += 1 }
        if policy.droppedFieldMask & (1 << index) != 0 { return false }
        JSONWriter.appendKey(field, to: &out)
        return true
    }

    mutating func plain(_ field: StaticString, _ value: Range<Int>?, _ out: inout [UInt8]) {
        guard key(field, &out) else { return }
        if let value { JSONWriter.appendPlainString(raw, value, to: &out) } else { JSONWriter.appendNull(to: &out) }
    }

    mutating func string(_ field: StaticString, _ value: Range<Int>?, _ out: inout [UInt8]) {
        guard key(field, &out) else { return }
        if let value { JSONWriter.appendString(raw, value, to: &out) } else { JSONWriter.appendNull(to: &out) }
    }

    /// A pseudonym already rendered, at `span` of `rendered`.
    mutating func pseudonym(_ field: StaticString, _ span: Range<Int>?, _ out: inout [UInt8]) {
        guard key(field, &out) else { return }
        if let span { writeSpan(span, &out) } else { JSONWriter.appendNull(to: &out) }
    }

    /// An array of rendered pseudonyms, or null when the header was not `logged`.
    mutating func pseudonyms(_ field: StaticString, _ logged: Bool, _ spans: [Range<Int>], _ out: inout [UInt8]) {
        guard key(field, &out) else { return }
        guard logged else { return JSONWriter.appendNull(to: &out) }
        appendArray(spans, &out) { span, out in writeSpan(span, &out) }
    }

    mutating func address(_ field: StaticString, _ value: Range<Int>?, _ out: inout [UInt8]) {
        guard key(field, &out) else { return }
        guard let value else { return JSONWriter.appendNull(to: &out) }
        appendAddress(value, &out)
    }

    /// A list of addresses: `list` is a range of `items`.
    mutating func addresses(_ field: StaticString, _ list: Range<Int>?, _ out: inout [UInt8]) {
        guard key(field, &out) else { return }
        guard let list else { return JSONWriter.appendNull(to: &out) }
        appendArray(items[list], &out) { value, out in appendAddress(value, &out) }
    }

    mutating func messageID(_ field: StaticString, _ value: Range<Int>?, _ out: inout [UInt8]) {
        guard key(field, &out) else { return }
        guard let value else { return JSONWriter.appendNull(to: &out) }
        out.append(ASCII.quote)
        p.appendHash(.messageID, of: UnsafeRawBufferPointer(rebasing: raw[value]), to: &out)
        out.append(ASCII.quote)
    }

    /// A decimal as logged; a message size in the policy's log2 buckets when it asks.
    mutating func number(_ field: StaticString, _ value: Range<Int>?, size: Bool = false, _ out: inout [UInt8]) {
        guard key(field, &out) else { return }
        guard let value else { return JSONWriter.appendNull(to: &out) }
        if size, policy.sizes == .log2, let n = ASCII.decimal(raw, value) {
            JSONWriter.appendInteger(Coarsening.log2Bucket(n), to: &out)
        } else {
            JSONWriter.appendNumber(raw, value, to: &out)
        }
    }

    mutating func integer(_ field: StaticString, _ value: Int?, _ out: inout [UInt8]) {
        guard key(field, &out) else { return }
        if let value { JSONWriter.appendInteger(value, to: &out) } else { JSONWriter.appendNull(to: &out) }
    }

    mutating func bool(_ field: StaticString, _ value: Bool?, _ out: inout [UInt8]) {
        guard key(field, &out) else { return }
        JSONWriter.appendBool(value, to: &out)
    }

    /// A time at the policy's precision.
    mutating func time(_ field: StaticString, _ value: LogTime?, _ out: inout [UInt8]) {
        guard key(field, &out) else { return }
        guard let value else { return JSONWriter.appendNull(to: &out) }
        out.append(ASCII.quote)
        Coarsening.time(value, policy.timePrecision).appendRFC3339(to: &out)
        out.append(ASCII.quote)
    }

    /// `delays=a/b/c/d` as an array of numbers.
    mutating func delays(_ field: StaticString, _ value: Range<Int>?, _ out: inout [UInt8]) {
        guard key(field, &out) else { return }
        guard let value else { return JSONWriter.appendNull(to: &out) }
        JSONWriter.appendDelays(raw, value, to: &out)
    }

    /// `[a,b,…]`, each item written by `write`.
    private func appendArray<Items: Collection>(_ items: Items, _ out: inout [UInt8], _ write: (Items.Element, inout [UInt8]) -> Void) {
        out.append(ASCII.leftBracket)
        for (k, item) in items.enumerated() {
            if k > 0 { out.append(ASCII.comma) }
            write(item, &out)
        }
        out.append(ASCII.rightBracket)
    }

    private func appendAddress(_ value: Range<Int>, _ out: inout [UInt8]) {
        out.append(ASCII.quote)
        p.appendAddress(raw, value, to: &out)
        out.append(ASCII.quote)
    }

    private func writeSpan(_ span: Range<Int>, _ out: inout [UInt8]) {
        out.append(ASCII.quote)
        rendered.withUnsafeBytes { out.appendBytes($0, span) }
        out.append(ASCII.quote)
    }
}
