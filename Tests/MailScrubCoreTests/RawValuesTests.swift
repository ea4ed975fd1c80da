import Testing
@testable import MailScrubCorrelation

/// A message's raw values in one buffer: what is read back is what was last set, and
/// the buffer stays bounded however often values are set again.
@Suite struct RawValuesTests {
    typealias Field = RawValues.Field
    static let scalars: [Field] = [.sender, .messageSize, .nrcpt, .messageID, .inReplyTo, .spamScore, .previousQueueID]
    static let lists: [Field] = [.from, .to, .deferred]

    static func value(_ v: RawValues, _ field: Field) -> [UInt8]? {
        v.value(field).map { Array(v.bytes[$0]) }
    }

    static func items(_ v: RawValues, _ field: Field) -> [[UInt8]]? {
        guard v.has(field) else { return nil }
        var items: [[UInt8]] = []
        v.forEachItem(field) { items.append(Array(v.bytes[$0])) }
        return items
    }

    /// Random sets, removals, lists and deferred-recipient updates against a plain model.
    @Test func readsBackWhatAModelHolds() {
        var rng = FailClosedPropertyTests.Generator(state: 7)
        for _ in 0..<200 {
            var values = RawValues()
            var scalars: [Field: [UInt8]] = [:]
            var lists: [Field: [[UInt8]]] = [:]
            for _ in 0..<300 {
                let word = (0..<rng.below(40)).map { _ in UInt8(0x61 + rng.next() % 3) }
                word.withUnsafeBytes { w in
                    switch rng.next() % 6 {
                    case 0, 1:
                        let field = rng.pick(Self.scalars)
                        values.set(field, w, 0..<w.count)
                        scalars[field] = word
                    case 2:
                        let field = rng.pick(Self.scalars)
                        values.remove(field)
                        scalars[field] = nil
                    case 3:
                        let field = rng.pick(Self.lists)
                        values.startList(field)
                        var list: [[UInt8]] = []
                        for k in 0..<rng.below(4) {
                            let n = min(w.count, k * 3)
                            values.appendItem(w, 0..<n)
                            list.append(Array(word[0..<n]))
                        }
                        values.endList()
                        lists[field] = list
                    default:
                        let append = rng.next() % 2 == 0
                        let item = Array(word.prefix(3))
                        values.replaceItem(in: .deferred, w, 0..<item.count, append: append)
                        if var list = lists[.deferred] {
                            list.removeAll { $0 == item }
                            if append { list.append(item) }
                            lists[.deferred] = list
                        } else if append {
                            lists[.deferred] = [item]
                        }
                    }
                }
                let live = scalars.values.reduce(0) { $0 + 5 + $1.count }
                    + lists.values.reduce(0) { $0 + 5 + $1.reduce(0) { $0 + 4 + $1.count } }
                #expect(values.bytes.count <= 2 * live + 300, "bounded: \(values.bytes.count) for \(live) live")
            }
            for field in Self.scalars { #expect(Self.value(values, field) == scalars[field], "\(field)") }
            for field in Self.lists { #expect(Self.items(values, field) == lists[field], "\(field)") }
            values.removeAll()
            #expect(values.bytes.isEmpty && !values.has(.sender) && !values.has(.deferred))
        }
    }

    /// Set again thousands of times, a value keeps the buffer near its own size.
    @Test func aValueSetOverAndOverStaysSmall() {
        var values = RawValues()
        let word = Array("sender@example.org".utf8)
        word.withUnsafeBytes { w in
            for _ in 0..<10_000 { values.set(.sender, w, 0..<w.count) }
        }
        #expect(values.bytes.count < 600)
        #expect(Self.value(values, .sender) == word)
    }
}
