#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MailScrubCore

/// The epoch key store on disk: a directory (mode 0700) of `<epoch>.key` files (0600),
/// written atomically and destroyed by overwriting, unlinking and syncing the directory.
struct KeyStoreDirectory {
    var path: String

    /// Creates the directory (0700) if it does not exist; its parent must exist.
    func create() throws {
        try createParentDirectory(of: path + "/x")
    }

    /// Refuses a store that group or others can reach: it holds every epoch's secret.
    func checkPermissions() throws {
        var info = stat()
        guard stat(path, &info) == 0 else { throw Failure(.config, "\(path): cannot open key store: \(errnoText())") }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw Failure(.config, "\(path): key store is not a directory") }
        guard info.st_mode & 0o077 == 0 else {
            throw Failure(.config, "\(path): key store permissions let group or others in; run: chmod 700 \(path)")
        }
    }

    /// The epochs that have a key file.
    func epochs() throws -> [String] {
        guard let dir = opendir(path) else { throw Failure(.config, "\(path): cannot list key store: \(errnoText())") }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(".key"), !name.hasPrefix(".") { names.append(String(name.dropLast(4))) }
        }
        return names.sorted()
    }

    /// Reads every key in the store.
    func keys() throws -> [EpochKey] {
        try epochs().map { epoch in
            let file = path + "/" + EpochKey.fileName(epoch)
            let bytes = try ConfigLoader.readFile(file, what: "key")
            do throws(ConfigError) {
                return try EpochKey.parse(String(decoding: bytes, as: UTF8.self), path: file)
            } catch {
                throw Failure(.config, error.description)
            }
        }
    }

    /// The ledger of every epoch this store ever created a key for (one label a line), so
    /// rotation can fill gaps without ever recreating a destroyed key; nil for a store
    /// from before the ledger.
    var ledgerPath: String { path + "/created-epochs" }

    func createdEpochs() throws -> Set<String>? {
        guard access(ledgerPath, F_OK) == 0 else { return nil }
        let bytes = try ConfigLoader.readFile(ledgerPath, what: "key ledger")
        return Set(String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init))
    }

    /// Adds `epochs` to the ledger (written before their keys, so a crash in between
    /// leaves an epoch counted as created, never a key that could be made twice).
    func recordCreated(_ epochs: [String]) throws {
        let known = try createdEpochs()
        let all = (known ?? []).union(epochs)
        guard all != known else { return }
        try writeFileAtomically(all.sorted().map { $0 + "\n" }.joined(), to: ledgerPath, overwrite: true)
    }

    /// Writes a key file (0600, atomic), replacing an existing one only when told to.
    func write(_ key: EpochKey, replacing: Bool = false) throws {
        let file = path + "/" + EpochKey.fileName(key.epoch)
        do {
            try writeFileAtomically(key.text, to: file, overwrite: replacing)
        } catch let failure as Failure where failure.code == .cannotCreate && access(file, F_OK) == 0 && !replacing {
            throw Failure(.cannotCreate, "\(file): epoch \(key.epoch) already has a key; 'mailscrub keys import --force' replaces it")
        }
    }

    /// Destroys an epoch's key: overwrite with zeros, sync, unlink, sync the directory.
    func destroy(_ epoch: String) throws {
        let file = path + "/" + EpochKey.fileName(epoch)
        let fd = open(file, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(.ioError, "\(file): cannot open to destroy: \(errnoText())") }
        var info = stat()
        if fstat(fd, &info) == 0, info.st_size > 0 {
            let zeros = [UInt8](repeating: 0, count: Int(info.st_size))
            try zeros.withUnsafeBytes { try writeAll(fd: fd, $0.baseAddress!, $0.count) }
            fsync(fd)
        }
        close(fd)
        guard unlink(file) == 0 else { throw Failure(.ioError, "\(file): cannot remove: \(errnoText())") }
        let dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirfd >= 0 {
            fsync(dirfd)
            close(dirfd)
        }
    }
}
