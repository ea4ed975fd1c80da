import MailScrubBase

/// The keys of a rotation policy: one secret per epoch. A line or record is pseudonymized
/// with the key of the epoch its own log time falls in, so reprocessing a log gives the
/// same pseudonyms while that key exists, and is refused once it has been destroyed.
public final class EpochKeyRing: KeyRing {
    public let fixed: Pseudonymizer? = nil
    public let period: Policy.Period
    private let options: PseudonymOptions
    private let policy: Policy
    /// Secret bytes by epoch label; wiped when the ring is freed.
    private var secrets: [String: [UInt8]]
    /// Pseudonymizers made so far, by label; a few at most (each holds a memo).
    private var made: [(label: String, pseudonymizer: Pseudonymizer)] = []
    /// The epoch of the last lookup, so consecutive lines cost a compare.
    private var current: (start: LogTime, end: LogTime?, pseudonymizer: Pseudonymizer)?
    /// Key ids used so far, for run manifests.
    public private(set) var keyIDsUsed: Set<String> = []
    public var sealing: Pseudonymizer? { current?.pseudonymizer }

    /// Replicas sharing the memory of one memo (see `Pseudonymizer.replica(memoShare:)`).
    private let memoShare: Int

    public convenience init(period: Policy.Period, secrets: [String: [UInt8]], options: PseudonymOptions, policy: Policy) {
        self.init(period: period, secrets: secrets, options: options, policy: policy, memoShare: 1)
    }

    private init(period: Policy.Period, secrets: [String: [UInt8]], options: PseudonymOptions, policy: Policy, memoShare: Int) {
        self.period = period
        self.secrets = secrets
        self.options = options
        self.policy = policy
        self.memoShare = memoShare
    }

    public func replica(memoShare: Int) -> KeyRing {
        EpochKeyRing(period: period, secrets: secrets, options: options, policy: policy, memoShare: memoShare)
    }

    deinit {
        for label in secrets.keys { wipe(&secrets[label]!) }
    }

    public func pseudonymizer(for time: LogTime) throws(KeyError) -> Pseudonymizer {
        if let current, current.start <= time, current.end.map({ time < $0 }) ?? true {
            return current.pseudonymizer
        }
        let label = Epoch.label(time, period)
        let p: Pseudonymizer
        if let known = made.first(where: { $0.label == label }) {
            p = known.pseudonymizer
        } else {
            guard let secret = secrets[label] else { throw KeyError(epoch: label) }
            p = Pseudonymizer(secret: secret, options: options, policy: policy, memoShare: memoShare)
            made.append((label, p))
            if made.count > 4 { made.removeFirst() }
        }
        keyIDsUsed.insert(p.keyID)
        current = (Epoch.start(time, period), Epoch.next(time, period), p)
        return p
    }
}
