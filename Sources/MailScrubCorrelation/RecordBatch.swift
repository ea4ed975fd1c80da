import MailScrubBase
import MailScrubParsing

/// Delivery records and the raw bytes they point into. The correlator appends to a
/// batch and the record encoder reads it; its buffers are kept from batch to batch, so
/// a steady run allocates nothing per record.
package struct RecordBatch {
    package private(set) var records: [DeliveryRecord] = []
    package private(set) var bytes: [UInt8] = []
    /// Items of the records' address lists, as ranges of `bytes`.
    package private(set) var items: [Range<Int>] = []

    package init() {}

    package var isEmpty: Bool { records.isEmpty }

    /// Empties the batch, keeping its buffers.
    package mutating func removeAll() {
        records.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        items.removeAll(keepingCapacity: true)
    }

    mutating func append(_ record: DeliveryRecord) {
        records.append(record)
    }

    /// Copies `b[range]` (lowercased when asked); returns where it went.
    mutating func store(_ b: UnsafeRawBufferPointer, _ range: Range<Int>, lowercased: Bool = false) -> Range<Int> {
        let start = bytes.count
        if lowercased {
            for i in range { bytes.append(ASCII.lower(b[i])) }
        } else {
            bytes.appendBytes(b, range)
        }
        return start..<bytes.count
    }

    mutating func store(_ literal: StaticString) -> Range<Int> {
        let start = bytes.count
        bytes.appendBytes(literal)
        return start..<bytes.count
    }

    mutating func store(queueID key: QueueKey) -> Range<Int> {
        key.withQueueID { store($0, 0..<$0.count) }
    }

    /// Copies a message's value `field`, when it has one.
    mutating func store(_ values: RawValues, _ field: RawValues.Field) -> Range<Int>? {
        guard let range = values.value(field) else { return nil }
        return values.bytes.withUnsafeBytes { store($0, range) }
    }

    /// Copies a message's list `field`, when it has one; returns the range of `items`.
    mutating func storeList(_ values: RawValues, _ field: RawValues.Field) -> Range<Int>? {
        guard values.has(field) else { return nil }
        let first = items.count
        values.bytes.withUnsafeBytes { raw in
            values.forEachItem(field) { items.append(store(raw, $0)) }
        }
        return first..<items.count
    }
}
