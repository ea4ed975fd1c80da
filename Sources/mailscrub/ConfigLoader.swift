#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MailScrubCore

/// Finds, checks and reads the config file; the parsing itself is `Config.parse`.
enum ConfigLoader {
    /// The config looked for when neither --config nor $MAILSCRUB_CONFIG is given.
    static let defaultPath = "config/mailscrub.yml"

    /// The path to use: `explicit`, else $MAILSCRUB_CONFIG, else the default path when it
    /// exists; nil when there is no config at all.
    static func locate(explicit: String?) -> String? {
        if let explicit { return explicit }
        if let env = getenv("MAILSCRUB_CONFIG"), env.pointee != 0 { return String(cString: env) }
        return access(defaultPath, F_OK) == 0 ? defaultPath : nil
    }

    /// Reads and validates the config at `path`, refusing one that group or others can access.
    static func load(path: String) throws -> Config {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw Failure(.config, "\(path): cannot read config: \(errnoText())")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw Failure(.config, "\(path): permissions \(octal(mode)) let group or others access the secret; run: chmod 600 \(path)")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(.config, "\(path): cannot read config: \(errnoText())") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(.config, "\(path): cannot read config: \(errnoText())")
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            guard bytes.count <= 1 << 20 else { throw Failure(.config, "\(path): config is larger than 1 MiB") }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Failure(.config, "\(path): config is not valid UTF-8")
        }
        do {
            return try Config.parse(text, path: path)
        } catch {
            throw Failure(.config, error.description)
        }
    }

    /// The pseudonymizer for this run and the config it came from: from the config when
    /// there is one, else from a one-time random key, which is announced on stderr.
    static func pseudonymizerAndConfig(explicit: String?) throws -> (Pseudonymizer, Config?) {
        guard let path = locate(explicit: explicit) else {
            var key = try randomKey()
            defer { wipe(&key) }
            StandardError.write(
                "mailscrub: no config found (--config, $MAILSCRUB_CONFIG, \(defaultPath)); using a one-time random key: pseudonyms will not match any other run")
            return (Pseudonymizer(secret: key), nil)
        }
        let config = try load(path: path)
        return (Pseudonymizer(secret: config.secret, options: config.pseudonyms), config)
    }

    static func pseudonymizer(explicit: String?) throws -> Pseudonymizer {
        try pseudonymizerAndConfig(explicit: explicit).0
    }

    static func randomKey() throws -> [UInt8] {
        do {
            return try SecureRandom.bytes(32)
        } catch {
            throw Failure(.ioError, "the system's random number generator is not available")
        }
    }

    private static func octal(_ mode: mode_t) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
