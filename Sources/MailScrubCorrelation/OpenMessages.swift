import MailScrubBase

/// The open messages: their states in a slab (arrays of a fixed size, so that it grows
/// without copying), found by key through an open-addressed index of slot numbers, and
/// the order they are evicted in.
///
/// A flood of sessions that never finish keeps `maxOpenMessages` of them open, so the
/// cost per open message is what bounds memory: here it is the state itself (its key
/// inline), 16 to 32 bytes of index and 16 to 32 of eviction order. A dictionary of
/// class instances with an order of keys took about 400 bytes.
///
/// Slots of ended messages are reused, buffers and all, so a steady run allocates
/// nothing; the slab keeps its peak size.
struct OpenMessages {
    /// One bucket of the index: a slot (`empty` when none) and the low bits of its key's
    /// hash, which settle most misses without a look at the key and let a removal move
    /// entries without hashing them again.
    private struct Bucket {
        var slot: Int32
        var hash: UInt32
    }

    private static let empty: Int32 = -1

    /// Slot `s` is `chunks[s >> chunkShift][s & chunkMask]`.
    private var chunks: [[MessageState]] = []
    private static let chunkShift = 12
    private static let chunkMask = (1 << chunkShift) - 1
    private var slots = 0
    /// Slots free for a new message.
    private var free: [Int32] = []
    /// Slots evicted since the last `settle()`: the line being processed may still hold
    /// one, so none is handed out again before the next line.
    private var evictedSlots: [Int32] = []
    /// Linear probing, at most half full, with backward-shift removal (no tombstones).
    private var index = [Bucket](repeating: Bucket(slot: empty, hash: 0), count: 1024)
    /// Open messages, least recently seen first from `orderStart`, each with the touch
    /// serial it was queued with; an entry whose serial is not its slot's `queued` is
    /// stale and skipped. Bounded: stale entries are dropped once they dominate.
    private var order: [(slot: Int32, touch: Int)] = []
    private var orderStart = 0
    /// Touches so far: the serial of the latest.
    private var touches = 0

    /// Messages currently open.
    private(set) var count = 0

    subscript(slot: Int) -> MessageState {
        _read { yield chunks[slot >> Self.chunkShift][slot & Self.chunkMask] }
        _modify { yield &chunks[slot >> Self.chunkShift][slot & Self.chunkMask] }
    }

    /// Makes the slots evicted while the last line was processed free for new messages.
    mutating func settle() {
        guard !evictedSlots.isEmpty else { return }
        free.append(contentsOf: evictedSlots)
        evictedSlots.removeAll(keepingCapacity: true)
    }

    /// The slot of the open message `key`, or nil.
    func find(_ key: QueueKey) -> Int? {
        let hash = UInt32(truncatingIfNeeded: key.hashValue)
        let mask = index.count - 1
        var i = Int(hash) & mask
        while true {
            let bucket = index[i]
            if bucket.slot == Self.empty { return nil }
            if bucket.hash == hash, self[Int(bucket.slot)].key == key { return Int(bucket.slot) }
            i = (i + 1) & mask
        }
    }

    /// The slot of the open message `key`, touched now, or of a message opened for it now
    /// (`opened`). The key is hashed once for both.
    mutating func touchOrOpen(_ key: QueueKey, _ now: LogTime) -> (slot: Int, opened: Bool) {
        let hash = UInt32(truncatingIfNeeded: key.hashValue)
        let mask = index.count - 1
        var i = Int(hash) & mask
        while index[i].slot != Self.empty {
            let slot = Int(index[i].slot)
            if index[i].hash == hash, self[slot].key == key {
                touch(slot, now)
                return (slot, false)
            }
            i = (i + 1) & mask
        }
        return (open(key, hash: hash, now), true)
    }

    /// Opens a message `key` (which is not open) first seen at `now`, and touches it.
    private mutating func open(_ key: QueueKey, hash: UInt32, _ now: LogTime) -> Int {
        let slot: Int
        if let reused = free.popLast() {
            slot = Int(reused)
            self[slot].reset(key: key, keyHash: hash, time: now)
        } else {
            slot = slots
            slots += 1
            if slot & Self.chunkMask == 0 {
                chunks.append([])
                chunks[chunks.count - 1].reserveCapacity(Self.chunkMask + 1)
            }
            chunks[chunks.count - 1].append(MessageState(key: key, keyHash: hash, time: now))
        }
        if (count + 1) * 2 > index.count { grow() }
        insert(slot: slot, hash: hash)
        count += 1
        touch(slot, now)
        return slot
    }

