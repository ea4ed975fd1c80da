import MailScrubBase
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One input line, without its newline, valid only during the callback that receives it.
public struct Line {
    /// The line's bytes, excluding the `\n`; at most `LineSplitter.maxLineLength` of them.
    public var bytes: UnsafeRawBufferPointer
    /// True when the input line was longer than the limit and its tail was dropped.
    public var truncated: Bool
    /// False only for a final line that ended at end of input without a newline.
    public var terminated: Bool
}

/// Splits a byte stream, fed in chunks of any size, into lines.
///
/// Complete lines inside a chunk are handed out without copying; only a line that
/// spans chunks is gathered in a buffer. The buffer never holds more than
/// `maxLineLength` bytes: the rest of an over-long line is dropped and the line is
/// marked `truncated`, so memory stays bounded whatever the input.
public struct LineSplitter {
    /// Default cap on one line: far above any syslog line, small enough to keep memory bounded.
    public static let defaultMaxLineLength = 1 << 20

    /// Longest line handed out; bytes beyond it are dropped.
    public let maxLineLength: Int
    /// Start of a line that began in an earlier chunk; never longer than `maxLineLength`.
    private var pending: [UInt8] = []
    /// True while skipping the tail of an over-long line up to its newline.
    private var dropping = false
    /// True when `pending` (or the line being dropped) was cut at `maxLineLength`.
    private var pendingTruncated = false

    public init(maxLineLength: Int = LineSplitter.defaultMaxLineLength) {
        precondition(maxLineLength > 0)
        self.maxLineLength = maxLineLength
    }

    /// Feeds the next chunk; `body` is called for each line the chunk completes.
    public mutating func append(_ chunk: UnsafeRawBufferPointer, _ body: (Line) throws -> Void) rethrows {
        guard let base = chunk.baseAddress else { return }
        var start = 0
        let end = chunk.count
        while start < end {
            guard let hit = memchr(base + start, Int32(ASCII.newline), end - start) else {
                keep(UnsafeRawBufferPointer(rebasing: chunk[start..<end]))
                return
            }
            let newline = base.distance(to: UnsafeRawPointer(hit))
            let piece = UnsafeRawBufferPointer(rebasing: chunk[start..<newline])
            if pending.isEmpty && !dropping {
                if piece.count > maxLineLength {
                    try body(Line(bytes: UnsafeRawBufferPointer(rebasing: piece[0..<maxLineLength]),
                                  truncated: true, terminated: true))
                } else {
                    try body(Line(bytes: piece, truncated: false, terminated: true))
                }
            } else {
                keep(piece)
                try flushPending(terminated: true, body)
            }
            start = newline + 1
        }
    }

    /// Ends the input: a last line without a newline is handed out, marked unterminated.
    public mutating func finish(_ body: (Line) throws -> Void) rethrows {
        if !pending.isEmpty || dropping {
            try flushPending(terminated: false, body)
        }
    }

    /// Adds bytes of the current unfinished line, dropping what exceeds the cap.
    private mutating func keep(_ bytes: UnsafeRawBufferPointer) {
        let room = maxLineLength - pending.count
        if bytes.count > room {
            pending.append(contentsOf: bytes[0..<room])
            dropping = true
            pendingTruncated = true
        } else {
            pending.append(contentsOf: bytes)
        }
    }

    private mutating func flushPending(terminated: Bool, _ body: (Line) throws -> Void) rethrows {
        defer {
            pending.removeAll(keepingCapacity: pending.capacity <= 64 * 1024)
            dropping = false
            pendingTruncated = false
        }
        try pending.withUnsafeBytes { bytes in
            try body(Line(bytes: bytes, truncated: pendingTruncated, terminated: terminated))
        }
    }
}
