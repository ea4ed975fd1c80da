#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte constants and classification for scanning log lines without building Strings.
@usableFromInline package enum ASCII {
    @inlinable package static var tab: UInt8 { 0x09 }
    @inlinable package static var newline: UInt8 { 0x0A }
    @inlinable package static var carriageReturn: UInt8 { 0x0D }
    @inlinable package static var space: UInt8 { 0x20 }
    @inlinable package static var quote: UInt8 { 0x22 }  // "
    @inlinable package static var hash: UInt8 { 0x23 }  // #
    @inlinable package static var plus: UInt8 { 0x2B }
    @inlinable package static var comma: UInt8 { 0x2C }
    @inlinable package static var hyphen: UInt8 { 0x2D }
    @inlinable package static var dot: UInt8 { 0x2E }
    @inlinable package static var slash: UInt8 { 0x2F }
    @inlinable package static var colon: UInt8 { 0x3A }
    @inlinable package static var semicolon: UInt8 { 0x3B }
    @inlinable package static var lessThan: UInt8 { 0x3C }
    @inlinable package static var equals: UInt8 { 0x3D }
    @inlinable package static var greaterThan: UInt8 { 0x3E }
    @inlinable package static var question: UInt8 { 0x3F }
    @inlinable package static var at: UInt8 { 0x40 }
    @inlinable package static var leftBracket: UInt8 { 0x5B }
    @inlinable package static var backslash: UInt8 { 0x5C }
    @inlinable package static var rightBracket: UInt8 { 0x5D }
    @inlinable package static var underscore: UInt8 { 0x5F }
    @inlinable package static var leftBrace: UInt8 { 0x7B }
    @inlinable package static var rightBrace: UInt8 { 0x7D }
    @inlinable package static var leftParen: UInt8 { 0x28 }
    @inlinable package static var rightParen: UInt8 { 0x29 }

    @inlinable @inline(__always) package static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    @inlinable @inline(__always) package static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }
    @inlinable @inline(__always) package static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || isAlpha(b) }
    @inlinable @inline(__always) package static func isHexDigit(_ b: UInt8) -> Bool { isDigit(b) || (b | 0x20) &- 0x61 < 6 }
    @inlinable @inline(__always) package static func isUpper(_ b: UInt8) -> Bool { b &- 0x41 < 26 }
    @inlinable @inline(__always) package static func isSpace(_ b: UInt8) -> Bool { b == space || b == tab }
    @inlinable @inline(__always) package static func lower(_ b: UInt8) -> UInt8 { isUpper(b) ? b | 0x20 : b }

    /// Whether `b` is in the ASCII set given as two 64-bit masks (bytes 0-63, 64-127).
    /// Bit tests, not table lookups: no lazy global to reach, inlined across targets.
    @inlinable @inline(__always)
    package static func inSet(_ b: UInt8, _ low: UInt64, _ high: UInt64) -> Bool {
        b < 64 ? low >> UInt64(b) & 1 != 0 : b < 128 && high >> UInt64(b &- 64) & 1 != 0
    }

    /// A byte allowed in an unquoted local part (RFC 5322 atext plus dot), or any
    /// non-ASCII byte, since SMTPUTF8 addresses and raw junk must be caught too.
    @inlinable @inline(__always)
    package static func isLocalPartByte(_ b: UInt8) -> Bool { b >= 0x80 || inSet(b, 0xA3FFECFA00000000, 0x7FFFFFFFC7FFFFFE) }

    /// A byte of a domain name as they occur in logs, including non-ASCII (IDN) bytes.
    @inlinable @inline(__always)
    package static func isDomainByte(_ b: UInt8) -> Bool { b >= 0x80 || inSet(b, 0x03FF600000000000, 0x07FFFFFE87FFFFFE) }

    /// A byte that may start or continue a `key=` name we look up in a line.
    @inlinable @inline(__always)
    package static func isKeyByte(_ b: UInt8) -> Bool { inSet(b, 0x03FF600000000000, 0x07FFFFFE87FFFFFE) }

    /// The lowercase hex digit of `v` (0...15).
    @inlinable @inline(__always)
    package static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 &+ v : 0x57 &+ v }

    /// Lowercase hex of `bytes`.
    package static func hex<C: Collection<UInt8>>(_ bytes: C) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(hexDigit(b >> 4))
            out.append(hexDigit(b & 0x0F))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The whole number written in `range` (digits only), or nil when it is empty, holds
    /// anything else or does not fit an `Int`.
    package static func decimal(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty else { return nil }
        var n = 0
        for i in range {
            guard isDigit(b[i]) else { return nil }
            let (times10, o1) = n.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int(b[i] - 0x30))
            if o1 || o2 { return nil }
            n = sum
        }
        return n
    }

    /// Whether `range` is a number as JSON may hold it: an optional minus, 1 to 15
    /// integer digits (exact in a double), an optional fraction.
    @inlinable package static func isJSONNumber(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        var i = range.lowerBound
        if i < range.upperBound, b[i] == ASCII.hyphen { i += 1 }
        let intStart = i
        while i < range.upperBound, ASCII.isDigit(b[i]) { i += 1 }
        guard i > intStart, i - intStart <= 15 else { return false }
        if i < range.upperBound, b[i] == ASCII.dot {
            i += 1
            let fracStart = i
            while i < range.upperBound, ASCII.isDigit(b[i]) { i += 1 }
            guard i > fracStart else { return false }
        }
        return i == range.upperBound
    }
}

