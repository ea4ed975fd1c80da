import MailScrubBase

/// Parses one log line into a `PostfixEvent`, choosing the parser by the daemon name
/// (the last component of the syslog tag). Adding a daemon is one file and one table row.
/// Never fails: a line nobody recognises is an `.unrecognized` event.
public enum EventParser {
    typealias Parser = @Sendable (UnsafeRawBufferPointer, inout PostfixEvent, Int) -> Bool

    /// Daemons whose lines start with a queue id, and their parsers.
    private static let daemons: [(StaticString, Parser)] = [
        ("smtpd", Smtpd.parse), ("postscreen", Smtpd.parse), ("qmgr", Qmgr.parse), ("oqmgr", Qmgr.parse),
        ("cleanup", Cleanup.parse), ("pickup", Pickup.parse), ("bounce", Bounce.parse),
        ("smtp", Delivery.parse), ("lmtp", Delivery.parse), ("local", Delivery.parse), ("virtual", Delivery.parse),
        ("pipe", Delivery.parse), ("error", Delivery.parse), ("discard", Delivery.parseDiscard), ("retry", Delivery.parse),
    ]

    /// Parsers tried, in order, on a queue id line that has no syslog tag.
    private static let prefixlessParsers: [Parser] = [
        // Cleanup before smtpd: both read `reject:`, but only cleanup's may hold logged content.
        Delivery.parse, Qmgr.parse, Pickup.parse, Cleanup.parse, Smtpd.parse, Bounce.parse,
    ]

    public static func parse(_ b: UnsafeRawBufferPointer) -> PostfixEvent {
        // A parser that gives up may have set `fields`: it goes back to `.unrecognized`,
        // and the fix-up at the end clears the queue id. (Not a fresh event: building
        // and copying one costs more than some parsers.)
        var event = PostfixEvent(header: SyslogHeader.parse(b))
        let start = event.header.messageStart
        var body = start
        if let queueID = QueueID.prefix(b, at: start) {
            // `NOQUEUE` stands where a queue id would: the line belongs to no message.
            if !b.matchesWhole("noqueue", queueID) { event.queueID = queueID }
            body = min(b.count, queueID.upperBound + 2)
        }
        if let daemon = event.header.daemon(in: b) {
            if b.matchesWhole("amavis", daemon) || b.matchesWhole("amavisd", daemon) {
                if !Amavis.parse(b, &event, after: start) { event.fields = .unrecognized }
            } else {
                for (name, parser) in daemons where b.matchesWhole(name, daemon) {
                    if !parser(b, &event, body) { event.fields = .unrecognized }
                    break
                }
            }
        } else if event.queueID != nil {
            // A line without its syslog header (a grep, a paste, a collector's export): the
            // daemon is unknown, so each parser is tried on what follows the queue id. Each
            // insists on its own opening (`to=`, `from=`, `client=`, …), so at most one fits.
            for parser in prefixlessParsers {
                if parser(b, &event, body) { break }
                event.fields = .unrecognized
            }
        }
        switch event.kind {
        case .unrecognized:
            event.queueID = nil
        case .connect, .disconnect, .reject:
            break
        default:
            // Every other kind belongs to a message.
            if event.queueID == nil { event.fields = .unrecognized }
        }
        return event
    }
}
