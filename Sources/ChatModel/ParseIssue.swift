/// A problem found while reading an input: a file that could not be read at all, a line that belongs to no
/// message, or a warning. Nothing is dropped silently: every unparsed line becomes one of these.
public struct ParseIssue: Codable, Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Codable, Sendable { case error, unparsed, warning }
    public var file: String
    public var line: Int?
    public var severity: Severity
    public var reason: String

    public init(file: String, line: Int? = nil, severity: Severity, reason: String) {
        self.file = file; self.line = line; self.severity = severity; self.reason = reason
    }

    /// `file:line: severity: reason`, the form printed on stderr.
    public var description: String {
        let loc = line.map { "\(file):\($0)" } ?? file
        return "\(loc): \(severity.rawValue): \(reason)"
    }
}

/// Thrown by a parser when a whole file cannot be read (truncated JSON, binary data, invalid UTF-8, ...).
public struct InputError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int?
    public var reason: String
    public init(file: String, line: Int? = nil, reason: String) { self.file = file; self.line = line; self.reason = reason }
    public var description: String { line.map { "\(file):\($0): \(reason)" } ?? "\(file): \(reason)" }
}
