import MailScrubBase

/// The small JSON manifest of one run (`--manifest PATH`): what went in and out, under
/// which policy and keys, sealed with an HMAC under the manifest subkey
/// (K_manifest = HMAC-SHA256(S, "mailscrub/v1/manifest")). A recipient without the
/// secret can check the counts and the output's SHA-256; the operator can prove the
/// manifest (and through `output_sha256`, the output) unaltered.
///
/// The seal is the lowercase hex HMAC-SHA256(K_manifest, body), where body is the
/// manifest text up to and including `"hmac_key_id":"…"` followed by `}`: remove
/// `,"hmac":"…"` from the file to get it back.
public struct RunManifest: Sendable {
    public static let schema = "mailscrub.manifest/1"

    public var version: String
    public var mode: String
    public var inputBytes: Int
    public var inputLines: Int
    public var outputBytes: Int
    public var outputSHA256: String
    public var recordsByStatus: [String: Int]
    public var unrecognizedLines: Int
    /// Lines from Postfix, lines by format (`bsd`, `rfc5424`, `journal-json`, …), inputs
    /// by compression (`none`, `gzip`, …).
    public var postfixLines: Int
    public var linesByFormat: [String: Int]
    public var inputsByCompression: [String: Int]
    public var evictedQueueIDs: Int
    public var keyIDs: [String]
    public var policy: String
    public var policySHA256: String?
    public var configSHA256: String?

    public init(
        version: String, mode: String, inputBytes: Int, inputLines: Int, outputBytes: Int, outputSHA256: String,
        recordsByStatus: [String: Int], unrecognizedLines: Int, postfixLines: Int, linesByFormat: [String: Int],
        inputsByCompression: [String: Int], evictedQueueIDs: Int, keyIDs: [String],
        policy: String, policySHA256: String?, configSHA256: String?
    ) {
        self.version = version
        self.mode = mode
        self.inputBytes = inputBytes
        self.inputLines = inputLines
        self.outputBytes = outputBytes
        self.outputSHA256 = outputSHA256
        self.recordsByStatus = recordsByStatus
        self.unrecognizedLines = unrecognizedLines
        self.postfixLines = postfixLines
        self.linesByFormat = linesByFormat
        self.inputsByCompression = inputsByCompression
        self.evictedQueueIDs = evictedQueueIDs
        self.keyIDs = keyIDs
        self.policy = policy
        self.policySHA256 = policySHA256
        self.configSHA256 = configSHA256
    }

    /// The manifest text (one line of JSON and a newline), sealed with `sealer`'s manifest key.
    public func sealed(with sealer: Pseudonymizer) -> [UInt8] {
        var body: [UInt8] = []
        func key(_ name: String, first: Bool = false) {
            if !first { body.append(ASCII.comma) }
            JSONWriter.appendString(Array(name.utf8), to: &body)
            body.append(ASCII.colon)
        }
        func string(_ name: String, _ value: String?) {
            key(name)
            if let value { JSONWriter.appendString(Array(value.utf8), to: &body) } else { JSONWriter.appendNull(to: &body) }
        }
        func integer(_ name: String, _ value: Int) {
            key(name)
            JSONWriter.appendInteger(value, to: &body)
        }
        body.append(0x7B)
        key("manifest", first: true)
        JSONWriter.appendString(Array(Self.schema.utf8), to: &body)
        string("mailscrub_version", version)
        string("mode", mode)
        integer("input_bytes", inputBytes)
        integer("input_lines", inputLines)
        integer("output_bytes", outputBytes)
        string("output_sha256", outputSHA256)
        func counts(_ name: String, _ counts: [String: Int]) {
            key(name)
            body.append(0x7B)
            for (k, (label, n)) in counts.sorted(by: { $0.key < $1.key }).enumerated() {
                if k > 0 { body.append(ASCII.comma) }
                JSONWriter.appendString(Array(label.utf8), to: &body)
                body.append(ASCII.colon)
                JSONWriter.appendInteger(n, to: &body)
            }
            body.append(0x7D)
        }
        counts("records_by_status", recordsByStatus)
        integer("unrecognized_lines", unrecognizedLines)
        integer("postfix_lines", postfixLines)
        counts("lines_by_format", linesByFormat)
        counts("inputs_by_compression", inputsByCompression)
        integer("evicted_queue_ids", evictedQueueIDs)
        key("key_ids")
        body.append(ASCII.leftBracket)
        for (k, id) in keyIDs.sorted().enumerated() {
            if k > 0 { body.append(ASCII.comma) }
            JSONWriter.appendString(Array(id.utf8), to: &body)
        }
        body.append(ASCII.rightBracket)
        string("policy", policy)
        string("policy_sha256", policySHA256)
        string("config_sha256", configSHA256)
        string("hmac_key_id", sealer.keyID)
        body.append(0x7D)
        let seal = sealer.manifestMAC(body)
        var out = Array(body.dropLast())
        out.append(contentsOf: Array(",\"hmac\":\"\(seal)\"}\n".utf8))
        return out
    }
}
