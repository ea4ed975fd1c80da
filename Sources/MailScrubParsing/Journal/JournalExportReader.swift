import MailScrubBase

/// Reads `journalctl -o export` line by line: an entry is `KEY=value` lines, or for a
/// value holding a newline or other bytes, `KEY`, a line break, the value's length
/// (8 bytes, little-endian), the value and a line break; an empty line ends it.
///
/// An entry starts at a line `__CURSOR=…` or `__REALTIME_TIMESTAMP=…` (how journalctl
/// begins each one), so export entries and syslog lines can be told apart line by line.
/// Fields mailscrub does not read are dropped on the way.
package struct JournalExportReader {
    /// What a line was.
    package enum Step {
        /// Not part of an entry: a line of text.
        case text
        /// A field of the entry being read.
        case field
        /// The empty line after an entry: `entry` holds it.
        case entry
        /// A line that cannot belong to the entry being read: `entry` holds what was
        /// read of it, and the line is text.
        case entryThenText
    }

    package private(set) var entry = JournalEntry()
    private var inEntry = false
    /// The name of a binary field whose value is being read, and the bytes read so far
    /// (length and value, with the line breaks the line splitter took out).
    private var binaryName: [UInt8]?
    private var binary: [UInt8] = []

    package init() {}

    /// True between entries: input may be cut here without cutting one.
    package var isIdle: Bool { !inEntry }

    package mutating func read(_ b: UnsafeRawBufferPointer) -> Step {
        if binaryName != nil {
            binary.append(contentsOf: b)
            binary.append(ASCII.newline)
            return binaryValueStep()
        }
        guard inEntry else {
            guard b.matches("__CURSOR=", at: 0) || b.matches("__REALTIME_TIMESTAMP=", at: 0) else { return .text }
            inEntry = true
            entry.reset()
            return field(b) ? .field : .text
        }
        if b.isEmpty || (b.count == 1 && b[0] == ASCII.carriageReturn) {
            inEntry = false
            entry.finish()
            return .entry
        }
        if field(b) { return .field }
        inEntry = false
        entry.finish()
        return .entryThenText
    }

    /// Ends the input: true (and `entry` holds it) when an entry was being read.
    package mutating func finish() -> Bool {
        guard inEntry else { return false }
        inEntry = false
        if let name = binaryName, binary.count > 8 {
            // A value cut by the end of the input: what there is of it.
            let value = binary[8...].dropLast()
            name.withUnsafeBytes { n in value.withUnsafeBytes { entry.set(n, $0) } }
        }
        binaryName = nil
        entry.finish()
        return true
    }

    /// Reads `KEY=value` or a binary field's `KEY`; false when the line is neither.
    private mutating func field(_ b: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        while i < b.count, Self.isNameByte(b[i]) { i += 1 }
        guard i > 0 else { return false }
        if i == b.count {
            binaryName = Array(b)
            binary.removeAll(keepingCapacity: true)
            return true
        }
        guard b[i] == ASCII.equals else { return false }
        entry.set(UnsafeRawBufferPointer(rebasing: b[0..<i]), UnsafeRawBufferPointer(rebasing: b[(i + 1)...]))
        return true
    }

    /// Once the length and that many bytes and a line break are in, the field is done.
    private mutating func binaryValueStep() -> Step {
        guard binary.count >= 8, let name = binaryName else { return .field }
        var length: UInt64 = 0
        for k in 0..<8 { length |= UInt64(binary[k]) << (8 * UInt64(k)) }
        // The line splitter caps a line at 1 MiB: a longer value cannot come through whole.
        guard length <= UInt64(LineSplitter.defaultMaxLineLength) else {
            binaryName = nil
            inEntry = false
            entry.finish()
            return .entryThenText
        }
        let needed = 8 + Int(length) + 1
        guard binary.count >= needed else { return .field }
        binaryName = nil
        guard binary.count == needed else {
            // The value's closing line break was not where the length says.
            inEntry = false
            entry.finish()
            return .entryThenText
        }
        name.withUnsafeBytes { n in binary.withUnsafeBytes { entry.set(n, UnsafeRawBufferPointer(rebasing: $0[8..<needed - 1])) } }
        return .field
    }

    /// Bytes of a journal field name: upper-case letters, digits, `_`.
    private static func isNameByte(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || ASCII.isDigit(c) || c == ASCII.underscore
    }
}
