import MailScrubBase

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed-size memo of recent pseudonyms, one direct-mapped table per context.
///
/// Logs repeat the same domains, senders, recipients and client IPs on line after
/// line; a hit costs a hash and a compare instead of an HMAC. Memory is fixed at
/// creation (about 2.3 MB with the default slots) whatever the input; values longer than
/// `maxValueLength` bypass the cache. The raw values it holds are wiped when it is freed.
final class PseudonymCache {
    /// Slots per context by default.
    static let defaultSlotsPerContext = 4096
    /// Slots per context; a power of two, at least 8 (the wipe in deinit reads 8 at a time).
    let slotsPerContext: Int
    /// Longest value remembered, in bytes.
    static let maxValueLength = 48

    /// Hex characters per pseudonym (2 × hash bytes).
    private let outputLength: Int
    private let slotCount: Int
    /// Remembered values, `maxValueLength` bytes per slot.
    private let values: UnsafeMutablePointer<UInt8>
    /// Length + 1 of the value in each slot; 0 marks an empty slot.
    private let lengths: UnsafeMutablePointer<UInt8>
    /// The pseudonym of each slot's value, `outputLength` bytes per slot.
    private let outputs: UnsafeMutablePointer<UInt8>

    init(outputLength: Int, slotsPerContext: Int = defaultSlotsPerContext) {
        precondition(slotsPerContext >= 8 && slotsPerContext & (slotsPerContext - 1) == 0)
        self.outputLength = outputLength
        self.slotsPerContext = slotsPerContext
        slotCount = slotsPerContext * PseudonymContext.allCases.count
        values = .allocate(capacity: slotCount * Self.maxValueLength)
        lengths = .allocate(capacity: slotCount)
        lengths.initialize(repeating: 0, count: slotCount)
        outputs = .allocate(capacity: slotCount * outputLength)
    }

    deinit {
        // Only slots ever stored into hold raw values; wiping just those keeps a short-lived
        // memo (a worker thread's, a test's) from costing a 2 MB memset when freed. The
        // lengths are read eight at a time, since most of a short-lived memo is empty.
        let lengthWords = UnsafeRawPointer(lengths)
        for first in stride(from: 0, to: slotCount, by: 8)
        where lengthWords.loadUnaligned(fromByteOffset: first, as: UInt64.self) != 0 {
            for slot in first..<first + 8 where lengths[slot] != 0 {
                wipe(values + slot * Self.maxValueLength, Self.maxValueLength)
                wipe(outputs + slot * outputLength, outputLength)
            }
        }
        values.deallocate()
        lengths.deallocate()
        outputs.deallocate()
    }

    /// The slot for `value` in `context`, or nil when the value is too long to remember.
    @inline(__always)
    func slot(_ context: PseudonymContext, _ value: UnsafeRawBufferPointer) -> Int? {
        guard value.count <= Self.maxValueLength else { return nil }
        // FNV-1a: cheap and spreads short, similar strings well enough for a memo.
        var h: UInt32 = 2_166_136_261
        for b in value { h = (h ^ UInt32(b)) &* 16_777_619 }
        return context.rawValue * slotsPerContext + Int(h & UInt32(slotsPerContext - 1))
    }

    /// The remembered pseudonym of `value` in `slot`, if that slot holds exactly `value`.
    @inline(__always)
    func lookup(_ slot: Int, _ value: UnsafeRawBufferPointer) -> UnsafeBufferPointer<UInt8>? {
        guard Int(lengths[slot]) == value.count + 1 else { return nil }
        if value.count > 0, memcmp(values + slot * Self.maxValueLength, value.baseAddress!, value.count) != 0 {
            return nil
        }
        return UnsafeBufferPointer(start: outputs + slot * outputLength, count: outputLength)
    }

    /// Remembers `pseudonym` (exactly `outputLength` bytes) as the one for `value`.
    @inline(__always)
    func store(_ slot: Int, _ value: UnsafeRawBufferPointer, _ pseudonym: UnsafeBufferPointer<UInt8>) {
        if value.count > 0 {
            memcpy(values + slot * Self.maxValueLength, value.baseAddress!, value.count)
        }
        memcpy(outputs + slot * outputLength, pseudonym.baseAddress!, outputLength)
        lengths[slot] = UInt8(value.count + 1)
    }
}
