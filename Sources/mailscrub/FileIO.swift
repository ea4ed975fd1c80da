#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Decompression
import Foundation

/// One line on stderr.
enum StandardError {
    static func write(_ message: String) {
        var text = Array((message + "\n").utf8)
        text.withUnsafeMutableBytes { _ = try? writeAll(fd: 2, $0.baseAddress!, $0.count) }
    }
}

/// Thrown when standard output's reader has gone away: a normal end, not an error.
struct OutputClosed: Error {}

/// Writes all of a buffer, retrying short writes and EINTR.
func writeAll(fd: Int32, _ base: UnsafeRawPointer, _ count: Int) throws {
    var done = 0
    while done < count {
        let n = Glibc.write(fd, base + done, count - done)
        if n < 0 {
            if errno == EINTR { continue }
            if errno == EPIPE { throw OutputClosed() }
            throw Failure(.ioError, "cannot write output: \(String(cString: strerror(errno)))")
        }
        done += n
    }
}

/// The human-readable text for the current errno.
func errnoText() -> String { String(cString: strerror(errno)) }

/// A compressed input that could not be read to its end (exit 65). What came before
/// the damage has been handed out already.
struct CorruptInput: Error {
    var message: String
}

/// Reads FILE arguments in order (or stdin when there are none, or for "-") in large
/// blocks, decompressing those that start with the magic bytes of gzip, xz, zstd or bzip2.
struct InputFiles {
    static let chunkSize = 1 << 20

    var paths: [String]
    /// How far reading has got, for progress reports.
    let position = InputPosition()

    /// The size of all inputs together, when each is a regular file (of compressed
    /// bytes, for an archive): what `position` moves towards.
    func totalSize() -> Int64? {
        var total: Int64 = 0
        for path in paths.isEmpty ? ["-"] : paths {
            var info = stat()
            guard path != "-", stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
            total += Int64(info.st_size)
        }
        return total
    }

    /// Calls `startOfFile` with each input's modification time (nil for standard input)
    /// and compression (nil for plain text), then `body` with each chunk of its
    /// (decompressed) bytes, in order, and `inputWaits` after a chunk of plain input
    /// when no more is ready yet (a pipe or terminal whose writer is slower: `tail -F`).
    /// Throws `CorruptInput` for a damaged archive.
    func forEachChunk(
        _ body: (UnsafeRawBufferPointer) throws -> Void,
        inputWaits: () throws -> Void,
        startOfFile: (_ modified: Date?, _ compression: Compression?) throws -> Void
    ) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        for path in paths.isEmpty ? ["-"] : paths {
            let name = path == "-" ? "standard input" : path
            let fd: Int32
            if path == "-" {
                fd = 0
            } else {
                fd = open(path, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { throw Failure(.noInput, "\(path): cannot open: \(errnoText())") }
            }
            defer { if fd != 0 { close(fd) } }
            var info = stat()
            let isFile = fd != 0 && fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
            position.start(fd: isFile ? fd : nil, size: isFile ? Int64(info.st_size) : 0)
            defer { position.finish() }

            // A pipe may hand out fewer bytes than the longest magic: read until there are enough.
            var filled = 0
            while filled < Compression.magicLength {
                let n = try readSome(fd, buffer.baseAddress! + filled, buffer.count - filled, name)
                if n == 0 { break }
                filled += n
            }
            let compression = Compression.detect(UnsafeRawBufferPointer(rebasing: buffer[0..<filled]))
            try startOfFile(isFile ? Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec)) : nil, compression)

            if let compression {
                try BackgroundDecompression.run(
                    compression, fd: fd, first: Array(buffer[0..<filled]), name: name
                ) { block in
                    position.streamed(block.count)
                    try body(block)
                }
                continue
            }
            var chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<filled])
            while !chunk.isEmpty {
                position.streamed(chunk.count)
                try body(chunk)
                if !isFile, !Self.hasInputReady(fd) { try inputWaits() }
                let n = try readSome(fd, buffer.baseAddress!, buffer.count, name)
                chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
            }
        }
    }
}

/// Input bytes read so far, as stored: a regular file's offset (which the thread that
/// decompresses an archive moves), else the bytes handed out of a pipe.
final class InputPosition {
    private var finished: Int64 = 0
    private var fd: Int32?
    private var size: Int64 = 0
    private var streamedBytes: Int64 = 0

    var bytes: Int64 {
        guard let fd else { return finished + streamedBytes }
        return finished + min(size, max(0, Int64(lseek(fd, 0, SEEK_CUR))))
    }

    fileprivate func start(fd: Int32?, size: Int64) {
        self.fd = fd
        self.size = size
        streamedBytes = 0
    }

    fileprivate func streamed(_ count: Int) {
        if fd == nil { streamedBytes += Int64(count) }
    }

    fileprivate func finish() {
        finished += fd == nil ? streamedBytes : size
        fd = nil
        streamedBytes = 0
    }
}

extension InputFiles {
    /// True when a read of `fd` would not wait (bytes, or the end, are there).
    static func hasInputReady(_ fd: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) > 0
    }
}

