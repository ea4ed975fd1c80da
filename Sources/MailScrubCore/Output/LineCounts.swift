import MailScrubBase

/// What `--stats` reports of the lines read. One value, so that counting a line is one
/// access to the pipeline's state (one runtime exclusivity check), not one per counter.
struct LineCounts {
    var lines = 0
    /// Lines longer than the splitter's cap, whose tails were dropped.
    var truncated = 0
    var withNUL = 0
    var withInvalidUTF8 = 0
    /// Lines from Postfix (see `Pipeline.postfixLineCount`).
    var postfix = 0
    /// Lines of journald `-o export` entries, and journald JSON entries.
    var exportLines = 0
    var journalLines = 0
    /// Indexed like `PostfixEvent.Kind.allCases`, `LineOutcome.allCases` and
    /// `SyslogHeader.Format.allCases`.
    var byKind = [Int](repeating: 0, count: PostfixEvent.Kind.allCases.count)
    var byOutcome = [Int](repeating: 0, count: LineOutcome.allCases.count)
    var byFormat = [Int](repeating: 0, count: SyslogHeader.Format.allCases.count)

    /// A line as read; its UTF-8 is checked only when `checkUTF8` (a pass over every byte).
    mutating func read(_ line: Line, checkUTF8: Bool) {
        lines += 1
        if line.truncated { truncated += 1 }
        if line.bytes.contains(byte: 0) { withNUL += 1 }
        if checkUTF8, !UTF8Sequence.isValid(line.bytes) { withInvalidUTF8 += 1 }
    }

    /// A line by outcome and kind, and (`format`, for lines as read, not the syslog
    /// lines journald entries make) by header format.
    mutating func parsed(_ event: PostfixEvent, _ outcome: LineOutcome, format: Bool) {
        if format { byFormat[event.header.format.index] += 1 }
        byOutcome[outcome.index] += 1
        byKind[event.kind.index] += 1
        // A line a Postfix parser understood is Postfix's whatever its syslog_name; a
        // content filter's is not.
        if outcome == .postfixUnsupported || (outcome == .understood && event.kind != .contentFilter) {
            postfix += 1
        }
    }

    /// Adds a worker's counts (at the end of a parallel run).
    mutating func add(_ other: LineCounts) {
        lines += other.lines
        truncated += other.truncated
        withNUL += other.withNUL
        withInvalidUTF8 += other.withInvalidUTF8
        postfix += other.postfix
        exportLines += other.exportLines
        journalLines += other.journalLines
        for i in byKind.indices { byKind[i] += other.byKind[i] }
        for i in byOutcome.indices { byOutcome[i] += other.byOutcome[i] }
        for i in byFormat.indices { byFormat[i] += other.byFormat[i] }
    }
}
