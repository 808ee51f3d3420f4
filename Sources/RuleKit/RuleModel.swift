import ChatModel

/// A position in a rule file, for diagnostics (`file:line:column`, 1-based).
public struct SourceLocation: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public init(file: String, line: Int, column: Int) { self.file = file; self.line = line; self.column = column }
    public var description: String { "\(file):\(line):\(column)" }
}

/// PCRE2 compile options a rule pattern may ask for (`utf` is always on and may be listed for clarity).
public enum PatternFlag: String, Sendable, CaseIterable, Codable {
    case caseless, ucp, dotall, multiline, extended, utf
}

/// Normalisation layers a rule can opt into; applied in this (canonical) order whatever order the rule lists them.
public enum NormaliseLayer: String, Sendable, CaseIterable, Codable, Comparable {
    case nfkc, stripInvisible = "strip_invisible", confusables, casefold, separators, leet, collapseRepeats = "collapse_repeats"

    /// Position in the pipeline.
    public var order: Int {
        switch self {
        case .nfkc: 0
        case .stripInvisible: 1
        case .confusables: 2
        case .casefold: 3
        case .separators: 4
        case .leet: 5
        case .collapseRepeats: 6
        }
    }
    public static func < (a: NormaliseLayer, b: NormaliseLayer) -> Bool { a.order < b.order }
}

/// One PCRE2 pattern of a rule.
public struct RulePattern: Sendable, Equatable {
    /// Id inside the rule (`p1`, `p_would`, `kw`, ...), reported in hits.
    public var id: String
    /// PCRE2 source.
    public var regex: String
    public var flags: Set<PatternFlag>
    /// Base score for hits of this pattern; nil = the rule's confidence.
    public var score: Double?
    public var location: SourceLocation?
    /// The pattern as the loader compiled it to check it, reused by `CompiledRuleSet` (see `PCRE2Regex.reusing`);
    /// not part of equality.
    public var compiled: PCRE2Regex?
    /// True when the rule file wrote it with `{{fragment}}` uses (`regex` is the expansion); not part of equality.
    public var usesFragments = false
    public init(id: String, regex: String, flags: Set<PatternFlag>, score: Double? = nil, location: SourceLocation? = nil) {
        self.id = id; self.regex = regex; self.flags = flags; self.score = score; self.location = location
    }
    public static func == (a: RulePattern, b: RulePattern) -> Bool {
        a.id == b.id && a.regex == b.regex && a.flags == b.flags && a.score == b.score && a.location == b.location
    }
}

/// Where an exception pattern looks, relative to the hit.
public enum ExceptionScope: String, Sendable, Codable {
    /// The text from the start of the message up to the match start (so `$` anchors at the match).
    case beforeMatch = "before_match"
    /// The text from the match end to the end of the message (so `^` anchors at the match end).
    case afterMatch = "after_match"
    /// The whole message text.
    case message
}

/// What an exception does to a hit when it matches.
public enum ExceptionAction: Sendable, Equatable {
    case suppress
    case downgrade(to: Severity)
}

/// A pattern that cancels or downgrades a hit (reported speech, idioms, quoting).
public struct RuleException: Sendable, Equatable {
    public var id: String
    public var regex: String
    public var flags: Set<PatternFlag>
    public var scope: ExceptionScope
    public var action: ExceptionAction
    public var location: SourceLocation?
    /// The exception as the loader compiled it to check it (see `RulePattern.compiled`); not part of equality.
    public var compiled: PCRE2Regex?
    /// True when the rule file wrote it with `{{fragment}}` uses (see `RulePattern.usesFragments`).
    public var usesFragments = false
    public init(id: String, regex: String, flags: Set<PatternFlag>, scope: ExceptionScope, action: ExceptionAction,
                location: SourceLocation? = nil) {
        self.id = id; self.regex = regex; self.flags = flags; self.scope = scope; self.action = action
        self.location = location
    }
    public static func == (a: RuleException, b: RuleException) -> Bool {
        a.id == b.id && a.regex == b.regex && a.flags == b.flags && a.scope == b.scope && a.action == b.action
            && a.location == b.location
    }
}

/// A list of context words and the score change when any of them is near a hit.
public struct ContextWords: Sendable, Equatable {
    /// Words or phrases (several words separated by spaces); a trailing `*` matches any word with that prefix.
    public var words: [String]
    public var delta: Double
    public init(words: [String], delta: Double) { self.words = words; self.delta = delta }
}

