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
                    compression, fd: fd, first: Array(buffer[0..<filled]), name: name, body: body)
                continue
            }
            var chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<filled])
            while !chunk.isEmpty {
                try body(chunk)
                if !isFile, !Self.hasInputReady(fd) { try inputWaits() }
                let n = try readSome(fd, buffer.baseAddress!, buffer.count, name)
                chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
            }
        }
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
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { String(path[..<$0]) } ?? "."
    var template = Array("\(directory.isEmpty ? "/" : directory)/.mailscrub-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else { throw Failure(.cannotCreate, "\(path): cannot create a file in \(directory): \(errnoText())") }
    let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
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
    let dirfd = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if dirfd >= 0 {
        fsync(dirfd)
        close(dirfd)
    }
}

/// Creates the directories leading to `path` (mode 0700) when they do not exist yet.
func createParentDirectories(of path: String) throws {
    var prefix = ""
    let components = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
    for (index, component) in components.enumerated() {
        prefix += (index == 0 ? "" : "/") + component
        guard !component.isEmpty, component != ".", component != ".." else { continue }
        if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
            throw Failure(.cannotCreate, "\(path): cannot create directory \(prefix): \(errnoText())")
        }
    }
}
