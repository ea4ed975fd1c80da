import Foundation
import Testing
@testable import MailScrubCore
@testable import MailScrubKeys
@testable import MailScrubCorrelation
@testable import MailScrubParsing

@Suite struct ConfigTests {
    static let goodSecret = "n7Qx-2vL_9aZkP0wR4tYb8cE1mH6jU3sD5fG"

    @Test func fullConfigParses() throws {
        let text = """
            secret: "\(Self.goodSecret)"
            hash_bytes: 12
            lowercase_local_part: false
            recipient_delimiter: "+-"
            """
        let config = try Config.parse(text, path: "c.yml")
        #expect(config.secret == Self.goodSecret)
        #expect(config.pseudonyms == PseudonymOptions(hashBytes: 12, lowercaseLocalPart: false, recipientDelimiters: "+-"))
    }

    @Test func defaultsApplyWhenOnlyTheSecretIsGiven() throws {
        let config = try Config.parse("secret: \(Self.goodSecret)\n", path: "c.yml")
        #expect(config.pseudonyms == PseudonymOptions())
    }

    /// Each wrong config gives its own reason, names file and line, and never the secret.
    @Test(arguments: [
        ("secret: CHANGEME\n", "c.yml:1: 'secret' is still the example placeholder"),
        ("secret: tooShort-0123456789abcdef\n", "c.yml:1: 'secret' is shorter than 30 characters"),
        ("hash_bytes: 16\n", "c.yml: no 'secret' set"),
        ("secret: \(goodSecret)\nhash_byte: 16\n", "c.yml:2: unknown setting 'hash_byte'"),
        ("secret: \(goodSecret)\nhash_bytes: 40\n", "c.yml:2: 'hash_bytes' must be a whole number from 8 to 32"),
        ("secret: \(goodSecret)\nlowercase_local_part: maybe\n", "c.yml:2: 'lowercase_local_part' must be true or false"),
        ("secret: \(goodSecret)\nrecipient_delimiter: \"@\"\n", "c.yml:2: 'recipient_delimiter' must be printable"),
        ("secret: \(goodSecret)\nsecret: \(goodSecret)\n", "c.yml:2: setting 'secret' is given twice"),
        ("secret: [\(goodSecret)]\n", "c.yml:1: 'secret' must be a single value"),
        ("secret: \"\(goodSecret)\n  bad: [\n", "c.yml:"),
        ("- \(goodSecret)\n", "c.yml:1: expected a mapping"),
        ("", "c.yml: file is empty"),
    ])
    func invalidConfigs(_ text: String, _ expected: String) {
        do {
            _ = try Config.parse(text, path: "c.yml")
            Issue.record("accepted: \(expected)")
        } catch {
            #expect(error.description.hasPrefix(expected), "\(error.description)")
            #expect(!error.description.contains(Self.goodSecret))
            #expect(!error.description.contains("tooShort"))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func invalidYAMLNamesALine() {
        do {
            _ = try Config.parse("secret: \(Self.goodSecret)\nbad: [unclosed\n", path: "c.yml")
            Issue.record("accepted invalid YAML")
        } catch {
            #expect(error.line != nil)
            #expect(error.reason == "not valid YAML")
        }
    }

    /// The built-in example is the shipped file, and keygen's output from it is valid.
    @Test func exampleConfigMatchesTheShippedFile() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../config/mailscrub.yml.example").standardized
        #expect(try String(contentsOf: url, encoding: .utf8) == ExampleConfig.text)
        #expect(throws: ConfigError.self) { try Config.parse(ExampleConfig.text, path: "example") }
        let generated = ExampleConfig.with(secret: Self.goodSecret)
        #expect(try Config.parse(generated, path: "generated").secret == Self.goodSecret)
    }

    @Test func base64URLHasNoPaddingOrUnsafeCharacters() {
        #expect(Base64URL.encode([]) == "")
        #expect(Base64URL.encode(Array("f".utf8)) == "Zg")
        #expect(Base64URL.encode(Array("fo".utf8)) == "Zm8")
        #expect(Base64URL.encode(Array("foo".utf8)) == "Zm9v")
        #expect(Base64URL.encode(Array("foob".utf8)) == "Zm9vYg")
        #expect(Base64URL.encode([0xFB, 0xFF, 0xBF]) == "-_-_")
        #expect(Base64URL.encode([UInt8](repeating: 0, count: 32)).count == 43)
    }
}

@Suite struct RecordConfigTests {
    @Test func recordSettingsParse() throws {
        let config = try Config.parse("""
            secret: \(ConfigTests.goodSecret)
            year: 2025
            timezone: Europe/Berlin
            local_domains: [Example.org, mail.example.org]
            max_age: 36h
            max_open_messages: 5000
            """, path: "c.yml")
        #expect(config.year == 2025 && config.timezone == "Europe/Berlin")
        #expect(config.correlation == Correlator.Options(localDomains: ["example.org", "mail.example.org"], maxAge: 36 * 3600, maxOpenMessages: 5000))
    }

    @Test(arguments: [
        ("year: 26\n", "c.yml:2: 'year' must be a year"),
        ("local_domains: example.org\n", "c.yml:2: 'local_domains' must be a list"),
        ("local_domains: [a@example.org]\n", "c.yml:2: 'local_domains' entries must be domain names"),
        ("max_age: soon\n", "c.yml:2: 'max_age' must be a duration"),
        ("max_open_messages: 10\n", "c.yml:2: 'max_open_messages' must be a whole number from 1000 to 100000000"),
        ("max_open_messages: 100000001\n", "c.yml:2: 'max_open_messages' must be a whole number from 1000 to 100000000"),
    ])
    func invalidRecordSettings(_ line: String, _ expected: String) {
        do {
            _ = try Config.parse("secret: \(ConfigTests.goodSecret)\n" + line, path: "c.yml")
            Issue.record("accepted: \(line)")
        } catch {
            #expect(error.description.hasPrefix(expected), "\(error.description)")
        }
    }

    @Test func durations() {
        #expect(Config.duration("7d") == 604_800 && Config.duration("90m") == 5400 && Config.duration("10") == 10)
        #expect(Config.duration("x") == nil && Config.duration("") == nil)
    }
}
