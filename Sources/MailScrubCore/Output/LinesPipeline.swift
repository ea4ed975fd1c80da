/// The `lines` output mode from bytes in to bytes out: splits input into lines, scrubs
/// each, and hands the result to a sink in large blocks. The binary and the tests run
/// this same code; it does no I/O itself.
public final class LinesPipeline {
    /// Output is handed to the sink once this many bytes are pending (or on `flush`).
    public static let blockSize = 256 * 1024

    private let scrubber: LineScrubber
    private var splitter: LineSplitter
    private var output: [UInt8] = []
    /// Lines read so far.
    public private(set) var lineCount = 0
    /// Lines longer than the splitter's cap, whose tails were dropped.
    public private(set) var truncatedLineCount = 0

    public init(scrubber: LineScrubber, maxLineLength: Int = LineSplitter.defaultMaxLineLength) {
        self.scrubber = scrubber
        splitter = LineSplitter(maxLineLength: maxLineLength)
        output.reserveCapacity(Self.blockSize + 64 * 1024)
    }

    /// Processes a chunk of input; `sink` receives output blocks when enough is pending.
    public func feed(_ chunk: UnsafeRawBufferPointer, sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        try splitter.append(chunk) { line in
            try handle(line, sink: sink)
        }
    }

    /// Ends the input (a last line without newline is scrubbed and left without one)
    /// and hands all pending output to `sink`.
    public func finish(sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        try splitter.finish { line in try handle(line, sink: sink) }
        try flush(sink: sink)
    }

    /// Hands everything pending to `sink`, e.g. at the end of each input file.
    public func flush(sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        guard !output.isEmpty else { return }
        try output.withUnsafeBytes { try sink($0) }
        output.removeAll(keepingCapacity: true)
    }

    private func handle(_ line: Line, sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        lineCount += 1
        if line.truncated { truncatedLineCount += 1 }
        scrubber.scrub(line.bytes, into: &output)
        if line.terminated { output.append(ASCII.newline) }
        if output.count >= Self.blockSize { try flush(sink: sink) }
    }
}
