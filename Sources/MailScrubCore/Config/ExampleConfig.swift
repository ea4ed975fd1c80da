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

# --- Delivery records (mailscrub's default output) ---

# Traditional syslog stamps ("May 20 22:16:47") have no year and no zone.
# year: the year of the first such stamp; by default it is inferred from today
# (or, for FILE arguments, each file's modification time), stepping back a year
# for months that would lie in the future and forward when the log crosses from
# December to January. Leave unset unless you process old logs from stdin.
# year: 2026

# timezone: IANA zone name of traditional stamps; default: the system zone.
# RFC 3339 stamps carry their own offset and ignore this.
# timezone: Europe/Berlin

# Domains this server receives mail for. A message submitted by an
# authenticated client or picked up locally counts as outgoing when its
# recipient is not in one of these. Without this list, such a message is
# outgoing when it was delivered by smtp to a remote relay.
# local_domains:
#   - example.org
#   - mail.example.org

# Forget a message whose queue id has not been logged for this long (log time),
# e.g. when "removed" is missing. Units: d, h, m, s.
max_age: 7d

# At most this many messages are tracked at once; beyond it the oldest are
# forgotten first. Bounds memory on endless or broken input.
max_open_messages: 200000

# --- Policy and keys ---

# The privacy policy: what leaves, and whether keys rotate. Default: the built-in
# policy (the same as policy/default.yml). Relative to this file's folder.
# policy: ../policy/strict.yml

# Directory of epoch keys, for policies with rotation (see 'mailscrub keys').
# With a key store, 'secret' may be left out. Relative to this file's folder.
# key_store: keys

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
