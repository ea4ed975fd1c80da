import MailScrubParsing

/// The raw values of one message in one buffer, so that keeping them allocates nothing
/// once a reused `MessageState`'s buffer has grown: each value is an entry `field`, a
/// 4-byte little-endian length and the bytes. A list is one entry whose bytes are items,
/// each a length and bytes. A value set again is marked dead and appended anew; dead
/// entries are squeezed out in place once they outweigh the live ones, so the buffer
/// stays bounded however often a message's lines repeat. A message that holds nothing
/// (most of a flood of unfinished sessions) holds no buffer.
struct RawValues {
    enum Field: UInt8 {
        /// Marks an entry replaced or removed since.
        case dead = 0
        case sender, messageSize, nrcpt, messageID, resentMessageID, inReplyTo, lastReference
        case spamScore, listPost, previousQueueID, notificationFor
        /// Lists of raw addresses: from the logged headers, and the recipients whose
        /// last attempt was deferred (for records at expiry).
        case from, to, cc, bcc, deferred
    }

    private(set) var bytes: [UInt8] = []
    /// Bit `field.rawValue` is set for each field held: most lookups are of fields a
    /// message does not have, and need no scan then.
    private var present: UInt32 = 0
    private var deadBytes = 0
    /// Where the list being written starts (its entry), while one is.
    private var openList: Int?

    static let headerSize = 5

    /// Forgets every value, keeping the buffer.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        present = 0
        deadBytes = 0
        openList = nil
    }

    mutating func set(_ field: Field, _ b: UnsafeRawBufferPointer, _ range: Range<Int>) {
        kill(field)
        appendHeader(field, length: range.count)
        bytes.appendBytes(b, range)
    }

    mutating func remove(_ field: Field) {
        kill(field)
    }

    func has(_ field: Field) -> Bool { present & (1 << field.rawValue) != 0 }

    /// Where `field`'s bytes are in `bytes`, or nil when it is not set.
    func value(_ field: Field) -> Range<Int>? { entry(field).map { $0.value } }

    /// Starts the list `field` (replacing any it had); items follow, then `endList`.
    mutating func startList(_ field: Field) {
        kill(field)
        openList = bytes.count
        appendHeader(field, length: 0)
    }

    mutating func appendItem(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) {
        appendLength(range.count)
        bytes.appendBytes(b, range)
    }

    mutating func endList() {
        guard let start = openList else { return }
        openList = nil
        Self.storeLength(bytes.count - start - Self.headerSize, at: start + 1, in: &bytes)
    }

    /// Calls `body` with each item of the list `field`, as a range of `bytes`.
    func forEachItem(_ field: Field, _ body: (Range<Int>) -> Void) {
        guard let list = value(field) else { return }
        var i = list.lowerBound
        while i < list.upperBound {
            let n = Self.length(at: i, in: bytes)
            body(i + 4..<i + 4 + n)
            i += 4 + n
        }
    }

    /// Takes the items equal to `b[item]` out of the list `field` and, when `append`,
    /// puts one at its end (the list is made when missing).
    mutating func replaceItem(in field: Field, _ b: UnsafeRawBufferPointer, _ item: Range<Int>, append: Bool) {
        guard let found = entry(field) else {
            guard append else { return }
            startList(field)
            appendItem(b, item)
            return endList()
        }
        var start = found.start
        let list = found.value
        var i = list.lowerBound
        var end = list.upperBound
        while i < end {
            let n = Self.length(at: i, in: bytes)
            if n == item.count, bytes[i + 4..<i + 4 + n].elementsEqual(UnsafeRawBufferPointer(rebasing: b[item])) {
                bytes.removeSubrange(i..<i + 4 + n)
                end -= 4 + n
            } else {
                i += 4 + n
            }
        }
        Self.storeLength(end - list.lowerBound, at: start + 1, in: &bytes)
        guard append else { return }
        if end != bytes.count {
            // Moved to the end, where an item can be added.
            let size = end - start
            let moved = bytes.count
            bytes.append(contentsOf: repeatElement(0, count: size))
            bytes.withUnsafeMutableBytes { raw in
                (raw.baseAddress! + moved).copyMemory(from: raw.baseAddress! + start, byteCount: size)
            }
            bytes[start] = Field.dead.rawValue
            deadBytes += size
            start = moved
        }
        openList = start
        appendItem(b, item)
        endList()
        compactIfMostlyDead()
    }

    // MARK: Entries

    private func entry(_ field: Field) -> (start: Int, value: Range<Int>)? {
        guard has(field) else { return nil }
        var i = 0
        while i < bytes.count {
            let n = Self.length(at: i + 1, in: bytes)
            if bytes[i] == field.rawValue { return (i, i + Self.headerSize..<i + Self.headerSize + n) }
            i += Self.headerSize + n
        }
        return nil
    }

    /// Marks `field`'s entry dead, and squeezes dead entries out once they dominate.
    private mutating func kill(_ field: Field) {
        guard let (start, value) = entry(field) else { return }
        present &= ~(1 << field.rawValue)
        bytes[start] = Field.dead.rawValue
        deadBytes += value.upperBound - start
        compactIfMostlyDead()
    }

    /// Squeezes dead entries out once they outweigh the live ones (and a few hundred bytes).
    private mutating func compactIfMostlyDead() {
        if deadBytes > 256, deadBytes * 2 > bytes.count { compact() }
    }

    private mutating func compact() {
        var read = 0, write = 0
        let count = bytes.count
        bytes.withUnsafeMutableBytes { raw in
            while read < count {
                let size = Self.headerSize + Self.length(at: read + 1, in: raw)
                if raw[read] != Field.dead.rawValue {
                    if write != read { (raw.baseAddress! + write).copyMemory(from: raw.baseAddress! + read, byteCount: size) }
                    write += size
                }
                read += size
            }
        }
        bytes.removeSubrange(write...)
        deadBytes = 0
    }

    private mutating func appendHeader(_ field: Field, length: Int) {
        present |= 1 << field.rawValue
        bytes.append(field.rawValue)
        appendLength(length)
    }

    private mutating func appendLength(_ n: Int) {
        let n = UInt32(truncatingIfNeeded: n)
        for k in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: n >> (8 * UInt32(k)))) }
    }

    private static func storeLength(_ n: Int, at i: Int, in bytes: inout [UInt8]) {
        let n = UInt32(truncatingIfNeeded: n)
        for k in 0..<4 { bytes[i + k] = UInt8(truncatingIfNeeded: n >> (8 * UInt32(k))) }
    }

    private static func length<Bytes: RandomAccessCollection<UInt8>>(at i: Int, in bytes: Bytes) -> Int where Bytes.Index == Int {
        Int(bytes[i]) | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2]) << 16 | Int(bytes[i + 3]) << 24
    }
}
