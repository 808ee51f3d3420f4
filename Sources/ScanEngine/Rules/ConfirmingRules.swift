import ChatModel

/// What the engine must know about one rule to report its hits.
public struct RuleMeta: Sendable, Equatable {
    public var id: String
    public var category: String
    public var subcategory: String?
    public var severity: Severity
    public init(id: String, category: String, subcategory: String? = nil, severity: Severity) {
        self.id = id; self.category = category; self.subcategory = subcategory; self.severity = severity
    }
}

/// One PCRE2 pattern a rule needs candidates for, with the compile options that change what it matches.
public struct PrefilterSpec: Sendable, Equatable {
    /// Index of the rule that owns the pattern.
    public var rule: Int
    public var source: String
    public var caseless: Bool
    public var dotAll: Bool
    public var multiline: Bool
    public var extended: Bool
    public var ucp: Bool
    /// When set, the pattern runs on the text normalised by this normaliser (`ConfirmingRules.shadow`), not the raw text.
    public var normaliser: Int?
    public init(rule: Int, source: String, caseless: Bool = false, dotAll: Bool = false, multiline: Bool = false,
                extended: Bool = false, ucp: Bool = false, normaliser: Int? = nil) {
        self.rule = rule; self.source = source; self.caseless = caseless; self.dotAll = dotAll
        self.multiline = multiline; self.extended = extended; self.ucp = ucp; self.normaliser = normaliser
    }
    /// Stable text for the cache key.
    var keyText: String { "\(rule)\u{1}\(source)\u{1}\(caseless)\(dotAll)\(multiline)\(extended)\(ucp)\(normaliser ?? -1)" }
}

/// One confirmed match of one rule inside a message text (byte offsets into the UTF-8 text).
public struct ConfirmedMatch: Sendable, Equatable {
    public var textStart: Int
    public var textEnd: Int
    public var pattern: String?
    public var normalised: [String]
    public var score: Double?
    /// The hit's severity when it differs from the rule's (an exception downgraded it).
    public var severity: Severity?
    public init(textStart: Int, textEnd: Int, pattern: String? = nil, normalised: [String] = [], score: Double? = nil,
                severity: Severity? = nil) {
        self.textStart = textStart; self.textEnd = textEnd; self.pattern = pattern; self.normalised = normalised
        self.score = score; self.severity = severity
    }
}

/// The result of confirming one rule on one message: its matches and any PCRE2 limit that was hit.
public struct ConfirmOutcome: Sendable {
    public var matches: [ConfirmedMatch]
    /// Non-nil when a pattern hit the PCRE2 match or depth limit (the message was not fully searched).
    public var limitEvent: String?
    public init(matches: [ConfirmedMatch], limitEvent: String? = nil) { self.matches = matches; self.limitEvent = limitEvent }
}

/// A rule set as the engine sees it: metadata, the patterns to prefilter on, and the exact (reference) confirmation
/// of one rule on one message. Implementations are immutable and shared by all scan threads; per-thread state lives
/// in the scratch object they hand out.
public protocol ConfirmingRules: AnyObject, Sendable {
    var ruleCount: Int { get }
    func meta(_ rule: Int) -> RuleMeta
    func prefilterSpecs() -> [PrefilterSpec]
    func makeConfirmScratch() -> AnyObject
    /// Appends the shadow text of `text` under normaliser `normaliser` to `out` (the text itself when unchanged);
    /// true when the text also has a second reading (`Normaliser.secondReading`), which the shadow does not show:
    /// the prefilter then scans that reading too (`appendSecondReading`).
    @discardableResult
    func appendShadow(normaliser: Int, text: UnsafeRawBufferPointer, to out: inout [UInt8]) -> Bool
    /// Appends the shadow text of the second reading of `text` (one for which `appendShadow` returned true).
    func appendSecondReading(normaliser: Int, text: UnsafeRawBufferPointer, to out: inout [UInt8])
    /// Runs rule `rule` on one message text with the full reference semantics (shadow text computed as needed).
    func confirm(rule: Int, text: UnsafeRawBufferPointer, scratch: AnyObject) -> ConfirmOutcome
    /// Does now what the first `confirm` of `rule` would otherwise do first (PCRE2's JIT compile), for a thread
    /// that would otherwise wait idle.
    func prepare(rule: Int)
}

extension ConfirmingRules {
    public func prepare(rule: Int) {}

    /// The shadow text of `text` under normaliser `normaliser`, or nil when it is identical to `text`.
    public func shadow(normaliser: Int, text: UnsafeRawBufferPointer) -> [UInt8]? {
        var out: [UInt8] = []
        appendShadow(normaliser: normaliser, text: text, to: &out)
        return out.elementsEqual(text) ? nil : out
    }
}
