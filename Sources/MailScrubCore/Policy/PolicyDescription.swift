/// What a policy does to each kind of token, in plain words and for each output mode:
/// what `mailscrub check` prints. `PolicyDescriptionTests` holds the outputs to it.
public enum PolicyDescription {
    public static func lines(_ p: Policy, options: PseudonymOptions) -> [String] {
        var lines: [String] = []
        let bytes = options.hashBytes
        lines.append("addresses: local part and domain hashed apart (\(2 * bytes) hex characters each)"
            + (options.lowercaseLocalPart ? ", local parts lowercased" : "")
            + (options.recipientDelimiters.isEmpty ? "" : ", extensions after '\(String(decoding: options.recipientDelimiters, as: UTF8.self))' cut"))
        lines.append("domains in clear: " + (p.clearDomains.isEmpty ? "none" : p.clearDomains.joined(separator: ", ")))
        lines.append("message-ids: hashed")
        lines.append("header values: address lists and message-id lists hashed; every other header (Subject included) replaced by its length")
        lines.append("IP addresses: " + describe(p.ip))
        lines.append("client, relay and HELO hostnames: " + describe(p.hostnames))
        lines.append("status and reply texts: " + (p.statusText == .keep ? "kept, after the fail-closed scan" : "removed"))
        lines.append("times: " + (p.timePrecision == .second
            ? "as logged"
            : "rounded down to the \(p.timePrecision.rawValue) in records, events and the syslog stamps of lines"))
        lines.append("sizes: " + (p.sizes == .exact
            ? "as logged"
            : "power-of-two buckets (message_size in records and events, size= in lines)"))
        let dropped = Policy.recordFields.filter { p.droppedFieldMask != 0 && p.drops($0) }
        if dropped.isEmpty {
            lines.append("fields left out: none")
        } else {
            lines.append("fields left out of records and events: " + dropped.joined(separator: ", "))
            let keys = PolicyFieldRule.lineKeys.filter { p.drops($0.field) }.map { "\($0.key)" }
            lines.append("fields left out of lines: " + (keys.isEmpty ? "none (lines log none of them as key=value)" : keys.joined(separator: ", ")))
        }
        lines.append("queue ids, syslog host, program names, status words, DSN codes: kept")
        return lines
    }

    static func describe(_ ip: Policy.IPTreatment) -> String {
        switch ip {
        case .hash: "hashed"
        case .truncate: "cut to their /24 or /48, then hashed"
        case .zero: "replaced by 0.0.0.0 or ::"
        case .drop: "removed"
        }
    }

    static func describe(_ hostnames: Policy.HostnameTreatment) -> String {
        switch hostnames {
        case .keep: "kept in clear"
        case .hash: "hashed"
        case .drop: "removed"
        }
    }
}
