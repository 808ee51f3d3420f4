/// How bad a hit is if it is true: the five levels used by Sigma and Semgrep.
public enum Severity: String, Codable, Sendable, CaseIterable, Comparable {
    case info, low, medium, high, critical

    public var rank: Int {
        switch self { case .info: 0; case .low: 1; case .medium: 2; case .high: 3; case .critical: 4 }
    }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}
