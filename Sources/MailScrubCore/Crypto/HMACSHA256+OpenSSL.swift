private import COpenSSL

/// HMAC-SHA256 under one fixed key, backed by OpenSSL's EVP_MAC.
///
/// The keyed context is set up once and re-initialised without a key for each
/// message, which OpenSSL documents as reusing the key already set: about six
/// times faster than a one-shot `HMAC()` per value. Not thread-safe: use one
/// instance per thread.
public final class HMACSHA256 {
    /// Length of a full HMAC-SHA256 output in bytes.
    public static let outputByteCount = 32

    private let mac: OpaquePointer
    private let context: OpaquePointer

    /// Creates a keyed context. The key bytes are copied into OpenSSL and not kept here.
    public init(key: [UInt8]) {
        // HMAC is in every OpenSSL 3 default provider: a failure here is a broken
        // installation, never something log input can cause.
        guard let mac = EVP_MAC_fetch(nil, "HMAC", nil) else {
            fatalError("mailscrub: OpenSSL has no HMAC implementation")
        }
        guard let context = EVP_MAC_CTX_new(mac) else {
            fatalError("mailscrub: OpenSSL could not allocate an HMAC context")
        }
        self.mac = mac
        self.context = context
        // A zero-length key still needs a valid pointer, or OpenSSL keeps no key at all.
        let keyBytes = key.isEmpty ? [0] : key
        // OpenSSL keeps the parameter name's pointer until EVP_MAC_init reads it: it must
        // outlive the call that builds the parameter, so it comes from a static string,
        // not a temporary bridged from a literal.
        let digestKey: StaticString = "digest"
        let ok = "SHA256".withCString { digestName -> Int32 in
            let name = UnsafeRawPointer(digestKey.utf8Start).assumingMemoryBound(to: CChar.self)
            var params = [
                OSSL_PARAM_construct_utf8_string(name, UnsafeMutablePointer(mutating: digestName), 0),
                OSSL_PARAM_construct_end(),
            ]
            return keyBytes.withUnsafeBufferPointer { buffer in
                EVP_MAC_init(context, buffer.baseAddress, key.count, &params)
            }
        }
        guard ok == 1 else { fatalError("mailscrub: OpenSSL HMAC key setup failed") }
    }

    private init(mac: OpaquePointer, context: OpaquePointer) {
        self.mac = mac
        self.context = context
    }

    /// An independent context under the same key (for another thread), without the key
    /// bytes ever leaving OpenSSL.
    public func copy() -> HMACSHA256 {
        guard EVP_MAC_up_ref(mac) == 1, let context = EVP_MAC_CTX_dup(context) else {
            fatalError("mailscrub: OpenSSL could not copy an HMAC context")
        }
        return HMACSHA256(mac: mac, context: context)
    }

    deinit {
        // EVP_MAC_CTX_free cleanses the key schedule it holds.
        EVP_MAC_CTX_free(context)
        EVP_MAC_free(mac)
    }

    /// Writes HMAC-SHA256(key, message) into `output`, which must hold 32 bytes.
    public func authenticate(_ message: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        precondition(output.count >= Self.outputByteCount)
        var written = 0
        var byte: UInt8 = 0
        let ok = withUnsafePointer(to: &byte) { emptyPointer -> Bool in
            // Re-initialising with a nil key keeps the key set in init.
            guard EVP_MAC_init(context, nil, 0, nil) == 1 else { return false }
            let base = message.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? emptyPointer
            guard EVP_MAC_update(context, base, message.count) == 1 else { return false }
            // Safe to force unwrap: the precondition above guarantees a non-empty buffer.
            return EVP_MAC_final(
                context, output.baseAddress!.assumingMemoryBound(to: UInt8.self), &written, output.count) == 1
        }
        guard ok, written == Self.outputByteCount else {
            fatalError("mailscrub: OpenSSL HMAC computation failed")
        }
    }

    /// HMAC-SHA256(key, message) as a new array.
    public func authenticate(_ message: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Self.outputByteCount)
        message.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { authenticate(input, into: $0) }
        }
        return output
    }
}

/// Cryptographically secure random bytes from OpenSSL's RAND_bytes.
public enum SecureRandom {
    /// Returns `count` random bytes, or throws when OpenSSL's generator is not seeded.
    public static func bytes(_ count: Int) throws(CryptoError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: count)
        let ok = output.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32($0.count)) }
        guard ok == 1 else { throw CryptoError.randomUnavailable }
        return output
    }
}

/// Overwrites a buffer holding key material so it does not linger in freed memory.
public func wipe(_ bytes: inout [UInt8]) {
    bytes.withUnsafeMutableBytes { buffer in
        if let base = buffer.baseAddress { OPENSSL_cleanse(base, buffer.count) }
    }
}

/// Overwrites `count` bytes at `base` with zeros in a way the compiler cannot drop as a
/// dead store before the memory is freed.
func wipe(_ base: UnsafeMutableRawPointer, _ count: Int) {
    OPENSSL_cleanse(base, count)
}

/// Failures of the OpenSSL layer that callers can report.
public enum CryptoError: Error, Equatable {
    /// RAND_bytes failed: the system's random source is not available.
    case randomUnavailable
}

/// Streaming SHA-256 over OpenSSL's EVP digest, for manifests (output and file digests).
public final class SHA256Digest {
    private let context: OpaquePointer

    public init() {
        guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            fatalError("mailscrub: OpenSSL SHA-256 setup failed")
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        guard EVP_DigestUpdate(context, base, bytes.count) == 1 else { fatalError("mailscrub: OpenSSL SHA-256 failed") }
    }

    /// The digest as lowercase hex; the object is spent afterwards.
    public func finish() -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        guard digest.withUnsafeMutableBufferPointer({ EVP_DigestFinal_ex(context, $0.baseAddress, &length) }) == 1 else {
            fatalError("mailscrub: OpenSSL SHA-256 failed")
        }
        return ASCII.hex(digest)
    }

    /// SHA-256 of `bytes` as lowercase hex.
    public static func hex(_ bytes: [UInt8]) -> String {
        let d = SHA256Digest()
        bytes.withUnsafeBytes { d.update($0) }
        return d.finish()
    }
}
