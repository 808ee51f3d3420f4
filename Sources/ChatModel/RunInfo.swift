/// What a report needs to know about one rule, without depending on the rule compiler.
public struct RuleSummary: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var category: String
    public var subcategory: String?
    public var severity: Severity
    public var pack: String
    public var packVersion: String?
    /// Where the rule is defined, `path:line`, the path as the rules were loaded (the shipped packs' absolute,
    /// a `--rules` path as given, relative to the run's working directory): packs from folders of the same name
    /// share an id, their rules' sources tell them apart.
    public var source: String?
    public init(id: String, title: String, category: String, subcategory: String? = nil, severity: Severity,
                pack: String, packVersion: String? = nil, source: String? = nil) {
        self.id = id; self.title = title; self.category = category; self.subcategory = subcategory
        self.severity = severity; self.pack = pack; self.packVersion = packVersion; self.source = source
    }
}

/// One rule pack (or pattern file) used by a run, with the hash that pins its exact content.
public struct RulePackSummary: Codable, Sendable, Equatable {
    public var id: String
    public var version: String?
    public var path: String
    /// SHA-256 over the pack's files (sorted by path), hex.
    public var sha256: String
    public var rules: Int
    public init(id: String, version: String?, path: String, sha256: String, rules: Int) {
        self.id = id; self.version = version; self.path = path; self.sha256 = sha256; self.rules = rules
    }
}

/// Facts about one scan run for the evidence manifest and the reports' headers.
public struct RunInfo: Codable, Sendable {
    public var toolVersion: String
    /// The command line as typed (argv).
    public var command: [String]
    /// ISO 8601 UTC.
    public var startedAt: String
    public var endedAt: String?
    /// Options that change results (date order, format, threads, context, redaction, ...).
    public var options: [String: String]
    public var packs: [RulePackSummary]
    public var rules: [RuleSummary]
    /// The absolute directory the scan ran in: the base of every relative input, output and rule path it records.
    public var workingDirectory: String?
    public init(toolVersion: String, command: [String], startedAt: String, endedAt: String? = nil,
                options: [String: String] = [:], packs: [RulePackSummary] = [], rules: [RuleSummary] = [],
                workingDirectory: String? = nil) {
        self.toolVersion = toolVersion; self.command = command; self.startedAt = startedAt; self.endedAt = endedAt
        self.options = options; self.packs = packs; self.rules = rules; self.workingDirectory = workingDirectory
    }
}
