#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A progress report on one line of stderr: input read (and its share, when the input
/// is files of known size), throughput and output written, redrawn a few times a second
/// and erased when the run ends, so nothing of it stays in a terminal's scrollback.
final class ProgressLine {
    /// Seconds between redraws.
    static let interval = 0.25

    private let totalBytes: Int64?
    private let started = ProgressLine.now()
    private var lastDraw: Double
    private var drawn = false

    /// `totalBytes`: the size of the whole input, when it is known.
    init(totalBytes: Int64?) {
        self.totalBytes = totalBytes
        lastDraw = started
    }

    /// Called after each block of input; draws when the last drawing is old enough.
    func update(readBytes: Int64, written: Int, unit: String) {
        let now = Self.now()
        guard now - lastDraw >= Self.interval else { return }
        lastDraw = now
        var line = "\rmailscrub: \(Self.megabytes(readBytes))"
        if let totalBytes, totalBytes > 0 {
            line += " of \(Self.megabytes(totalBytes)) (\(min(100, readBytes * 100 / totalBytes))%)"
        }
        let seconds = now - started
        if seconds > 0 { line += ", \(Self.oneDecimal(Double(readBytes) / 1_000_000 / seconds)) MB/s" }
        line += ", \(written) \(unit)\u{1B}[K"
        show(line)
        drawn = true
    }

    /// Erases the line, if one was drawn.
    func clear() {
        if drawn { show("\r\u{1B}[K") }
        drawn = false
    }

    private func show(_ text: String) {
        let bytes = Array(text.utf8)
        // Best effort: progress that cannot be shown is not worth failing a run for.
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }

    private static func megabytes(_ bytes: Int64) -> String { "\(oneDecimal(Double(bytes) / 1_000_000)) MB" }

    private static func oneDecimal(_ value: Double) -> String {
        let tenths = Int64((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
