// loggen: writes a synthetic but realistic Postfix log (traditional syslog stamps) of
// about N megabytes to stdout, for benchmarking mailscrub. Deterministic for a seed.
//
//     loggen MEGABYTES [SEED] [SHAPE]
//
// Each message flow has what a busy MX and submission server log: smtpd connect and
// client lines, cleanup message-id and header_checks INFO lines, qmgr, one or more
// delivery lines (smtp, lmtp, local; sent, deferred, bounced), removed, disconnect;
// plus NOQUEUE rejects, postscreen, amavis and dovecot lines interleaved.
//
// Other SHAPEs are hostile inputs, for checking speed and memory bounds:
//   flood         every line opens a new queue id that is never removed (unfinished
//                 SMTP sessions), so the open-message cap is reached and held
//   long-line     lines of 50 MB each (cut at the line cap)
//   nul           lines of NUL bytes only
//   invalid-utf8  lines of bytes that are not UTF-8
//
// and `journal` is the normal log as `journalctl -o json` writes it.
#if canImport(Glibc)
import Glibc
#endif

struct Generator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

let arguments = CommandLine.arguments
guard arguments.count >= 2, let megabytes = Double(arguments[1]) else {
    fputs("usage: loggen MEGABYTES [SEED] [normal|journal|flood|long-line|nul|invalid-utf8]\n", stderr)
    exit(64)
}
var g = Generator(state: arguments.count > 2 ? UInt64(arguments[2]) ?? 1 : 1)
let target = Int(megabytes * 1_000_000)

let firstNames = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
                  "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "xena"]
let domains = ["example.org", "example.com", "example.net", "mail.example.org", "lists.example.net",
               "corp.example.com", "uni.example.edu", "shop.example.co.uk"]
let localDomain = "example.org"
let relays = ["mx1.example.com", "mx.example.net", "aspmx.example.org", "mail.example.edu"]
let subjects = ["Meeting tomorrow", "Re: invoice 4411", "Your order has shipped", "Fwd: photos",
                "=?UTF-8?B?w4RyZ2VyIG1pdCBkZXIgQmFobg==?=", "weekly report", "Lunch?", "[list] new thread"]

var out: [UInt8] = []
out.reserveCapacity(1 << 22)
var written = 0
var seconds = 0
var pid = 1000
var queue = 0x1A2B3C

func flush() {
    out.withUnsafeBytes { _ = fwrite($0.baseAddress, 1, $0.count, stdout) }
    written += out.count
    out.removeAll(keepingCapacity: true)
}

let shape = arguments.count > 3 ? arguments[3] : "normal"

/// `tag[pid]: message` as a journald entry, with the fields journalctl adds.
func emitJournal(_ line: String) {
    let colon = line.firstIndex(of: ":")!
    let tag = line[..<colon]
    let message = line[line.index(colon, offsetBy: 2)...]
    let open = tag.firstIndex(of: "[")
    let identifier = open.map { tag[..<$0] } ?? tag
    let processID = open.map { tag[tag.index(after: $0)..<tag.index(before: tag.endIndex)] } ?? ""
    var escaped = ""
    for c in message.unicodeScalars {
        switch c {
        case "\"", "\\": escaped += "\\\(c)"
        default: escaped.unicodeScalars.append(c)
        }
    }
    let micros = (1_767_225_600 + seconds) * 1_000_000 + g.below(1_000_000)
    out.append(contentsOf: """
        {"__CURSOR":"s=2a9d;i=\(String(written + out.count, radix: 16))","__REALTIME_TIMESTAMP":"\(micros)",\
        "__MONOTONIC_TIMESTAMP":"\(seconds * 1_000_000)","_BOOT_ID":"2a9d2a9d2a9d2a9d2a9d2a9d2a9d2a9d",\
        "PRIORITY":"6","SYSLOG_FACILITY":"2","_UID":"0","_TRANSPORT":"syslog","_HOSTNAME":"mx1",\
        "SYSLOG_IDENTIFIER":"\(identifier)","SYSLOG_PID":"\(processID)","_PID":"\(processID)",\
        "_COMM":"\(identifier.split(separator: "/").last ?? identifier)","MESSAGE":"\(escaped)"}

        """.utf8)
}

