import MailScrubBase
import MailScrubParsing

/// Sorts a reject's reply text into a short category for `reject_reason`.
package enum RejectReason {
    /// The first category, in this order, with a phrase anywhere in the text (any case):
    /// `over_quota`, `unknown_user`, `blocklisted`, `policy`; else `other`. One pass over
    /// the text: at each byte only the phrases starting with it are compared.
    package static func classify(_ b: UnsafeRawBufferPointer, _ text: Range<Int>) -> StaticString {
        let overQuota = 1, unknownUser = 2, blocklisted = 4, policy = 8
        var found = 0
        for i in text {
            func has(_ phrase: StaticString) -> Bool {
                i + phrase.utf8CodeUnitCount <= text.upperBound && b.matchesIgnoringCase(phrase, at: i)
            }
            switch ASCII.lower(b[i]) {
            case 0x20:  // space
                if has(" 5.2.2") || has(" 4.2.2") { found |= overQuota }
                if has(" 5.1.1") { found |= unknownUser }
                if has(" listed ") { found |= blocklisted }
            case 0x62:  // b
                if has("blocked using") || has("blacklist") || has("blocklist") { found |= blocklisted }
            case 0x64:  // d
                if has("does not exist") { found |= unknownUser }
                if has("denied") || has("dmarc") { found |= policy }
            case 0x67:  // g
                if has("greylist") { found |= policy }
            case 0x69:  // i
                if has("insufficient storage") { found |= overQuota }
            case 0x6D:  // m
                if has("mailbox full") || has("mailbox is full") { found |= overQuota }
            case 0x6E:  // n
                if has("no such user") { found |= unknownUser }
                if has("not permitted") { found |= policy }
            case 0x70:  // p
                if has("policy") { found |= policy }
            case 0x71:  // q
                if has("quota") { found |= overQuota }
            case 0x72:  // r
                if has("rbl") { found |= blocklisted }
                if has("rejected") || has("relay") { found |= policy }
            case 0x73:  // s
                if has("spamhaus") { found |= blocklisted }
                if has("spf") { found |= policy }
            case 0x75:  // u
                if has("user unknown") || has("unknown user") || has("undeliverable address") { found |= unknownUser }
            default:
                break
            }
            if found & overQuota != 0 { break }
        }
        if found & overQuota != 0 { return "over_quota" }
        if found & unknownUser != 0 { return "unknown_user" }
        if found & blocklisted != 0 { return "blocklisted" }
        if found & policy != 0 { return "policy" }
        return "other"
    }
}
