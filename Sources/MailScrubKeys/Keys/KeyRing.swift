import MailScrubBase

/// Chooses the key a line or record is pseudonymized with, by its log time.
public protocol KeyRing: AnyObject {
    /// The one pseudonymizer for every time, when there is no rotation (a fast path:
    /// callers then need not read the time).
    var fixed: Pseudonymizer? { get }
    /// The pseudonymizer of the epoch `time` falls in. Throws when that epoch's key does
    /// not exist (destroyed or never created): another key is never used instead.
    func pseudonymizer(for time: LogTime) throws(KeyError) -> Pseudonymizer
    /// Key ids used so far (for run manifests).
    var keyIDsUsed: Set<String> { get }
    /// The key a run's manifest is sealed with: the fixed one, else the last one used.
    var sealing: Pseudonymizer? { get }
    /// The same keys for another thread (pseudonymizers are not thread-safe); `memoShare`
    /// replicas share the memory of one memo (`Pseudonymizer.replica(memoShare:)`).
    func replica(memoShare: Int) -> KeyRing
}

/// A missing epoch key; the message names the epoch, never a secret.
public struct KeyError: Error, Equatable, CustomStringConvertible {
    public var epoch: String

    public init(epoch: String) {
        self.epoch = epoch
    }

    public var description: String {
        "no key for epoch \(epoch): it was destroyed by rotation or never created; refusing to use another key"
    }
}

/// One secret for all times (no rotation).
public final class SingleKey: KeyRing {
    public let fixed: Pseudonymizer?

    public init(_ pseudonymizer: Pseudonymizer) {
        fixed = pseudonymizer
    }

    public func pseudonymizer(for time: LogTime) throws(KeyError) -> Pseudonymizer {
        // Safe to force unwrap: always set in init.
        fixed!
    }

    public var keyIDsUsed: Set<String> { fixed.map { [$0.keyID] } ?? [] }
    public var sealing: Pseudonymizer? { fixed }

    // Safe to force unwrap: always set in init.
    public func replica(memoShare: Int) -> KeyRing { SingleKey(fixed!.replica(memoShare: memoShare)) }
}
