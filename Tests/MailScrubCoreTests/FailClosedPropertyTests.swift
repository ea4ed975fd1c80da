import Testing
@testable import MailScrubCore
@testable import MailScrubParsing

/// Property test for invariant 1 (fail closed): lines of generated junk, known shapes
/// and broken shapes, with addresses, message-ids, IPs and subjects planted at random
/// places; none of the planted values may appear in the output.
@Suite struct FailClosedPropertyTests {
    /// SplitMix64: small, seedable, reproducible.
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
        /// Letters outside a–f, so a planted token can never occur inside a hex pseudonym.
        mutating func word(_ length: Int) -> String {
            let letters = Array("ghijklmnopqrstuvwxyzGHJKLMNPQRSTUVWXYZ")
            return String((0..<length).map { _ in pick(letters) })
        }
    }

    /// A generated line and what was planted in it: each token (as written) with the
    /// parts of it that must not survive when the token reached the line whole.
    struct Planted {
        var line: [UInt8]
        var tokens: [(token: String, secrets: [String])]
    }

    static let separators: [[UInt8]] = [
        " ", "<", ">", "(", ")", ",", ";", ":", "\"", "[", "]", "/", "\t", "'", "{", "}", "|", "?", "!",
    ].map { Array($0.utf8) } + [[0], [0xFF], [0xC3], [0x80], [0xE2, 0x82]]
        // Ill-formed sequences a lax decoder takes: surrogate, overlong, above U+10FFFF.
        + [[0xED, 0xA0, 0x80], [0xE0, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80]]

    static func makeLine(_ g: inout Generator) -> Planted {
        var tokens: [(token: String, secrets: [String])] = []
        var parts: [[UInt8]] = []
        func plant(_ token: String, _ secrets: [String]) -> String {
            tokens.append((token, secrets))
            return token
        }
        func address(_ g: inout Generator) -> String {
            let local = g.word(9)
            let domain = g.word(8)
            let localForms = [local, "\(local).\(g.word(3))", "\"\(local) x\"", "\(local)+\(g.word(4))", "bounce-\(g.word(3))=\(local)=\(domain).org"]
            return plant("\(g.pick(localForms))@\(domain).\(g.pick(["org", "com", "net", "example"]))", [local, domain])
        }
        func messageID(_ g: inout Generator) -> String {
            let left = g.word(12)
            return plant(g.pick(["<\(left)@\(g.word(5)).org>", "<\(left)>", "<\(left).\(g.word(3))@host>"]), [left])
        }
        func ip(_ g: inout Generator) -> String {
            if g.below(3) == 0 {
                let v6 = "2001:db8:\(String(g.below(0xFFFF), radix: 16))::\(String(g.below(0xFFFF) + 1, radix: 16))"
                return plant(v6, [v6])
            }
            let v4 = (0..<4).map { _ in String(10 + g.below(240)) }.joined(separator: ".")
            return plant(v4, [v4])
        }
        let withQueueID = [
            "Mar  3 09:15:0\(g.below(10)) mx postfix/smtp[12]: 3F2A81C0D4: ",
            "2026-03-03T09:15:15.120044+01:00 mx postfix/cleanup[1]: 7B01D2A11F: ",
        ]
        let others = ["Mar  3 09:15:07 mx dovecot: lmtp(", "", "junk ", "postfix/smtpd[1]: NOQUEUE: reject: RCPT from x["]
        if g.below(2) == 0 {
            parts.append(Array(g.pick(withQueueID).utf8))
            // header_checks content is only recognisable in its own position.
            if g.below(2) == 0 {
                let subject = "re \(g.word(10))"
                let header = "info: header Subject: \(subject) from h[\(ip(&g))]; from=<\(address(&g))>"
                parts.append(Array(plant(header, [subject]).utf8))
            }
        } else {
            parts.append(Array(g.pick(others).utf8))
        }
        for _ in 0..<(1 + g.below(6)) {
            switch g.below(8) {
            case 0: parts.append(Array("to=<\(address(&g))>, ".utf8))
            case 1: parts.append(Array("from=\(address(&g)) ".utf8))
            case 2: parts.append(Array("message-id=\(messageID(&g))".utf8))
            case 3: parts.append(Array("Message-ID: \(messageID(&g)) ".utf8))
            case 4: parts.append(Array(ip(&g).utf8))
            case 5: parts.append(Array("\(g.word(4)) <\(address(&g))>, \(address(&g))".utf8))
            case 6: parts.append(Array(address(&g).utf8))
            default: parts.append((0..<g.below(12)).map { _ in UInt8(truncatingIfNeeded: g.next()) | 0x01 }.filter { $0 != 0x0A })
            }
            parts.append(g.pick(separators))
        }
        var line = parts.flatMap { $0 }
        // Sometimes cut the line anywhere, as a truncated syslog line would be.
        if g.below(4) == 0 { line = Array(line.prefix(g.below(line.count + 1))) }
        return Planted(line: line, tokens: tokens)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func noPlantedValueSurvives(seed: UInt64) {
        var g = Generator(state: seed)
        var scrubber = LineScrubber()
        let p = TestSupport.pseudonymizer()
        var failures: [String] = []
        for _ in 0..<500 {
            let planted = Self.makeLine(&g)
            var out: [UInt8] = []
            planted.line.withUnsafeBytes { scrubber.scrub($0, with: p, into: &out) }
            let text = String(decoding: out, as: UTF8.self)
            let input = String(decoding: planted.line, as: UTF8.self)
            // What a cut line holds only in part cannot be recognised, so only tokens that
            // reached the line whole are required to vanish.
            for (token, secrets) in planted.tokens where input.contains(token) {
                for secret in secrets where text.contains(secret) {
                    failures.append("\(secret) in: \(input)")
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(3))")
    }

    @Test(arguments: [11, 12, 13])
    func lineCountIsPreserved(seed: UInt64) {
        var g = Generator(state: seed)
        var input: [UInt8] = []
        for _ in 0..<300 {
            input += Self.makeLine(&g).line
            input.append(0x0A)
        }
        let output = TestSupport.scrubLines(input, chunkSize: 1 + g.below(100))
        #expect(output.filter { $0 == 0x0A }.count == 300)
    }
}
