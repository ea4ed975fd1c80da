import MailScrubBase
import Testing
@testable import MailScrubCorrelation

@Suite struct OpenMessagesTests {
    static func key(_ host: UInt32, _ queueID: String) -> QueueKey {
        let bytes = Array(queueID.utf8)
        return bytes.withUnsafeBytes { QueueKey(host: host, $0, 0..<bytes.count) }
    }

    /// Random opens, closes, evictions and touches against a dictionary: every open key is
    /// found in its own slot, no closed key is found, and no two open keys share a slot,
    /// through the index's growth and the backward shifts of removal. Ids differ only in
    /// their last bytes, and two hosts share them, so keys sit in long probe runs.
    @Test(arguments: [1, 2, 3])
    func indexAgreesWithADictionary(seed: UInt64) {
        var rng = FailClosedPropertyTests.Generator(state: seed)
        var messages = OpenMessages()
        var model: [QueueKey: Int] = [:]
        let keys = (0..<6000).map { Self.key(UInt32($0 % 2), "4F2A\(String($0 / 2, radix: 16, uppercase: true))") }
        let now = LogTime(seconds: 1_700_000_000)
        for step in 0..<60_000 {
            let key = keys[Int(rng.next() % UInt64(keys.count))]
            switch rng.next() % 8 {
            case 0, 1, 2, 3:
                if let slot = model[key] {
                    messages.touch(slot, now)
                } else {
                    model[key] = messages.touchOrOpen(key, now).slot
                }
            case 4, 5:
                if let slot = model.removeValue(forKey: key) { messages.close(slot) }
            case 6:
                if let slot = messages.oldest() {
                    let open = model.first { $0.value == slot }
                    #expect(open != nil, "oldest() gave slot \(slot), which is not open")
                    if let open { model[open.key] = nil }
                    messages.close(slot, evicted: true)
                    messages.dropOldest()
                }
            default:
                messages.settle()
            }
            if step % 997 == 0 {
                #expect(messages.count == model.count)
                #expect(Set(model.values).count == model.count)
                for key in keys {
                    #expect(messages.find(key) == model[key])
                    if let slot = model[key] { #expect(messages[slot].key == key) }
                }
            }
        }
    }

    /// A closed message's slot goes to the next new message; an evicted one only after
    /// `settle()`, since the line being processed may still hold it.
    @Test func evictedSlotsWaitForTheNextLine() {
        var messages = OpenMessages()
        let now = LogTime(seconds: 0)
        let a = messages.touchOrOpen(Self.key(0, "AAAAA1"), now).slot
        messages.close(a)
        #expect(messages.touchOrOpen(Self.key(0, "AAAAA2"), now).slot == a)
        messages.close(a, evicted: true)
        let b = messages.touchOrOpen(Self.key(0, "AAAAA3"), now).slot
        #expect(b != a)
        messages.settle()
        #expect(messages.touchOrOpen(Self.key(0, "AAAAA4"), now).slot == a)
    }

    /// A message opened just as the order drops its stale entries keeps its own entry,
    /// so it can still be evicted (it would otherwise stay open for good).
    @Test(arguments: 0..<7)
    func everyOpenMessageCanBeEvicted(kept: Int) {
        var messages = OpenMessages()
        let now = LogTime(seconds: 0)
        _ = messages.touchOrOpen(Self.key(0, "AAAAA0"), now).slot
        // Each open-and-close leaves a stale entry; one of these opens finds the order
        // due for dropping them (which one depends on `kept`).
        for n in 1...3000 {
            let slot = messages.touchOrOpen(Self.key(0, "B\(String(n, radix: 16, uppercase: true))FFFF"), now).slot
            if n % 7 != kept { messages.close(slot) }
        }
        let open = messages.count
        var evicted = 0
        while let slot = messages.oldest() {
            messages.close(slot, evicted: true)
            messages.dropOldest()
            evicted += 1
        }
        #expect(evicted == open)
        #expect(messages.count == 0)
    }

    /// The cost of an open message is what a flood of unfinished sessions multiplies by
    /// `max_open_messages`.
    @Test func aStateStaysSmall() {
        #expect(MemoryLayout<MessageState>.stride <= 144, "\(MemoryLayout<MessageState>.stride) bytes")
    }
}
