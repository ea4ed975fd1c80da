/// The example config shipped as `config/mailscrub.yml.example`, built in so that
/// `mailscrub keygen` works from an installed binary. A test keeps the two identical.
public enum ExampleConfig {
    /// The full text of the example, with the placeholder secret.
    public static let text = """
# mailscrub configuration (YAML).
#
# Create a real one with a fresh random secret:   mailscrub keygen
# mailscrub finds its config through --config PATH, else $MAILSCRUB_CONFIG,
# else config/mailscrub.yml in the current directory. The file must not be
# readable or writable by group or others (chmod 600).

# The secret every pseudonym is derived from (HMAC-SHA256 key, scheme v1).
# At least 30 characters. Anyone who has it can test guesses against the
# pseudonyms, so it never leaves this machine. Changing it changes every
# pseudonym. The placeholder below is refused.
secret: CHANGEME

# Bytes of HMAC output kept per pseudonym, 8 to 32; the pseudonym is twice as
# many hex characters. 16 (32 hex characters) makes collisions negligible.
hash_bytes: 16

# Lowercase local parts before hashing, so Alice@ and alice@ match. Domains
# are always lowercased. Set to false for servers with case-sensitive mailboxes.
lowercase_local_part: true

# Characters that start an address extension, as Postfix's recipient_delimiter:
# with "+", alice+news@example.org is hashed as alice@example.org. Several
# characters may be given ("+-"); an empty string ("") keeps extensions.
recipient_delimiter: "+"

"""

    /// The example with the placeholder replaced by `secret` (quoted for YAML).
    public static func with(secret: String) -> String {
        text.replacingFirst("secret: \(Config.placeholderSecret)\n", with: "secret: \"\(secret)\"\n")
    }
}

extension String {
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
