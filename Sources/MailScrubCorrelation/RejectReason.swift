import MailScrubParsing

/// Sorts a reject's reply text into a short category for `reject_reason`.
package enum RejectReason {
    package static func classify(_ b: UnsafeRawBufferPointer, _ text: Range<Int>) -> StaticString {
        func has(_ literal: StaticString) -> Bool {
            let n = literal.utf8CodeUnitCount
            guard text.count >= n else { return false }
            for i in text.lowerBound...(text.upperBound - n) where b.matchesIgnoringCase(literal, at: i) { return true }
            return false
        }
        if has("quota") || has("mailbox full") || has(" 5.2.2") || has(" 4.2.2") || has("mailbox is full")
            || has("insufficient storage") { return "over_quota" }
        if has("user unknown") || has("unknown user") || has(" 5.1.1") || has("no such user")
            || has("does not exist") || has("undeliverable address") { return "unknown_user" }
        if has("blocked using") || has("blacklist") || has("blocklist") || has(" listed ") || has("spamhaus")
            || has("rbl") { return "blocklisted" }
        if has("rejected") || has("denied") || has("policy") || has("greylist") || has("not permitted")
            || has("relay") || has("spf") || has("dmarc") { return "policy" }
        return "other"
    }
}
