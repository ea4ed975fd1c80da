/// A byte range of a line, or none, in 8 bytes: `Range<Int>?` takes 17 (24 in a
/// struct), and a parsed event holds up to a dozen. Events are copied on every line and,
/// in records mode at `--jobs` above 1, kept by the thousand per block, so their size
/// is time and memory. Lines are at most `LineSplitter.defaultMaxLineLength` long, far
/// below what 32 bits hold; an offset that does not fit traps rather than wraps.
@propertyWrapper
public struct PackedRange: Equatable, Sendable {
    @usableFromInline var lower: UInt32
    @usableFromInline var upper: UInt32

    /// `lower` of no range.
    @usableFromInline static let none = UInt32.max

    @inlinable
    public init(wrappedValue: Range<Int>?) {
        if let range = wrappedValue {
            lower = UInt32(range.lowerBound)
            upper = UInt32(range.upperBound)
            precondition(lower != Self.none)
        } else {
            lower = Self.none
            upper = 0
        }
    }

    @inlinable
    public var wrappedValue: Range<Int>? {
        get { lower == Self.none ? nil : Int(lower)..<Int(upper) }
        set { self = PackedRange(wrappedValue: newValue) }
    }
}
