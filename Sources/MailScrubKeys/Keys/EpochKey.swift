import MailScrubBase

/// One epoch's key as the key store holds it (a small YAML file, mode 0600). The secret
/// is used exactly like a config `secret` (scheme v1: S = its UTF-8 bytes), so the key
/// id and pseudonyms can be recomputed from it alone.
public struct EpochKey: Equatable, Sendable {
    public var epoch: String
    public var period: Policy.Period
    public var created: LogTime
    public var secret: String

    public init(epoch: String, period: Policy.Period, created: LogTime, secret: String) {
        self.epoch = epoch
        self.period = period
        self.created = created
        self.secret = secret
    }

    /// The file name of an epoch's key in the store.
    public static func fileName(_ epoch: String) -> String { "\(epoch).key" }

    /// The file text.
    public var text: String {
        var stamp: [UInt8] = []
        created.appendRFC3339(to: &stamp)
        return """
            # mailscrub epoch key. Private: it can test guesses against every pseudonym of
            # its epoch. Never copy it off this machine; rotation destroys it when retired.
            epoch: "\(epoch)"
            period: \(period.rawValue)
            created: "\(String(decoding: stamp, as: UTF8.self))"
            secret: "\(secret)"

            """
    }
}

/// What `mailscrub keys rotate` does at `now`: create the key of the current epoch (and
/// of the next one when it starts within a day) and of every epoch the retention window
/// still covers that never had a key (the first night, or nights the job did not run,
/// so yesterday's log has its key), and destroy keys older than the `retain` most recent
/// epochs. An epoch that once had a key is never given a new one (not even the current
/// one, not even with a clock set back), so a destroyed key stays destroyed. `created`
/// is the store's ledger of every epoch it ever created: nil for a store from before
/// the ledger, where only gaps after its oldest key are filled.
/// Pure, so rotation can be tested across simulated dates; running it again after
/// carrying it out yields an empty plan.
public struct RotationPlan: Equatable, Sendable {
    /// Epochs to create a key for, oldest first.
    public var create: [String]
    /// Epochs whose keys are to be destroyed.
    public var destroy: [String]

    public var isEmpty: Bool { create.isEmpty && destroy.isEmpty }

    public init(create: [String], destroy: [String]) {
        self.create = create
        self.destroy = destroy
    }

    public static func make(existing: [String], created: Set<String>? = nil, now: LogTime, rotation: Policy.Rotation) -> RotationPlan {
        let period = rotation.period
        var wanted = [Epoch.label(now, period)]
        if let next = Epoch.next(now, period), next.seconds - now.seconds <= 86_400 {
            wanted.append(Epoch.label(next, period))
        }
        // The retained epochs: the current one and the ones before it, `retain` in all.
        var retained = [Epoch.label(now, period)]
        var cursor = now
        while retained.count < rotation.retain, let previous = Epoch.previous(cursor, period) {
            retained.append(Epoch.label(previous, period))
            cursor = previous
        }
        // Safe to force unwrap: `retained` starts with one element.
        let oldestKept = retained.last!
        let destroy = period == .never ? [] : existing.filter { $0 < oldestKept }.sorted()
        let oldestExisting = existing.min()
        let backfill = retained.dropFirst().filter { epoch in created != nil || oldestExisting.map { epoch > $0 } ?? true }
        let create = Set(wanted + backfill).filter { !existing.contains($0) && !(created?.contains($0) ?? false) }.sorted()
        return RotationPlan(create: create, destroy: destroy)
    }
}
