/// Stable diagnostic ids used by the loader and by `rules lint` (`CS001 unknown-key`, ...).
public enum DiagnosticCode: String, Sendable, CaseIterable, Codable {
    case unknownKey = "CS001"
    case wrongType = "CS002"
    case missingKey = "CS003"
    case badValue = "CS004"
    case badCategory = "CS005"
    case badId = "CS006"
    case yamlSyntax = "CS007"
    case unreadable = "CS008"
    case badSchema = "CS009"
    case patternCompileError = "CS010"
    case matchesEmpty = "CS011"
    case unknownFragment = "CS012"
    case unusedFragment = "CS013"
    case noLiteral = "CS020"
    case catastrophicBacktracking = "CS021"
    case greedyDotStar = "CS022"
    case duplicateId = "CS030"
    case duplicatePattern = "CS031"
    case repeatedRegex = "CS032"
    case testContradiction = "CS040"
    case missingTests = "CS041"

    /// The short name printed after the id.
    public var name: String {
        switch self {
        case .unknownKey: "unknown-key"
        case .wrongType: "wrong-type"
        case .missingKey: "missing-key"
        case .badValue: "bad-value"
        case .badCategory: "bad-category"
        case .badId: "bad-id"
        case .yamlSyntax: "yaml-syntax"
        case .unreadable: "unreadable-file"
        case .badSchema: "bad-schema"
        case .patternCompileError: "pattern-compile-error"
        case .matchesEmpty: "matches-empty"
        case .unknownFragment: "unknown-fragment"
        case .unusedFragment: "unused-fragment"
        case .noLiteral: "no-literal"
        case .catastrophicBacktracking: "catastrophic-backtracking"
        case .greedyDotStar: "greedy-dot-star"
        case .duplicateId: "duplicate-id"
        case .duplicatePattern: "duplicate-pattern"
        case .repeatedRegex: "repeated-regex"
        case .testContradiction: "test-contradiction"
        case .missingTests: "missing-tests"
        }
    }
}

/// One problem in a rule file: where, which rule, what, and how to fix it.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible, Codable {
    /// Errors stop loading (and fail lint); warnings are advice.
    public enum Level: String, Sendable, Codable { case error, warning }
    public var level: Level
    public var code: DiagnosticCode
    public var file: String
    public var line: Int?
    public var column: Int?
    public var ruleId: String?
    public var message: String
    public var help: String?

    public init(_ level: Level, _ code: DiagnosticCode, at loc: SourceLocation?, file: String? = nil, rule: String?,
                _ message: String, help: String? = nil) {
        self.level = level; self.code = code; self.file = loc?.file ?? file ?? "<unknown>"
        self.line = loc?.line; self.column = loc?.column; self.ruleId = rule; self.message = message; self.help = help
    }

    /// `file:line:column: error[CS010 pattern-compile-error]: rule SVX-0001: reason` plus an indented `help:` line.
    public var description: String {
        var loc = file
        if let line { loc += ":\(line)"; if let column { loc += ":\(column)" } }
        var s = "\(loc): \(level.rawValue)[\(code.rawValue) \(code.name)]: "
        if let ruleId { s += "rule \(ruleId): " }
        s += message
        if let help { s += "\n    help: \(help)" }
        return s
    }
}

/// Why a set of rule files could not be loaded: every diagnostic of every file (nothing is half-loaded).
public struct RuleLoadError: Error, CustomStringConvertible, Sendable {
    public var diagnostics: [Diagnostic]
    public init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