/// Reads up to `count` bytes from `fd`, retrying EINTR; 0 at the end of the input.
func readSome(_ fd: Int32, _ into: UnsafeMutableRawPointer, _ count: Int, _ name: String) throws -> Int {
    while true {
        let n = read(fd, into, count)
        if n >= 0 { return n }
        if errno != EINTR { throw Failure(.ioError, "\(name): cannot read: \(errnoText())") }
    }
}

/// Writes `text` to `path` atomically with `mode` (0600 unless said): a temporary file in the same
/// directory is written, fsynced and then linked (no overwrite) or renamed (overwrite)
/// into place, and the directory is fsynced. A reader never sees a partial file.
func writeFileAtomically(_ text: String, to path: String, overwrite: Bool, mode: mode_t = 0o600) throws {
    let (fd, temporary) = try temporaryFile(beside: path, prefix: ".mailscrub-")
    var linked = false
    defer {
        close(fd)
        if !linked { unlink(temporary) }
    }
    guard fchmod(fd, mode) == 0 else { throw Failure(.ioError, "\(path): cannot set mode \(String(mode, radix: 8)): \(errnoText())") }
    var bytes = Array(text.utf8)
    try bytes.withUnsafeMutableBytes { try writeAll(fd: fd, $0.baseAddress!, $0.count) }
    for i in bytes.indices { bytes[i] = 0 }
    guard fsync(fd) == 0 else { throw Failure(.ioError, "\(path): cannot sync: \(errnoText())") }
    if overwrite {
        guard rename(temporary, path) == 0 else { throw Failure(.cannotCreate, "\(path): cannot replace: \(errnoText())") }
    } else {
        guard link(temporary, path) == 0 else {
            if errno == EEXIST { throw Failure(.cannotCreate, "\(path): already exists; use --force to replace it") }
            throw Failure(.cannotCreate, "\(path): cannot create: \(errnoText())")
        }
        unlink(temporary)
    }
    linked = true
    syncDirectory(of: path)
}

/// The directory `path` is in, as a path to open: "." for a bare name, "/" at the root.
func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}

/// A new empty file (mode 0600) in the directory of `path`, named `prefix` and six
/// random characters: its descriptor and path.
func temporaryFile(beside path: String, prefix: String) throws -> (fd: Int32, path: String) {
    let folder = directory(of: path)
    var template = Array("\(folder)/\(prefix)XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else { throw Failure(.cannotCreate, "\(path): cannot create a file in \(folder): \(errnoText())") }
    return (fd, String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
}

/// Makes a rename or link into the directory of `path` durable.
func syncDirectory(of path: String) {
    let fd = open(directory(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if fd >= 0 {
        fsync(fd)
        close(fd)
    }
}

/// Creates the directory `path` is in (mode 0700) when it does not exist yet, but only
/// that last level: a mistyped path must not grow a tree of directories.
func createParentDirectory(of path: String) throws {
    guard let slash = path.lastIndex(of: "/") else { return }
    let directory = String(path[..<slash])
    guard !directory.isEmpty else { return }
    var info = stat()
    if stat(directory, &info) == 0 {
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw Failure(.cannotCreate, "\(path): \(directory) is not a directory") }
        return
    }
    guard mkdir(directory, 0o700) == 0 || errno == EEXIST else {
        if errno == ENOENT {
            throw Failure(.cannotCreate, "\(path): the directory \(directory) does not exist, nor does its parent; create it first")
        }
        throw Failure(.cannotCreate, "\(path): cannot create directory \(directory): \(errnoText())")
    }
}

/// Refuses, before any input is read, an output path that cannot be written: a
/// directory, or a file in a directory this user cannot create files in (a temporary
/// file beside it is renamed into place).
func checkWritable(_ path: String, option: String) throws {
    var info = stat()
    if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
        throw Failure(.cannotCreate, "\(path): \(option) names a directory; give a file name")
    }
    let folder = directory(of: path)
    guard stat(folder, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
        throw Failure(.cannotCreate, "\(path): \(option): the directory \(folder) does not exist")
    }
    guard access(folder, W_OK | X_OK) == 0 else {
        throw Failure(.cannotCreate, "\(path): \(option): cannot create files in \(folder): \(errnoText())")
    }
}

/// `--output FILE`: output goes to a temporary file beside FILE, which takes FILE's name
/// only when the run succeeds, so a failed or cut-off run never leaves a partial file
/// where the hand-off looks.
final class OutputFile {
    let path: String
    let fd: Int32
    private let temporary: String
    private var done = false

    init(_ path: String) throws {
        try checkWritable(path, option: "--output")
        self.path = path
        (fd, temporary) = try temporaryFile(beside: path, prefix: ".mailscrub-output-")
        // mkstemp makes 0600; the output is what the umask says, like a shell redirection.
        let mask = umask(0)
        umask(mask)
        fchmod(fd, 0o666 & ~mask)
    }

    /// Syncs the file and gives it its name.
    func commit() throws {
        guard fsync(fd) == 0 else { throw Failure(.ioError, "\(path): cannot sync: \(errnoText())") }
        guard rename(temporary, path) == 0 else { throw Failure(.cannotCreate, "\(path): cannot create: \(errnoText())") }
        done = true
        syncDirectory(of: path)
    }

    deinit {
        close(fd)
        if !done { unlink(temporary) }
    }
}
