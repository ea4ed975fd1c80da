/// Turns fuzzer bytes into a Postfix log with planted markers.
///
/// The bytes are read as choices: which line shape, which marker variant in each slot,
/// which characters to add around it, and how to mangle the line (syslog prefix
/// stripped, NUL runs and junk in front, a cut between tokens, invalid UTF-8 or NUL
/// between tokens, a repeated key, CRLF, a `<PRI>`). Some lines are raw fuzzer bytes.
///
/// Every marker contains `QZ` and stands where mailscrub promises to replace it: in an
/// address (local part or domain), a display name, a header value (subject, filename,
/// any header), a message-id, or a mailbox name without a domain. Raw bytes never carry
/// `q` or `Q`, so any `qz` in the output (case-insensitively) is a planted marker that
/// leaked: pseudonyms are lowercase hex and the line shapes hold no `qz`.
struct Generator {
    private static let hex = Array("0123456789abcdef".utf8)
    private var input: UnsafeRawBufferPointer
    private var position = 0
    private var serial = 0
    private(set) var output: [UInt8] = []

    init(_ input: UnsafeRawBufferPointer) {
        self.input = input
    }

    /// The next choice byte; 0 once the input is used up.
    mutating func byte() -> Int {
        guard position < input.count else { return 0 }
        defer { position += 1 }
        return Int(input[position])
    }

    var exhausted: Bool { position >= input.count }

    /// Builds the whole log.
    mutating func generate() -> [UInt8] {
        var lines = 0
        while !exhausted, lines < 16 {
            let op = byte()
            if op >= 0xE0 {
                rawLine()
            } else {
                templateLine(Templates.all[op % Templates.all.count])
            }
            lines += 1
        }
        return output
    }

    /// Up to 255 bytes of fuzzer input as a line of its own, `q`/`Q` removed.
    private mutating func rawLine() {
        let n = byte()
        for _ in 0..<n where !exhausted {
            let c = UInt8(byte())
            output.append(c == 0x51 || c == 0x71 ? 0x6B : c)
        }
        output.append(0x0A)
    }

