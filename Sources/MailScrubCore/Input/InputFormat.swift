/// How an input's lines are framed (`--input-format`).
public enum InputFormat: String, CaseIterable, Sendable {
    /// Decided by each input's first non-empty line: `{` is a journald export, anything
    /// else syslog text.
    case auto
    /// Syslog text, one line per message, whatever its header (RFC 3164, RFC 5424,
    /// RFC 3339, journalctl `short-*`, Postfix's `maillog_file`): the header of each
    /// line is recognized by itself.
    case syslog
    /// The same as `syslog`: RFC 5424 lines are told apart line by line.
    case rfc5424
    /// `journalctl -o json` or `-o json-seq`: one JSON object per line.
    case journalJSON = "journal-json"
}
