#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Decompression
import Foundation

/// Reads and decompresses an archive on a second thread, a few blocks ahead of the
/// pipeline, as `zcat file | mailscrub` would run on two cores, without the pipe.
enum BackgroundDecompression {
    /// Bytes per block handed over, and blocks held at most: memory stays bounded.
    static let blockSize = 1 << 20
    static let depth = 4

    /// Decompresses `fd` (whose first bytes, already read, are `first`) and calls `body`
    /// with the output in order on this thread. Throws `CorruptInput` for a damaged
    /// archive (after handing out everything before the damage), a read error as the
    /// `Failure` it is, and whatever `body` throws (the reading thread then stops).
    static func run(
        _ compression: Compression, fd: Int32, first: [UInt8], name: String,
        body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let handoff = Handoff(depth: depth)
        let reader = Thread {
            do {
                try decompress(compression, fd: fd, first: first, name: name, into: handoff)
                handoff.finish(nil)
            } catch {
                handoff.finish(error)
            }
        }
        reader.start()
        // Whatever ends this loop, the reader stops before `fd` is closed.
        defer {
            handoff.cancel()
            handoff.waitUntilFinished()
        }
        do {
            while let block = try handoff.take() {
                try block.withUnsafeBytes { try body($0) }
            }
        } catch let error as DecompressionError {
            throw CorruptInput(message: "\(name): \(error)")
        }
    }

    /// The reading thread: file to blocks of decompressed bytes.
    private static func decompress(_ compression: Compression, fd: Int32, first: [UInt8], name: String, into handoff: Handoff) throws {
        let decompressor = try compression.decompressor()
        var pending: [UInt8] = []
        pending.reserveCapacity(blockSize)
        let collect: (UnsafeRawBufferPointer) throws -> Void = { output in
            pending.append(contentsOf: output)
            if pending.count >= blockSize {
                guard handoff.put(pending) else { throw Handoff.Cancelled() }
                pending = []
                pending.reserveCapacity(blockSize)
            }
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: InputFiles.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        do {
            try first.withUnsafeBytes { try decompressor.feed($0, collect) }
            while true {
                let n = try readSome(fd, buffer.baseAddress!, buffer.count, name)
                if n == 0 { break }
                try decompressor.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<n]), collect)
            }
            try decompressor.finish(collect)
        } catch let error as DecompressionError {
            // What came before the damage is handed out before the error.
            if !pending.isEmpty { _ = handoff.put(pending) }
            throw error
        }
        if !pending.isEmpty { _ = handoff.put(pending) }
    }

    /// A bounded queue of blocks from the reading thread to the caller's.
    final class Handoff: @unchecked Sendable {
        /// Thrown on the reading thread when the caller has stopped taking blocks.
        struct Cancelled: Error {}

        private let condition = NSCondition()
        private let depth: Int
        private var blocks: [[UInt8]] = []
        private var finished = false
        private var failure: Error?
        private var cancelled = false

        init(depth: Int) {
            self.depth = depth
        }

        /// Waits while `depth` blocks are pending; false once the caller has gone.
        func put(_ block: [UInt8]) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            while blocks.count >= depth && !cancelled { condition.wait() }
            guard !cancelled else { return false }
            blocks.append(block)
            condition.broadcast()
            return true
        }

        /// The reading thread is done, with `error` if it failed.
        func finish(_ error: Error?) {
            condition.lock()
            failure = error
            finished = true
            condition.broadcast()
            condition.unlock()
        }

        /// The next block, or nil at the end; throws the reading thread's error once
        /// every block before it was taken.
        func take() throws -> [UInt8]? {
            condition.lock()
            defer { condition.unlock() }
            while blocks.isEmpty && !finished { condition.wait() }
            if !blocks.isEmpty {
                condition.broadcast()
                return blocks.removeFirst()
            }
            if let failure, !(failure is Cancelled) { throw failure }
            return nil
        }

        func cancel() {
            condition.lock()
            cancelled = true
            condition.broadcast()
            condition.unlock()
        }

        func waitUntilFinished() {
            condition.lock()
            while !finished { condition.wait() }
            condition.unlock()
        }
    }
}
