import MailScrubBase

/// Settings of the pseudonym scheme that change pseudonyms; they come from the config.
public struct PseudonymOptions: Equatable, Sendable {
    /// Smallest and largest allowed `hashBytes`.
    public static let hashBytesRange = 8...32

    /// Bytes of HMAC output kept per pseudonym (hex doubles it). Within `hashBytesRange`.
    public var hashBytes: Int
    /// Whether local parts are lowercased before hashing (domains always are).
    public var lowercaseLocalPart: Bool
    /// Bytes that start an address extension (`alice+news` → `alice`); empty disables the cut.
    public var recipientDelimiters: [UInt8]

    public init(hashBytes: Int = 16, lowercaseLocalPart: Bool = true, recipientDelimiters: String = "+") {
        self.hashBytes = hashBytes
        self.lowercaseLocalPart = lowercaseLocalPart
        self.recipientDelimiters = Array(recipientDelimiters.utf8)
    }
}
