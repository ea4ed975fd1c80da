import MailScrubBase

/// What one pass over a line made of it, for `--stats`: every line is exactly one.
public enum LineOutcome: String, CaseIterable, Sendable {
    /// A parser read it as a typed event (`PostfixEvent.Kind` says which).
    case understood
    /// Postfix's by its tag or its queue id, in a shape no parser reads (warnings,
    /// statistics, `connect to` failures, …): scrubbed by the generic rules only.
    case postfixUnsupported = "postfix-unsupported"
    /// A syslog line from another program.
    case notPostfix = "not-postfix"
    /// No syslog header and no queue id: not a log line mailscrub knows.
    case notSyslog = "not-syslog"

    /// Position in `allCases`, for counting without a dictionary.
    package var index: Int {
        switch self {
        case .understood: 0
        case .postfixUnsupported: 1
        case .notPostfix: 2
        case .notSyslog: 3
        }
    }

    /// The outcome of `event`, parsed from `line`.
    public init(_ event: PostfixEvent, in line: UnsafeRawBufferPointer) {
        if event.kind != .unrecognized {
            self = .understood
        } else if Self.isPostfix(line, event.header) {
            self = .postfixUnsupported
        } else {
            self = event.header.format == .none ? .notSyslog : .notPostfix
        }
    }

    /// A line Postfix wrote by its look alone: a syslog tag naming postfix (or postlog),
    /// or, without a tag, a queue id or `NOQUEUE` where the message starts.
    static func isPostfix(_ line: UnsafeRawBufferPointer, _ header: SyslogHeader) -> Bool {
        if let program = header.program {
            // `postfix/smtpd`, `postfix-out/qmgr`, `/postfix-script`, `postlog`.
            let tag = UnsafeRawBufferPointer(rebasing: line[program])
            return tag.contains("postfix") || tag.matches("postlog", at: 0)
        }
        // A line without its syslog prefix, as a grep by queue id or a paste gives it.
        return QueueID.prefix(line, at: header.messageStart) != nil || line.matches("NOQUEUE: ", at: header.messageStart)
    }
}