/// Context words around a hit (a window counted in words within the message) that raise or lower its score.
public struct RuleContext: Sendable, Equatable {
    public var wordsBefore: Int
    public var wordsAfter: Int
    public var boost: [ContextWords]
    public var dampen: [ContextWords]
    public init(wordsBefore: Int = 5, wordsAfter: Int = 5, boost: [ContextWords] = [], dampen: [ContextWords] = []) {
        self.wordsBefore = wordsBefore; self.wordsAfter = wordsAfter; self.boost = boost; self.dampen = dampen
    }
}

/// One embedded example of a rule: a text, and for `match` examples optionally the expected matched text.
public struct RuleExample: Sendable, Equatable {
    public var text: String
    /// Expected matched text (original bytes of the span) for a match example.
    public var span: String?
    /// Expected severity of that hit (after exceptions) for a match example.
    public var severity: Severity?
    public var location: SourceLocation?
    public init(text: String, span: String? = nil, severity: Severity? = nil, location: SourceLocation? = nil) {
        self.text = text; self.span = span; self.severity = severity; self.location = location
    }
}

/// The embedded examples of a rule.
public struct RuleTests: Sendable, Equatable {
    public var match: [RuleExample]
    public var noMatch: [RuleExample]
    public init(match: [RuleExample] = [], noMatch: [RuleExample] = []) { self.match = match; self.noMatch = noMatch }
    public var isEmpty: Bool { match.isEmpty && noMatch.isEmpty }
}

/// One validated rule (not compiled): metadata, patterns, exceptions, context, normalisation and examples.
public struct Rule: Sendable, Equatable {
    public var id: String
    public var title: String
    public var description: String?
    /// Category name from the taxonomy (`racism`, `sexual_violence`, ... or `pattern` for pattern files).
    public var category: String
    public var subcategory: String?
    public var severity: Severity
    /// Base confidence in 0...1 (used when a pattern has no own score).
    public var confidence: Double
    /// A hit is reported only if its final score is >= this.
    public var minConfidence: Double
    public var version: Int
    public var references: [String]
    public var tags: [String]
    public var normalise: [NormaliseLayer]
    public var patterns: [RulePattern]
    public var exceptions: [RuleException]
    public var context: RuleContext?
    public var tests: RuleTests
    public var pack: String
    public var packVersion: String?
    public var location: SourceLocation?

    public init(id: String, title: String, description: String? = nil, category: String, subcategory: String? = nil,
                severity: Severity, confidence: Double = RuleDefaults.confidence,
                minConfidence: Double = RuleDefaults.minConfidence, version: Int = 1, references: [String] = [],
                tags: [String] = [], normalise: [NormaliseLayer] = [], patterns: [RulePattern],
                exceptions: [RuleException] = [], context: RuleContext? = nil, tests: RuleTests = RuleTests(),
                pack: String, packVersion: String? = nil, location: SourceLocation? = nil) {
        self.id = id; self.title = title; self.description = description; self.category = category
        self.subcategory = subcategory; self.severity = severity; self.confidence = confidence
        self.minConfidence = minConfidence; self.version = version; self.references = references; self.tags = tags
        self.normalise = normalise; self.patterns = patterns; self.exceptions = exceptions; self.context = context
        self.tests = tests; self.pack = pack; self.packVersion = packVersion; self.location = location
    }

    /// What reports need to know about this rule.
    public var summary: RuleSummary {
        RuleSummary(id: id, title: title, category: category, subcategory: subcategory, severity: severity,
                    pack: pack, packVersion: packVersion, source: location.map { "\($0.file):\($0.line)" })
    }
}

/// Values used when neither the rule nor the file's `defaults:` say otherwise.
public enum RuleDefaults {
    public static let confidence = 0.8
    public static let minConfidence = 0.5
    public static let flags: Set<PatternFlag> = [.caseless]
    public static let wordsBefore = 5
    public static let wordsAfter = 5
    /// Numeric values of the confidence words.
    public static let confidenceWords: [String: Double] = ["high": 0.85, "medium": 0.6, "low": 0.35]
}

/// Loaded and validated rules (not compiled), with the packs they came from.
public struct RuleSet: Sendable {
    public var rules: [Rule]
    public var packs: [RulePackSummary]
    public init(rules: [Rule], packs: [RulePackSummary]) { self.rules = rules; self.packs = packs }
    public var summaries: [RuleSummary] { rules.map(\.summary) }
    /// Concatenates rule sets (ids must stay unique: `RuleLoader` checks this when loading several paths).
    public func merged(with other: RuleSet) -> RuleSet {
        RuleSet(rules: rules + other.rules, packs: packs + other.packs)
    }
}