func emit(_ line: String) {
    if shape == "journal" { return emitJournal(line) }
    let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun"][(seconds / 86400 / 28) % 6]
    let day = 1 + (seconds / 86400) % 28
    let h = (seconds / 3600) % 24, m = (seconds / 60) % 60, s = seconds % 60
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    let dayText = day < 10 ? " \(day)" : "\(day)"
    out.append(contentsOf: "\(month) \(dayText) \(two(h)):\(two(m)):\(two(s)) mx1 \(line)\n".utf8)
}

func address() -> String {
    "\(g.pick(firstNames))\(g.below(3) == 0 ? ".\(g.pick(firstNames))" : "")\(g.below(50))@\(g.pick(domains))"
}
func ipv4() -> String { "\(g.below(223) + 1).\(g.below(256)).\(g.below(256)).\(g.below(254) + 1)" }
func ip() -> String { g.below(8) == 0 ? "2001:db8:\(String(g.below(0xFFFF), radix: 16))::\(String(g.below(0xFFF) + 1, radix: 16))" : ipv4() }
func queueID() -> String {
    queue = (queue &+ 0x1F3 &+ g.below(0x7FF)) & 0xFFFFFFFFFF
    return String(queue, radix: 16, uppercase: true)
}

switch shape {
case "normal", "journal":
    break
case "flood":
    while written + out.count < target {
        seconds += g.below(2)
        pid += 1
        emit("postfix/smtpd[\(pid)]: \(queueID()): client=unknown[\(ipv4())]")
        if out.count > 1 << 22 { flush() }
    }
case "long-line":
    let line = [UInt8](repeating: 0x61, count: 50_000_000)
    while written < target {
        out = line + [0x0A]
        flush()
    }
case "nul", "invalid-utf8":
    let byte: UInt8 = shape == "nul" ? 0 : 0xFF
    let line = [UInt8](repeating: byte, count: 99) + [0x0A]
    while written + out.count < target {
        out.append(contentsOf: line)
        if out.count > 1 << 22 { flush() }
    }
default:
    fputs("loggen: unknown shape '\(shape)'\n", stderr)
    exit(64)
}
if shape != "normal" && shape != "journal" {
    flush()
    exit(0)
}

