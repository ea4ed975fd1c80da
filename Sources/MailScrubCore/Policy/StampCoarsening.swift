import MailScrubBase

/// A syslog timestamp rounded down to a policy's time precision, in the form it was
/// written: the clock digits below the precision become zeros and a fraction of a second
/// is left out (`May 20 22:17:06` → `May 20 22:00:00` by the hour), so lines give away
/// no more than records. The rounding is in the zone the stamp was written in.
enum StampCoarsening {
    static func append(
        _ b: UnsafeRawBufferPointer, _ stamp: Range<Int>, format: SyslogHeader.Format,
        precision: Policy.TimePrecision, into out: inout [UInt8]
    ) {
        if format == .unix { return appendUnix(b, stamp, precision, into: &out) }
        guard let clock = clockStart(b, stamp) else {
            // Every stamp the header reader accepts has a clock; should one not, it goes
            // rather than stays exact.
            return
        }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[stamp.lowerBound..<clock]))
        let kept: Int
        switch precision {
        case .second: kept = 8
        case .minute: kept = 5
        case .hour: kept = 2
        case .day: kept = 0
        }
        for k in 0..<8 {
            let c = b[clock + k]
            out.append(k < kept || c == ASCII.colon ? c : 0x30)
        }
        var i = clock + 8
        if i + 1 < stamp.upperBound, b[i] == ASCII.dot || b[i] == ASCII.comma, ASCII.isDigit(b[i + 1]) {
            i += 1
            while i < stamp.upperBound, ASCII.isDigit(b[i]) { i += 1 }
        }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[i..<stamp.upperBound]))
    }

    /// Where `HH:MM:SS` starts in the stamp, or nil.
    private static func clockStart(_ b: UnsafeRawBufferPointer, _ stamp: Range<Int>) -> Int? {
        var i = stamp.lowerBound
        while i + 8 <= stamp.upperBound {
            if b[i + 2] == ASCII.colon, b[i + 5] == ASCII.colon, ASCII.isDigit(b[i]), ASCII.isDigit(b[i + 1]),
               ASCII.isDigit(b[i + 3]), ASCII.isDigit(b[i + 4]), ASCII.isDigit(b[i + 6]), ASCII.isDigit(b[i + 7]) {
                return i
            }
            i += 1
        }
        return nil
    }

    /// journalctl `short-unix` (`1716243426.123456`): whole seconds, rounded down.
    private static func appendUnix(_ b: UnsafeRawBufferPointer, _ stamp: Range<Int>, _ precision: Policy.TimePrecision, into out: inout [UInt8]) {
        let digits = b.firstIndex(of: ASCII.dot, from: stamp.lowerBound, to: stamp.upperBound) ?? stamp.upperBound
        guard let seconds = ASCII.decimal(b, stamp.lowerBound..<digits) else { return }
        JSONWriter.appendInteger(Int(Coarsening.time(LogTime(seconds: Int64(seconds)), precision).seconds), to: &out)
    }
}
