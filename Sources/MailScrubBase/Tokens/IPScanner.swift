/// Finds IPv4 and IPv6 addresses in free text as written (`192.0.2.1`, `2001:db8::1`,
/// `::ffff:192.0.2.1`, `[IPv6:2001:db8::1]`), with boundaries that keep version numbers,
/// DSN codes, delays and clock times (`19:42:12`) from matching.
@usableFromInline package enum IPScanner {
    /// The address starting at `i`, or nil. `lowerLimit` is where the text may be looked
    /// back into to check the left boundary.
    @inlinable package static func match(_ b: UnsafeRawBufferPointer, at i: Int, lowerLimit: Int, end: Int) -> Range<Int>? {
        var v6Allowed = true
        if i > lowerLimit {
            let before = b[i - 1]
            if ASCII.isDigit(before) || before == ASCII.dot { return nil }
            // IPv6 never continues a word; after a colon it may (`IPv6:2001:db8::1`,
            // `host:2001:db8::1`): clock times cannot pass its checks anyway.
            if ASCII.isAlpha(before) { v6Allowed = false }
        }
        // A dotted quad can only end an IPv6 address, so one found here stands alone.
        if ASCII.isDigit(b[i]), let v4 = ipv4(b, at: i, end: end) { return v4 }
        return v6Allowed ? ipv6(b, at: i, end: end) : nil
    }

    /// Where an address whose first separator is the byte at `separator` can start, at
    /// the earliest (not before `floor`): up to three digits before a `.` or `-` (IPv4,
    /// dotted or dashed), up to five hex digits before a `:` (IPv6); `separator` itself
    /// for any other byte. Scanners that jump ahead to separators resume here.
    @inlinable package static func earliestStart(_ b: UnsafeRawBufferPointer, before separator: Int, notBefore floor: Int) -> Int {
        var start = separator
        switch b[separator] {
        case ASCII.dot, ASCII.hyphen:
            let limit = max(floor, separator - 3)
            while start > limit, ASCII.isDigit(b[start - 1]) { start -= 1 }
        case ASCII.colon:
            let limit = max(floor, separator - 5)
            while start > limit, ASCII.isHexDigit(b[start - 1]) { start -= 1 }
        default:
            break
        }
        return start
    }

    /// The end of the run of hex digits and colons at `start`, when no address can start
    /// anywhere in it, else nil: fewer than six colons and no `::` rule out IPv6 (which
    /// has `::`, eight groups, or six and an IPv4 tail), and a run that stops at neither
    /// `.` nor `-` holds no dotted or dashed IPv4 either. Clock times (`19:42:12`),
    /// `QID:` and `[pid]:` are such runs: scanners pass over them in one step instead of
    /// trying an address at each of their digits.
    @inlinable package static func addressFreeRunEnd(_ b: UnsafeRawBufferPointer, from start: Int, end: Int) -> Int? {
        var j = start
        var colons = 0
        while j < end {
            let c = b[j]
            if c == ASCII.colon {
                if j + 1 < end, b[j + 1] == ASCII.colon { return nil }
                colons += 1
            } else if !ASCII.isHexDigit(c) {
                break
            }
            j += 1
        }
        guard colons < 6, j == end || (b[j] != ASCII.dot && b[j] != ASCII.hyphen) else { return nil }
        return j
    }

    /// Four decimal octets joined by `-`, as reverse-DNS names spell out a client address
    /// (`203-0-113-7.dyn.example.net`, `c-198-51-100-23.hsd1…`, `ip-192-0-2-10.ec2…`),
    /// not part of a longer run of numbers and dashes.
    @inlinable package static func dashedIPv4(_ b: UnsafeRawBufferPointer, at i: Int, lowerLimit: Int, end: Int) -> Range<Int>? {
        if i > lowerLimit {
            let before = b[i - 1]
            if ASCII.isDigit(before) || before == ASCII.dot { return nil }
            if before == ASCII.hyphen, i - 1 > lowerLimit, ASCII.isDigit(b[i - 2]) { return nil }
        }
        return quad(b, at: i, end: end, separator: ASCII.hyphen)
    }

    /// A dotted quad of decimal octets (0–255) at `i`, not followed by a digit or `.digit`.
    @inlinable package static func ipv4(_ b: UnsafeRawBufferPointer, at i: Int, end: Int) -> Range<Int>? {
        quad(b, at: i, end: end, separator: ASCII.dot)
    }

    /// Four decimal octets (0–255) joined by `separator`, not followed by a digit or by
    /// `separator` and a digit.
    @inlinable @inline(__always) static func quad(_ b: UnsafeRawBufferPointer, at i: Int, end: Int, separator: UInt8) -> Range<Int>? {
        var j = i
        for octet in 0..<4 {
            if octet > 0 {
                guard j < end, b[j] == separator else { return nil }
                j += 1
            }
            var value = 0
            let start = j
            while j < end, ASCII.isDigit(b[j]), j - start < 3 {
                value = value * 10 + Int(b[j] - 0x30)
                j += 1
            }
            guard j > start, value <= 255 else { return nil }
        }
        if j < end, ASCII.isDigit(b[j]) { return nil }
        if j + 1 < end, b[j] == separator, ASCII.isDigit(b[j + 1]) { return nil }
        return i..<j
    }

    /// An IPv6 address at `i`: hex groups of up to four digits separated by `:`, with one
    /// `::` or exactly eight groups, optionally ending in an IPv4 dotted quad. At least one
    /// hex digit, and not followed by a letter or digit. When the longest run fails
    /// (`…::d260:from`), the longest valid prefix ending at a group boundary is taken.
    @inlinable package static func ipv6(_ b: UnsafeRawBufferPointer, at i: Int, end: Int) -> Range<Int>? {
        // Fast rejection of ordinary words, numbers and `key:` labels (`Queue-ID: x`): an
        // address starts with `::`, or with up to four hex digits, a colon, and a hex
        // digit or a second colon after it.
        var k = i
        while k < end, k - i < 5, ASCII.isHexDigit(b[k]) { k += 1 }
        guard k + 1 < end, b[k] == ASCII.colon else { return nil }
        let afterColon = b[k + 1]
        guard afterColon == ASCII.colon || (k > i && ASCII.isHexDigit(afterColon)) else { return nil }
        // Clock times (`19:42:12`) and other short runs: without `::` an address has eight
        // groups, or six and an IPv4 tail, so at least six colons before any `.`.
        var colons = 0
        var doubleColonAhead = false
        var r = k
        while r < end, b[r] == ASCII.colon || ASCII.isHexDigit(b[r]) {
            if b[r] == ASCII.colon {
                colons += 1
                if r + 1 < end, b[r + 1] == ASCII.colon { doubleColonAhead = true }
            }
            r += 1
        }
        guard doubleColonAhead || colons >= 6 else { return nil }
        var j = i
        var groups = 0
        var doubleColon = false
        var digits = 0
        var groupLength = 0
        var best: Int?
        /// Records `position` as a candidate end if the address up to it is complete.
        func consider(_ position: Int, groups: Int) {
            let valid = digits > 0 && (doubleColon ? groups <= 7 : groups == 8)
            if valid && !(position < end && ASCII.isAlnum(b[position])) { best = position }
        }
        while j < end {
            let c = b[j]
            if ASCII.isHexDigit(c) {
                groupLength += 1
                digits += 1
                if groupLength > 4 { break }
                j += 1
                if j == end || !ASCII.isHexDigit(b[j]) {
                    consider(j, groups: groups + 1)
                }
            } else if c == ASCII.colon {
                if groupLength > 0 { groups += 1 }
                groupLength = 0
                if j + 1 < end, b[j + 1] == ASCII.colon {
                    if doubleColon { break }
                    doubleColon = true
                    j += 2
                    consider(j, groups: groups)
                } else {
                    j += 1
                }
            } else if c == ASCII.dot, groupLength > 0, groups >= 2 || doubleColon {
                // An embedded IPv4 tail counts as two groups and ends the address.
                guard let v4 = ipv4(b, at: j - groupLength, end: end) else { break }
                digits += 1
                let tailGroups = groups + 2
                let valid = doubleColon ? tailGroups <= 7 : tailGroups == 8
                if valid && !(v4.upperBound < end && ASCII.isAlnum(b[v4.upperBound])) { best = v4.upperBound }
                break
            } else {
                break
            }
        }
        guard let best, b[i..<best].contains(ASCII.colon) else { return nil }
        return i..<best
    }
}
