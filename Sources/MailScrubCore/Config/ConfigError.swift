/// A configuration problem, reported as one line naming the file, line and key at fault.
/// Messages never contain the secret or any other configured value.
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    /// The config file's path as given.
    public var path: String
    /// 1-based line of the offending node, when known.
    public var line: Int?
    /// What is wrong, lowercase, without the value itself.
    public var reason: String

    public init(path: String, line: Int? = nil, reason: String) {
        self.path = path
        self.line = line
        self.reason = reason
    }

    public var description: String {
        if let line { return "\(path):\(line): \(reason)" }
        return "\(path): \(reason)"
    }
}
