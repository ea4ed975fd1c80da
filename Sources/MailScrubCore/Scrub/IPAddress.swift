import MailScrubBase

/// Whole-string IP address checks, for classifying values given on the command line.
public enum IPAddress {
    /// Whether `text` is exactly one IPv4 or IPv6 address.
    public static func isIPAddress(_ text: String) -> Bool {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { raw in
            let b = UnsafeRawBufferPointer(raw)
            guard !b.isEmpty else { return false }
            if let v4 = IPScanner.ipv4(b, at: 0, end: b.count), v4.upperBound == b.count { return true }
            if let v6 = IPScanner.ipv6(b, at: 0, end: b.count), v6.upperBound == b.count { return true }
            return false
        }
    }
}
