import ArgumentParser
import MailScrubCore

/// `mailscrub keygen`: writes a config from the example with a fresh random secret.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Write a new config with a fresh random secret (mode 0600, atomic).",
        discussion: """
            The secret is 32 bytes from OpenSSL's RAND_bytes, written as base64url. It is
            written only to the file, never to the terminal. Without --output the file is
            $MAILSCRUB_CONFIG if set, else config/mailscrub.yml.
            """
    )

    @Option(help: "Where to write the config.")
    var output: String?

    @Flag(help: "Replace an existing file (its old secret is lost, and with it every pseudonym's link).")
    var force = false

    func run() throws {
        try reportingFailures {
            let path = output ?? ConfigLoader.locate(explicit: nil) ?? ConfigLoader.defaultPath
            var key = try ConfigLoader.randomKey()
            defer { wipe(&key) }
            let secret = Base64URL.encode(key)
            try createParentDirectory(of: path)
            try writeFileAtomically(ExampleConfig.with(secret: secret), to: path, overwrite: force)
            let keyID = Pseudonymizer(secret: secret).keyID
            StandardError.write("mailscrub: wrote \(path) (mode 0600) with a new secret, key id \(keyID)")
        }
    }
}
