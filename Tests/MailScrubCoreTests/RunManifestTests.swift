import Foundation
import Testing
@testable import MailScrubCore
@testable import MailScrubKeys
@testable import MailScrubParsing

@Suite struct RunManifestTests {
    static func manifest() -> RunManifest {
        RunManifest(
            version: "0.1.0", mode: "records", inputBytes: 100, inputLines: 3, outputBytes: 50,
            outputSHA256: String(repeating: "a", count: 64), recordsByStatus: ["sent": 2, "deferred": 1],
            unrecognizedLines: 1, postfixLines: 3, linesByFormat: ["bsd": 2, "journal-json": 1],
            inputsByCompression: ["gzip": 1], evictedQueueIDs: 0, keyIDs: ["62f095e8"], policy: "default",
            policySHA256: nil, configSHA256: String(repeating: "b", count: 64))
    }

    /// The seal is HMAC-SHA256(K_manifest, body), K_manifest = HMAC-SHA256(S, "mailscrub/v1/manifest").
    @Test func sealIsRecomputableFromTheSecret() throws {
        let secret = "correct horse battery staple 0123456789"
        let text = String(decoding: Self.manifest().sealed(with: Pseudonymizer(secret: secret)), as: UTF8.self)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["input_lines"] as? Int == 3 && object["hmac_key_id"] as? String == "62f095e8")
        #expect(object["lines_by_format"] as? [String: Int] == ["bsd": 2, "journal-json": 1])
        #expect(object["inputs_by_compression"] as? [String: Int] == ["gzip": 1] && object["postfix_lines"] as? Int == 3)
        let seal = try #require(object["hmac"] as? String)
        let body = text.replacingOccurrences(of: ",\"hmac\":\"\(seal)\"", with: "").trimmingCharacters(in: .newlines)
        let subkey = HMACSHA256(key: Array(secret.utf8)).authenticate(Array("mailscrub/v1/manifest".utf8))
        let expected = HMACSHA256(key: subkey).authenticate(Array(body.utf8)).map { String(format2: $0) }.joined()
        #expect(seal == expected)
        // Another secret, or a changed count, gives another seal.
        let other = String(decoding: Self.manifest().sealed(with: Pseudonymizer(secret: secret + "!")), as: UTF8.self)
        #expect(!other.contains(seal))
        var changed = Self.manifest()
        changed.inputLines = 4
        #expect(!String(decoding: changed.sealed(with: Pseudonymizer(secret: secret)), as: UTF8.self).contains(seal))
    }

    @Test func sha256MatchesAKnownVector() {
        #expect(SHA256Digest.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Digest.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
