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
        let unit: Int64
        switch precision {
        case .second: return time
        case .minute: unit = 60
        case .hour: unit = 3600
        case .day: unit = 86_400
        }
        let floored = time.seconds >= 0 ? time.seconds / unit * unit : (time.seconds - unit + 1) / unit * unit
        return LogTime(seconds: floored)
    }
}
