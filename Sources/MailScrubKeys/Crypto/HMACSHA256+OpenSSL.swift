import MailScrubBase

private import COpenSSL

/// HMAC-SHA256 under one fixed key (RFC 2104), on OpenSSL's SHA-256.
///
/// The key is absorbed once into an inner and an outer SHA-256 state; each message
/// starts from copies of them, so an HMAC costs two compressions of the key blocks
/// less than a one-shot `HMAC()` and allocates nothing. The states live in memory of
/// their own, wiped on deinit. Not thread-safe: use one instance per thread.
public final class HMACSHA256 {
    /// Length of a full HMAC-SHA256 output in bytes.
    public static let outputByteCount = 32
    private static let blockByteCount = 64

    /// inner, outer, work: three SHA-256 states in one allocation.
    private let states: UnsafeMutablePointer<SHA256_CTX>
    /// The inner digest between the two passes.
    private let innerDigest: UnsafeMutablePointer<UInt8>

    /// Creates a keyed context. The key bytes are not kept; the padded copies made here
    /// are wiped before returning.
    public init(key: [UInt8]) {
        states = .allocate(capacity: 3)
        innerDigest = .allocate(capacity: Self.outputByteCount)
        var block = [UInt8](repeating: 0, count: Self.blockByteCount)
        defer { wipe(&block) }
        block.withUnsafeMutableBufferPointer { block in
            // A key longer than a block is replaced by its digest (RFC 2104, section 2).
            if key.count > Self.blockByteCount {
                let work = states + 2
                key.withUnsafeBytes { Self.check(mailscrub_sha256_init(work) == 1 && mailscrub_sha256_update(work, $0.baseAddress, $0.count) == 1) }
                Self.check(mailscrub_sha256_final(block.baseAddress, work) == 1)
            } else {
                for (i, byte) in key.enumerated() { block[i] = byte }
            }
            for (state, pad) in [(states, UInt8(0x36)), (states + 1, UInt8(0x5c))] {
                for i in block.indices { block[i] ^= pad }
                Self.check(mailscrub_sha256_init(state) == 1 && mailscrub_sha256_update(state, block.baseAddress, block.count) == 1)
                for i in block.indices { block[i] ^= pad }
            }
        }
        wipe(states + 2, MemoryLayout<SHA256_CTX>.size)
    }

    private init(copying other: HMACSHA256) {
        states = .allocate(capacity: 3)
        innerDigest = .allocate(capacity: Self.outputByteCount)
        states.initialize(from: other.states, count: 3)
    }

    /// An independent context under the same key (for another thread).
    public func copy() -> HMACSHA256 { HMACSHA256(copying: self) }

    deinit {
        wipe(states, 3 * MemoryLayout<SHA256_CTX>.size)
        wipe(innerDigest, Self.outputByteCount)
        states.deallocate()
        innerDigest.deallocate()
    }

    /// Writes HMAC-SHA256(key, message) into `output`, which must hold 32 bytes.
    public func authenticate(_ message: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        precondition(output.count >= Self.outputByteCount)
        let work = states + 2
        work.pointee = states.pointee
        Self.check(mailscrub_sha256_update(work, message.baseAddress, message.count) == 1)
        Self.check(mailscrub_sha256_final(innerDigest, work) == 1)
        work.pointee = states[1]
        Self.check(mailscrub_sha256_update(work, innerDigest, Self.outputByteCount) == 1)
        // Safe to force unwrap: the precondition above guarantees a non-empty buffer.
        Self.check(mailscrub_sha256_final(output.baseAddress!.assumingMemoryBound(to: UInt8.self), work) == 1)
    }

    /// HMAC-SHA256(key, message) as a new array.
    public func authenticate(_ message: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Self.outputByteCount)
        message.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { authenticate(input, into: $0) }
        }
        return output
    }

    /// SHA-256 on a valid state cannot fail: a failure is a broken installation, never
    /// something log input can cause.
    private static func check(_ ok: Bool) {
        if !ok { fatalError("mailscrub: OpenSSL SHA-256 failed") }
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