while written + out.count < target {
    seconds += g.below(3)
    pid += 1
    let kind = g.below(10)
    if kind == 0 {
        let client = ip()
        emit("postfix/smtpd[\(pid)]: NOQUEUE: reject: RCPT from unknown[\(client)]: 550 5.1.1 <\(address())>: Recipient address rejected: User unknown in virtual mailbox table; from=<\(address())> to=<\(g.pick(firstNames))@\(localDomain)> proto=ESMTP helo=<[\(client)]>")
        continue
    }
    if kind == 1 {
        let client = ipv4()
        emit("postfix/postscreen[\(pid)]: CONNECT from [\(client)]:\(40000 + g.below(20000)) to [192.0.2.1]:25")
        emit("postfix/postscreen[\(pid)]: PASS OLD [\(client)]:\(40000 + g.below(20000))")
        continue
    }
    let outgoing = kind <= 3
    let qid = queueID()
    let client = outgoing ? ipv4() : ip()
    let clientName = g.below(3) == 0 ? "unknown" : g.pick(relays)
    let sender = outgoing ? "\(g.pick(firstNames))@\(localDomain)" : address()
    let smtpd = outgoing ? "postfix/submission/smtpd" : "postfix/smtpd"
    emit("\(smtpd)[\(pid)]: connect from \(clientName)[\(client)]")
    if outgoing {
        emit("\(smtpd)[\(pid)]: \(qid): client=\(clientName)[\(client)], sasl_method=PLAIN, sasl_username=\(sender)")
    } else {
        emit("\(smtpd)[\(pid)]: \(qid): client=\(clientName)[\(client)]")
    }
    let msgid = "<\(seconds).\(g.below(1_000_000))@\(g.pick(domains))>"
    emit("postfix/cleanup[\(pid + 1)]: \(qid): message-id=\(msgid)")
    let rcptCount = 1 + (g.below(4) == 0 ? g.below(4) : 0)
    let recipients = (0..<rcptCount).map { _ in outgoing ? address() : "\(g.pick(firstNames))@\(localDomain)" }
    let envelope = "from=<\(sender)> to=<\(recipients.last!)> proto=ESMTP helo=<\(clientName)>"
    emit("postfix/cleanup[\(pid + 1)]: \(qid): info: header Subject: \(g.pick(subjects)) from \(clientName)[\(client)]; \(envelope)")
    emit("postfix/cleanup[\(pid + 1)]: \(qid): info: header From: \"\(g.pick(firstNames).uppercased())\" <\(sender)> from \(clientName)[\(client)]; \(envelope)")
    emit("postfix/cleanup[\(pid + 1)]: \(qid): info: header To: \(recipients.map { "<\($0)>" }.joined(separator: ", ")) from \(clientName)[\(client)]; \(envelope)")
    emit("postfix/qmgr[900]: \(qid): from=<\(sender)>, size=\(500 + g.below(200_000)), nrcpt=\(rcptCount) (queue active)")
    if !outgoing && g.below(3) == 0 {
        emit("amavis[\(pid + 2)]: (\(pid + 2)-01) Passed CLEAN {RelayedInbound}, [\(client)]:\(40000 + g.below(9999)) [\(client)] <\(sender)> -> <\(recipients[0])>, Queue-ID: \(qid), Message-ID: \(msgid), mail_id: x\(g.below(99999)), Hits: -\(g.below(5)).\(g.below(10)), size: \(g.below(90000)), \(g.below(900)) ms")
    }
    for rcpt in recipients {
        seconds += g.below(2)
        let delay = "\(g.below(5)).\(g.below(100))"
        let delays = "0.\(g.below(10))/0/0.\(g.below(99))/0.\(g.below(99))"
        if outgoing {
            let relay = g.pick(relays)
            let relayIP = ip()
            switch g.below(10) {
            case 0:
                emit("postfix/smtp[\(pid + 3)]: \(qid): to=<\(rcpt)>, relay=\(relay)[\(relayIP)]:25, delay=\(delay), delays=\(delays), dsn=4.7.1, status=deferred (host \(relay)[\(relayIP)] said: 450 4.7.1 <\(rcpt)>: Recipient address rejected: Greylisted (in reply to RCPT TO command))")
            case 1:
                emit("postfix/smtp[\(pid + 3)]: \(qid): to=<\(rcpt)>, relay=\(relay)[\(relayIP)]:25, delay=\(delay), delays=\(delays), dsn=5.1.1, status=bounced (host \(relay)[\(relayIP)] said: 550 5.1.1 <\(rcpt)>... User unknown (in reply to RCPT TO command))")
                emit("postfix/bounce[\(pid + 4)]: \(qid): sender non-delivery notification: \(queueID())")
            default:
                emit("postfix/smtp[\(pid + 3)]: \(qid): to=<\(rcpt)>, relay=\(relay)[\(relayIP)]:25, delay=\(delay), delays=\(delays), dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as \(queueID()))")
            }
        } else {
            emit("postfix/lmtp[\(pid + 3)]: \(qid): to=<\(rcpt)>, relay=mx1.example.org[private/dovecot-lmtp], delay=\(delay), delays=\(delays), dsn=2.0.0, status=sent (250 2.0.0 <\(rcpt)> k\(g.below(1_000_000))AAAA Saved)")
            emit("dovecot: lmtp(\(rcpt))<\(pid + 5)><k\(g.below(1_000_000))AAAA>: msgid=\(msgid): saved mail to INBOX")
        }
    }
    emit("postfix/qmgr[900]: \(qid): removed")
    emit("\(smtpd)[\(pid)]: disconnect from \(clientName)[\(client)] ehlo=1 mail=1 rcpt=\(rcptCount) data=1 quit=1 commands=\(4 + rcptCount)")
    if out.count > 1 << 22 { flush() }
}
flush()
