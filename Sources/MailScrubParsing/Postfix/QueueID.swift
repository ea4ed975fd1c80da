import MailScrubBase

/// Postfix queue ids: short (uppercase hex) and long (`enable_long_queue_ids`) forms.
public enum QueueID {
    /// Whether `range` of `b` is a queue id or `NOQUEUE`.
    public static func isQueueID(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        let n = range.count
        guard n >= 5, n <= 32 else { return false }
        if n == 7, b.matches("NOQUEUE", at: range.lowerBound) { return true }
        var shortForm = true
        var longForm = n >= 10
        var sawZ = false
        for i in range {
            let c = b[i]
            if !(ASCII.isDigit(c) || c &- 0x41 < 6) { shortForm = false }
            if !isLongFormByte(c) { longForm = false }
            if c == 0x7A { sawZ = true }  // z
        }
        return shortForm || (longForm && sawZ)
    }

    /// The queue id at `start` when it is followed by `: `, as a range; else nil.
    public static func prefix(_ b: UnsafeRawBufferPointer, at start: Int) -> Range<Int>? {
        var j = start
        let limit = min(b.count, start + 33)
        while j < limit, ASCII.isAlnum(b[j]) { j += 1 }
        guard j < b.count, b[j] == ASCII.colon,
              j + 1 == b.count || b[j + 1] == ASCII.space,
              isQueueID(b, start..<j) else { return nil }
        return start..<j
    }

    /// Long queue ids use digits and letters without vowels, with a `z` before the inode part.
    static func isLongFormByte(_ b: UInt8) -> Bool { ASCII.inSet(b, 0x03FF_0000_0000_0000, 0x07DF_7DDC_07DF_7DDC) }
}