    /// Forgets the message in `slot`; its slot is reused at once (`evicted`: after the
    /// current line).
    mutating func close(_ slot: Int, evicted: Bool = false) {
        removeFromIndex(slot)
        count -= 1
        // Its entries in the order are stale from now on.
        self[slot].queued = 0
        if evicted { evictedSlots.append(Int32(slot)) } else { free.append(Int32(slot)) }
    }

    /// Marks the message in `slot` as seen now. A new message joins the back of the
    /// eviction order; one seen again keeps its place and is moved back when it reaches
    /// the front.
    mutating func touch(_ slot: Int, _ now: LogTime) {
        self[slot].lastSeen = now.seconds
        touches += 1
        if self[slot].touch == 0 {
            order.append((Int32(slot), touches))
            // Before any drop below, so that this entry is live to it.
            self[slot].queued = touches
            // Entries of messages already gone pile up in busy logs; once they outnumber
            // the open ones, drop them (linear, after as many appends: O(1) amortized).
            if order.count - orderStart > 2 * count + 1024 { dropStaleOrder() }
        }
        self[slot].touch = touches
    }

    /// The least recently seen open message, or nil when none is open. Each message seen
    /// since it was queued goes to the back instead (second chance), so every step is
    /// O(1) amortized and the order holds one live entry per message.
    mutating func oldest() -> Int? {
        while orderStart < order.count {
            let (slot, serial) = (Int(order[orderStart].slot), order[orderStart].touch)
            guard self[slot].queued == serial else {
                orderStart += 1
                continue
            }
            if self[slot].touch == serial { return slot }
            orderStart += 1
            order.append((Int32(slot), self[slot].touch))
            self[slot].queued = self[slot].touch
        }
        return nil
    }

    /// Keeps only the live entries of the order, in place (no new array to allocate).
    private mutating func dropStaleOrder() {
        var kept = 0
        for i in orderStart..<order.count where self[Int(order[i].slot)].queued == order[i].touch {
            order[kept] = order[i]
            kept += 1
        }
        order.removeLast(order.count - kept)
        orderStart = 0
    }

    /// Takes the front entry of the order off: the one `oldest()` returned, now closed.
    mutating func dropOldest() {
        orderStart += 1
        compactOrder()
    }

    /// Gives back the order's consumed front once it is an eighth of the array: at the
    /// cap every new message evicts one, and a front left to grow to half the array
    /// would double its capacity (the moves cost at most seven entries per one dropped).
    mutating func compactOrder() {
        if orderStart > 4096, orderStart * 8 > order.count {
            order.removeFirst(orderStart)
            orderStart = 0
        }
    }

    // MARK: Index

    private mutating func insert(slot: Int, hash: UInt32) {
        let mask = index.count - 1
        var i = Int(hash) & mask
        while index[i].slot != Self.empty { i = (i + 1) & mask }
        index[i] = Bucket(slot: Int32(slot), hash: hash)
    }

    private mutating func removeFromIndex(_ slot: Int) {
        let mask = index.count - 1
        var hole = Int(self[slot].keyHash) & mask
        while index[hole].slot != Int32(slot) { hole = (hole + 1) & mask }
        // Backward shift: move up each later entry of the run whose home is not
        // between the hole and itself, so that every entry stays reachable from its home.
        var j = hole
        while true {
            j = (j + 1) & mask
            let bucket = index[j]
            if bucket.slot == Self.empty { break }
            let home = Int(bucket.hash) & mask
            let stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j)
            if stays { continue }
            index[hole] = bucket
            hole = j
        }
        index[hole].slot = Self.empty
    }

    private mutating func grow() {
        let old = index
        index = [Bucket](repeating: Bucket(slot: Self.empty, hash: 0), count: old.count * 2)
        let mask = index.count - 1
        for bucket in old where bucket.slot != Self.empty {
            // The stored bits cover every mask up to 2^32 buckets.
            var i = Int(bucket.hash) & mask
            while index[i].slot != Self.empty { i = (i + 1) & mask }
            index[i] = bucket
        }
    }
}
