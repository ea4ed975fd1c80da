import MailScrubBase

/// The coarsenings a policy can ask for, shared by records and events.
enum Coarsening {
    /// The largest power of two not above `n` (0 for 0): sizes as buckets.
    static func log2Bucket(_ n: Int) -> Int {
        guard n > 0 else { return 0 }
        return 1 << (Int.bitWidth - 1 - n.leadingZeroBitCount)
    }

    /// `time` rounded down to `precision`; the fraction of a second is kept only at
    /// second precision (as logged).
    static func time(_ time: LogTime, _ precision: Policy.TimePrecision) -> LogTime {
        guard precision != .second else { return time }
        return LogTime(seconds: floor(time.seconds, seconds(precision)))
    }

    /// The length of `precision` in seconds.
    static func seconds(_ precision: Policy.TimePrecision) -> Int64 {
        switch precision {
        case .second: 1
        case .minute: 60
        case .hour: 3600
        case .day: 86_400
        }
    }

    /// `value` rounded down to a multiple of `unit` (towards minus infinity).
    static func floor(_ value: Int64, _ unit: Int64) -> Int64 {
        value >= 0 ? value / unit * unit : (value - unit + 1) / unit * unit
    }
}