    private mutating func templateLine(_ template: Templates.Shape) {
        let mangle = byte()
        var line: [UInt8] = []
        // The header as each writer puts it (5: a journald entry, wrapped at the end).
        let variant = mangle & 0x01 == 0 ? byte() % 6 : -1
        let program = template.program
        switch variant {
        case 0:
            if mangle & 0x40 != 0 { line += Array("<22>".utf8) }
            line += Array("May 20 22:17:06 mx1 \(program)[2104]: ".utf8)
        case 1:
            let data = byte() % 2 == 0 ? "-" : #"[meta sequenceId="7" note="a \"b\] c"]"#
            line += Array("<22>1 2026-05-20T22:17:06.5+00:00 mx1 \(program) 2104 - \(data) ".utf8)
        case 2: line += Array("Wed 2026-05-20 22:17:06 UTC mx1 \(program)[2104]: ".utf8)
        case 3: line += Array(pick(["2026-05-20 22:17:06", "2026-05-20T22:17:06+0000"]).utf8) + Array(" mx1 \(program)[2104]: ".utf8)
        case 4: line += Array("1779315426.123456 mx1 \(program)[2104]: ".utf8)
        default: break
        }
        let messageStart = line.count
        line += expand(template.message)
        var tokenStarts: [Int] = []
        for i in messageStart..<line.count where line[i] == 0x20 { tokenStarts.append(i + 1) }

        if mangle & 0x08 != 0, !tokenStarts.isEmpty {
            // A repeated key: a `key=value` field again, right after itself. Only fields
            // at the top level: a copy of half a quoted local part would leave an odd
            // number of quotes, which no logging program writes.
            var outside = Set<Int>()
            var quoted = false
            for i in messageStart..<line.count {
                if line[i] == 0x22, i == 0 || line[i - 1] != 0x5C { quoted.toggle() }
                if !quoted, line[i] == 0x20 { outside.insert(i + 1) }
            }
            let keyed = tokenStarts.filter { s in
                guard outside.contains(s), s < line.count, line[s] >= 0x61, line[s] <= 0x7A else { return false }
                var e = s
                while e < line.count, line[e] != 0x20 { e += 1 }
                return line[s..<e].contains(0x3D)
            }
            if !keyed.isEmpty {
                let s = keyed[byte() % keyed.count]
                // The whole field: up to the next space outside a quoted string.
                var e = s
                var inQuotes = false
                while e < line.count, inQuotes || line[e] != 0x20 {
                    if line[e] == 0x22, line[e - 1] != 0x5C { inQuotes.toggle() }
                    e += 1
                }
                line.insert(contentsOf: Array(line[s..<e]) + [0x20], at: s)
                tokenStarts = (messageStart..<line.count).filter { line[$0] == 0x20 }.map { $0 + 1 }
            }
        }
        if mangle & 0x10 != 0, !tokenStarts.isEmpty {
            let at = tokenStarts[byte() % tokenStarts.count]
            let junk: [[UInt8]] = [[0xFF], [0xC3], [0x80, 0x80], [0x00], [0xED, 0xA0, 0x80], [0xF4, 0x90]]
            if at <= line.count { line.insert(contentsOf: junk[byte() % junk.count], at: at) }
        }
        if mangle & 0x20 != 0, !tokenStarts.isEmpty {
            // Cut between tokens, as a full disk or a length cap leaves a line.
            let at = tokenStarts[byte() % tokenStarts.count]
            if at < line.count { line.removeSubrange(at...) }
        }
        if mangle & 0x02 != 0 {
            // Crash-damaged logs: junk and a run of NULs before the line.
            if mangle & 0x80 != 0 {
                for _ in 0..<(byte() % 16) {
                    let c = UInt8(byte())
                    output.append(c == 0x0A || c == 0x51 || c == 0x71 ? 0x6B : c)
                }
            }
            output += [UInt8](repeating: 0, count: 1 + byte() * 16)
        }
        if variant == 5 { line = journalEntry(program, line) }
        output += line
        if mangle & 0x04 != 0 { output.append(0x0D) }
        output.append(0x0A)
    }