extension UnsafeRawBufferPointer {
    /// Whether the bytes at `offset` equal `literal` exactly.
    @inlinable @inline(__always)
    package func matches(_ literal: StaticString, at offset: Int) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard offset >= 0, offset + n <= count else { return false }
        let lit = literal.utf8Start
        for k in 0..<n where self[offset + k] != lit[k] { return false }
        return true
    }

    /// Whether the bytes at `offset` equal the lowercase `literal`, ignoring ASCII case.
    @inlinable @inline(__always)
    package func matchesIgnoringCase(_ literal: StaticString, at offset: Int) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard offset >= 0, offset + n <= count else { return false }
        let lit = literal.utf8Start
        for k in 0..<n where ASCII.lower(self[offset + k]) != lit[k] { return false }
        return true
    }

    /// The first index in `from..<to` holding `byte`, or nil. A plain loop: most searches
    /// here span a few bytes, where calling memchr costs more than it saves.
    @inlinable @inline(__always)
    package func firstIndex(of byte: UInt8, from: Int, to: Int) -> Int? {
        var i = from
        while i < to {
            if self[i] == byte { return i }
            i += 1
        }
        return nil
    }

    /// The first index in `from..<to` holding `byte`, by memchr: for searches across a
    /// line, where the byte is usually far or absent.
    @inlinable
    package func firstIndex(memchr byte: UInt8, from: Int, to: Int) -> Int? {
        guard let base = baseAddress, from < to else { return nil }
        return memchr(base + from, Int32(byte), to - from).map { base.distance(to: UnsafeRawPointer($0)) }
    }

    /// Whether the whole buffer holds `byte`, by memchr: for whole-line checks.
    @inlinable
    package func contains(byte: UInt8) -> Bool {
        firstIndex(memchr: byte, from: 0, to: count) != nil
    }

    /// Whether the whole buffer holds `literal`: memchr finds each candidate first byte.
    package func contains(_ literal: StaticString) -> Bool {
        guard let base = baseAddress, literal.utf8CodeUnitCount > 0 else { return false }
        let first = Int32(literal.utf8Start[0])
        var i = 0
        while i < count, let hit = memchr(base + i, first, count - i) {
            let at = base.distance(to: UnsafeRawPointer(hit))
            if matches(literal, at: at) { return true }
            i = at + 1
        }
        return false
    }

    /// The last index in `from..<to` holding `byte`, or nil: by `ByteSet`, sixteen or
    /// eight bytes a step from the end (these searches often span a line or an address).
    @inlinable @inline(__always)
    package func lastIndex(of byte: UInt8, from: Int, to: Int) -> Int? {
        ByteSet(byte).lastIndex(in: self, from: from, to: to)
    }

    /// `range` without leading and trailing spaces and tabs.
    @inlinable @inline(__always)
    package func trimmingSpaces(_ range: Range<Int>) -> Range<Int> {
        var lo = range.lowerBound
        var hi = range.upperBound
        while lo < hi, ASCII.isSpace(self[lo]) { lo += 1 }
        while hi > lo, ASCII.isSpace(self[hi - 1]) { hi -= 1 }
        return lo..<hi
    }

    /// Whether `range` is exactly the lowercase `literal`, ignoring ASCII case.
    @inlinable @inline(__always)
    package func matchesWhole(_ literal: StaticString, _ range: Range<Int>) -> Bool {
        range.count == literal.utf8CodeUnitCount && matchesIgnoringCase(literal, at: range.lowerBound)
    }
}

/// Well-formedness of multi-byte UTF-8 sequences, for scanners that accept non-ASCII text.
@usableFromInline package enum UTF8Sequence {
    /// The length of the well-formed UTF-8 sequence starting at `i`, or nil. Well-formed
    /// as Unicode defines it (Table 3-7): no overlong forms, no surrogates (`ED A0`–`ED BF`,
    /// which strict decoders reject), nothing above U+10FFFF; the second byte's range
    /// depends on the lead.
    @inlinable package static func length(_ b: UnsafeRawBufferPointer, at i: Int, end: Int) -> Int? {
        let lead = b[i]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return nil
        }
        guard i + length <= end, (low...high).contains(b[i + 1]) else { return nil }
        for k in 2..<length where b[i + k] & 0xC0 != 0x80 { return nil }
        return length
    }

    /// Whether `b` from `start` on is well-formed UTF-8.
    @inlinable package static func isValid(_ b: UnsafeRawBufferPointer, from start: Int = 0) -> Bool {
        guard let base = b.baseAddress else { return true }
        var i = start
        while i < b.count {
            // ASCII, the usual text, sixteen bytes a step: two words with no high bit.
            while i + 16 <= b.count {
                let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self) | base.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
                guard w & ByteSet.highs == 0 else { break }
                i += 16
            }
            guard i < b.count else { break }
            if b[i] < 0x80 {
                i += 1
            } else if let length = length(b, at: i, end: b.count) {
                i += length
            } else {
                return false
            }
        }
        return true
    }
}
