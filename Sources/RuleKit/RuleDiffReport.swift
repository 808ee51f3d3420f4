import ChatModel

/// How a rule id differs between the old and the new rule set of a `RuleDiffer` run.
public enum RuleChangeStatus: String, Codable, Sendable, Comparable {
    /// Only in the new set.
    case added
    /// Only in the old set.
    case removed
    /// In both, with different content (see `RuleDiffEntry.changes`).
    case changed
    /// In both, with the same content.
    case unchanged

    var order: Int { switch self { case .removed: 0; case .added: 1; case .changed: 2; case .unchanged: 3 } }
    public static func < (a: RuleChangeStatus, b: RuleChangeStatus) -> Bool { a.order < b.order }
}

/// Counts of (message, rule id) pairs with at least one hit: `gained` only with the new rules, `lost` only with the
/// old, `unchanged` with both; `severityChanged` counts the unchanged pairs whose (highest) severity differs.
public struct DiffCounts: Codable, Sendable, Equatable {
    public var gained = 0
    public var lost = 0
    public var unchanged = 0
    public var severityChanged = 0
    public init(gained: Int = 0, lost: Int = 0, unchanged: Int = 0, severityChanged: Int = 0) {
        self.gained = gained; self.lost = lost; self.unchanged = unchanged; self.severityChanged = severityChanged
    }
    /// Pairs hit by the old rules.
    public var old: Int { lost + unchanged }
    /// Pairs hit by the new rules.
    public var new: Int { gained + unchanged }
    /// True when nothing was gained, lost or re-graded.
    public var isQuiet: Bool { gained == 0 && lost == 0 && severityChanged == 0 }

    mutating func add(_ o: DiffCounts) {
        gained += o.gained; lost += o.lost; unchanged += o.unchanged; severityChanged += o.severityChanged
    }
}

/// One rule set's figures for one rule over the corpus.
public struct RuleSideStats: Codable, Sendable, Equatable {
    /// Matched spans reported as hits.
    public var hits = 0
    /// Messages with at least one hit.
    public var messages = 0
    /// Pattern runs stopped by a PCRE2 match/depth/heap limit.
    public var limitEvents = 0
    /// CPU time spent in this rule's match calls (only with profiling).
    public var nanoseconds: UInt64?
    public init() {}

    mutating func add(_ o: RuleSideStats) {
        hits += o.hits; messages += o.messages; limitEvents += o.limitEvents
        if let n = o.nanoseconds { nanoseconds = (nanoseconds ?? 0) &+ n }
    }
}

/// A message that illustrates a gained, lost or re-graded (message, rule) pair.
public struct DiffExample: Codable, Sendable, Equatable {
    public var file: String
    public var line: Int?
    public var messageIndex: Int
    public var chat: String?
    public var sender: String?
    /// The first matched span (original text) of the side that has the hit (the new side for re-graded pairs).
    public var match: String
    /// Byte offsets of `match` in the message text.
    public var textStart: Int
    public var textEnd: Int
    public var pattern: String
    public var severity: Severity
    /// For re-graded pairs: the severity the old rules gave.
    public var oldSeverity: Severity?
    /// The message text around the match (at most about 160 bytes; `…` marks cuts).
    public var excerpt: String

    /// `file:line`, or `file#message_index` for formats without lines.
    public var location: String { line.map { "\(file):\($0)" } ?? "\(file)#\(messageIndex)" }
}

/// Everything the diff knows about one rule id.
public struct RuleDiffEntry: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    /// The new rule's category (the old one's for removed rules).
    public var category: String
    public var status: RuleChangeStatus
    /// For `changed` rules: which parts differ (`patterns`, `exceptions`, `severity`, `normalise`, ...).
    public var changes: [String]
    /// For a removed rule: the added rule with the same matching content (and vice versa): likely a rename.
    public var sameContentAs: String?
    public var oldSeverity: Severity?
    public var newSeverity: Severity?
    /// Nil when the rule is not in that set.
    public var old: RuleSideStats?
    public var new: RuleSideStats?
    public var counts: DiffCounts
    public var gainedExamples: [DiffExample]
    public var lostExamples: [DiffExample]
    public var severityExamples: [DiffExample]
}

/// Pair counts for one category or one sender.
public struct GroupDiff: Codable, Sendable, Equatable {
    public var name: String
    public var counts: DiffCounts
    public init(name: String, counts: DiffCounts) { self.name = name; self.counts = counts }
}

/// How many re-graded (message, rule) pairs went from one severity to another.
public struct SeverityTransition: Codable, Sendable, Equatable {
    public var from: Severity
    public var to: Severity
    public var count: Int
    public init(from: Severity, to: Severity, count: Int) { self.from = from; self.to = to; self.count = count }
}

/// The result of comparing two rule sets on one corpus (`chatsieve rules diff`). Every list is in a fixed order:
/// rules by id, categories by name, senders by number of gained+lost pairs (descending) then name, transitions
/// by severity; examples in corpus order.
public struct RuleDiffReport: Codable, Sendable, Equatable {
    /// Scannable messages compared.
    public var messages: Int
    public var oldRules: Int
    public var newRules: Int
    public var profiled: Bool
    public var totals: DiffCounts
    /// Distinct messages with a hit from any rule, per set.
    public var oldMessagesHit: Int
    public var newMessagesHit: Int
    public var rules: [RuleDiffEntry]
    public var categories: [GroupDiff]
    /// Messages without a sender (plain lines) are counted under `(no sender)`.
    public var senders: [GroupDiff]
    public var severityTransitions: [SeverityTransition]

    /// Number of rules with each status.
    public func count(_ status: RuleChangeStatus) -> Int { rules.filter { $0.status == status }.count }
}