    /// `message` as `journalctl -o json` writes an entry of `program`: MESSAGE a string,
    /// or (as journald does for bytes that are not UTF-8, and here by choice too) an
    /// array of numbers.
    private mutating func journalEntry(_ program: String, _ message: [UInt8]) -> [UInt8] {
        var entry = Array(#"{"__CURSOR":"s=2a9d;i=1","__REALTIME_TIMESTAMP":"1779315426000000","_HOSTNAME":"mx1","#.utf8)
        entry += Array(#""SYSLOG_IDENTIFIER":"\#(program)","_PID":"2104","MESSAGE":"#.utf8)
        if String(validating: message, as: UTF8.self) != nil, byte() % 4 != 0 {
            entry.append(0x22)
            for c in message {
                switch c {
                case 0x22, 0x5C: entry += [0x5C, c]
                case 0..<0x20: entry += Array("\\u00".utf8) + [Self.hex[Int(c >> 4)], Self.hex[Int(c & 0xF)]]
                default: entry.append(c)
                }
            }
            entry.append(0x22)
        } else {
            entry += Array("[\(message.map(String.init).joined(separator: ","))]".utf8)
        }
        entry.append(0x7D)
        return entry
    }

    /// The template with each `{X}` slot filled.
    private mutating func expand(_ message: String) -> [UInt8] {
        var out: [UInt8] = []
        let bytes = Array(message.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x7B, let close = bytes[i...].firstIndex(of: 0x7D) {
                fill(String(decoding: bytes[i + 1..<close], as: UTF8.self), into: &out)
                i = close + 1
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    private mutating func next() -> Int {
        serial += 1
        return serial
    }

    private mutating func fill(_ slot: String, into out: inout [UInt8]) {
        switch slot {
        case "A": out += address()
        case "L": out += localPart()
        case "D": out += domain()
        case "N": out += displayName()
        case "S": out += freeText("QZ subject \(next())")
        case "F": out += freeText("QZfile\(next()).pdf")
        case "M": out += messageID()
        case "U": out += user()
        case "Q": out += Array(pick(["3F2A81C0D4", "7D93B10A22", "4C1E2A0F31", "B2C3D4E5F6"]).utf8)
        case "IP": out += Array(pick(["203.0.113.7", "2001:db8::7", "198.51.100.23", "192.0.2.10"]).utf8)
        case "HOST":
            out += Array(pick([
                "mail.example.net", "unknown", "203-0-113-7.dyn.example.net", "c-198-51-100-23.hsd1.ca.example.net",
                "ip-192-0-2-10.ec2.internal", "host7.203.0.113.example.com",
            ]).utf8)
        case "HN":
            out += Array(pick([
                "X-Mailer", "Organization", "Thread-Topic", "X-Custom-Thing", "Comments", "User-Agent", "Subject",
                "X-Original-Subject", "Keywords", "Content-Description",
            ]).utf8)
        case "W":
            out += Array(pick(["From", "To", "Cc", "Reply-To", "Sender"]).utf8)
        default:
            out += Array(slot.utf8)
        }
    }

    private mutating func pick(_ options: [String]) -> String {
        options[byte() % options.count]
    }

    /// Characters the fuzzer may add to a marker, by the class of text it stands in.
    private mutating func noise(_ alphabet: String) -> [UInt8] {
        let n = byte() % 4
        guard n > 0 else { return [] }
        let chars = Array(alphabet.utf8)
        return (0..<n).map { _ in chars[byte() % chars.count] }
    }

    private mutating func localPart() -> [UInt8] {
        let n = next()
        let variants = [
            "QZl\(n)", "QZl\(n)+tag", "\"QZ l\(n), status=sent\"", "\"QZ>l\(n)=x, relay=y\"",
            "\"QZ \\\"q\\\" l\(n)\"", "first.QZl\(n)", "bounce-list=QZl\(n)=example.org", "QZ\u{00FC}l\(n)",
            "SRS0=HHH=TT=example.org=QZl\(n)", "prvs=1234abcd=QZl\(n)",
        ]
        var v = Array(variants[byte() % variants.count].utf8)
        if v.first != 0x22 { v += noise("!#$%&'*+-/=?^_`{|}~.abc") }
        return v
    }

    private mutating func domain() -> [UInt8] {
        let n = next()
        return Array(pick(["QZd\(n).example.org", "mail.QZd\(n).example", "QZd\(n)-x.example.net", "example.org"]).utf8)
    }

    private mutating func address() -> [UInt8] {
        // A marker in the local part, the domain or both; rarely the null sender.
        switch byte() % 8 {
        case 0: return localPart() + [0x40] + Array("example.org".utf8)
        case 1: return Array("postmaster@".utf8) + domain()
        case 2: return []
        default: return localPart() + [0x40] + domain()
        }
    }

    private mutating func displayName() -> [UInt8] {
        let n = next()
        let variants = [
            "\"QZ Jane \(n)\"", "QZ Jane Roe \(n)", "=?utf-8?Q?QZ_Jane_\(n)?=", "\"Roe, QZ \(n)\"", "QZ\(n)",
            "\"QZ <fake> \(n)\"", "(QZ comment \(n))",
        ]
        return Array(variants[byte() % variants.count].utf8) + noise(" ,;:<>\"\\=()[]'.abc")
    }

    private mutating func freeText(_ base: String) -> [UInt8] {
        var v = Array(base.utf8)
        v += noise(" ,;:<>\"\\=()[]'@.-_/abc")
        if byte() % 4 == 0 { v += Array(" from mx.example[192.0.2.1]; from=<a@b>".utf8) }
        return v
    }

    private mutating func messageID() -> [UInt8] {
        let n = next()
        return Array(pick(["QZm\(n).123@mail.example.org", "QZm\(n)", "QZm\(n)@[192.0.2.1]", "QZ m\(n)@x"]).utf8)
    }

    private mutating func user() -> [UInt8] {
        Array(pick(["QZu\(next())", "QZu\(next())@example.org"]).utf8)
    }
}
