import MailScrubBase

/// How input is framed (`--input-format`).
public enum InputFormat: String, CaseIterable, Sendable {
    /// Line by line: a line that opens with `{` (or json-seq's RS) and reads as a
    /// journald entry is one, `__CURSOR=…` opens an `-o export` entry, any other line
    /// is syslog text.
    case auto
    /// Syslog text, one line per message, whatever its header (RFC 3164, RFC 5424,
    /// RFC 3339, journalctl `short-*`, Postfix's `maillog_file`): the header of each
    /// line is recognized by itself. No line is read as a journald entry.
    case syslog
    /// The same as `syslog`: RFC 5424 lines are told apart line by line.
    case rfc5424
    /// `journalctl -o json` or `-o json-seq`: the same as `auto` (a line that is not an
    /// entry is still scrubbed as text).
    case journalJSON = "journal-json"
}
