/// Calendar arithmetic on the proleptic Gregorian calendar, without Foundation, so that
/// the core never reads the system clock or zone files (those come in from outside).
package enum CivilTime {
    /// Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil).
    @inlinable
    package static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day count since 1970-01-01 (civil_from_days).
    @inlinable
    package static func date(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Seconds since the epoch of a civil date and time, read as UTC.
    @inlinable
    package static func seconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Int64 {
        Int64(days(year: year, month: month, day: day)) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }
}

/// An instant read from a log: seconds since the epoch (UTC) and microseconds.
public struct LogTime: Comparable, Sendable {
    public var seconds: Int64
    public var microseconds: Int32
    /// Whether the source carried a fraction of a second, so the output keeps one.
    public var hasFraction: Bool

    @inlinable
    public init(seconds: Int64, microseconds: Int32 = 0, hasFraction: Bool = false) {
        self.seconds = seconds
        self.microseconds = microseconds
        self.hasFraction = hasFraction
    }

    @inlinable
    public static func < (a: LogTime, b: LogTime) -> Bool {
        (a.seconds, a.microseconds) < (b.seconds, b.microseconds)
    }

    /// RFC 3339 in UTC: `2026-03-03T08:15:02Z`, or with `.120044` when the input had a fraction.
    public func appendRFC3339(to out: inout [UInt8]) {
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let (y, m, d) = CivilTime.date(days: days)
        // Composed on the stack and appended once: one capacity check, not twenty-seven.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 27) { text in
            var n = 0
            func digits(_ value: Int, _ width: Int) {
                var divisor = 1
                for _ in 1..<width { divisor *= 10 }
                var v = value
                while divisor > 0 {
                    text[n] = UInt8(0x30 + (v / divisor) % 10)
                    n += 1
                    v %= divisor
                    divisor /= 10
                }
            }
            func byte(_ c: UInt8) {
                text[n] = c
                n += 1
            }
            digits(y, 4); byte(ASCII.hyphen); digits(m, 2); byte(ASCII.hyphen); digits(d, 2)
            byte(0x54)  // T
            digits(secondOfDay / 3600, 2); byte(ASCII.colon)
            digits(secondOfDay / 60 % 60, 2); byte(ASCII.colon)
            digits(secondOfDay % 60, 2)
            if hasFraction {
                byte(ASCII.dot)
                digits(Int(microseconds), 6)
            }
            byte(0x5A)  // Z
            out.appendBytes(UnsafeRawBufferPointer(text), 0..<n)
        }
    }
}
