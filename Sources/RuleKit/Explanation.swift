import ChatModel

/// One exception pattern consulted for a candidate match, and whether it matched.
public struct ExceptionCheck: Sendable, Codable, Equatable {
    public var id: String
    public var scope: String
    public var regex: String
    /// The text the exception ran on (the part of the message its scope selects).
    public var checkedText: String
    public var matched: Bool
    public var action: String
}

/// A context word (or phrase) found near a match and the score change it brought.
public struct ContextWordFound: Sendable, Codable, Equatable {
    public var word: String
    /// The list entry that matched (may end in `*`).
    public var entry: String
    /// `before` or `after` the match.
    public var side: String
    public var delta: Double
}

/// One pattern match of a rule with everything that decided its fate.
public struct CandidateExplanation: Sendable, Codable, Equatable {
    /// What happened to the candidate.
    public enum Status: String, Sendable, Codable {
        case reported, suppressed
        case belowMinConfidence = "below_min_confidence"
        case overlapsEarlierHit = "overlaps_earlier_hit"
    }
    public var pattern: String
    public var regex: String
    /// Byte range in the original text.
    public var start: Int
    public var end: Int
    public var matchedText: String = ""
    public var shadowStart: Int?
    public var shadowEnd: Int?
    public var shadowMatch: String?
    public var stepsUsed: [String] = []
    public var exceptions: [ExceptionCheck] = []
    public var context: [ContextWordFound] = []
    public var base: Double = 0
    public var score: Double = 0
    public var minConfidence: Double = 0
    public var severity: String = ""
    public var status: Status = .reported
    public var suppressedBy: String?

    init(pattern: String, regex: String, range: Range<Int>) {
        self.pattern = pattern; self.regex = regex; start = range.lowerBound; end = range.upperBound
    }

    var shadowRange: Range<Int>? {
        get { shadowStart.map { $0..<(shadowEnd ?? $0) } }
        set { shadowStart = newValue?.lowerBound; shadowEnd = newValue?.upperBound }
    }

    /// `base 0.90 + 0.05 (happily, before) - 0.30 (victim, after) = 0.65`.
    public var arithmetic: String {
        var s = String(format2(base))
        for c in context { s += (c.delta < 0 ? " - " : " + ") + format2(abs(c.delta)) + " (\(c.word), \(c.side))" }
        return s + " = " + format2(score)
    }
}

func format2(_ v: Double) -> String {
    let r = (v * 100).rounded() / 100
    var s = String(r)
    if let dot = s.firstIndex(of: ".") { if s.distance(from: dot, to: s.endIndex) == 2 { s += "0" } } else { s += ".00" }
    return s
}

/// One normalisation layer's output in the pipeline.
public struct NormalisationStep: Sendable, Codable, Equatable {
    public var layer: String
    public var text: String
}

/// Why one rule did or did not fire on the text.
public struct RuleExplanation: Sendable, Codable, Equatable {
    public var ruleId: String
    public var title: String
    public var category: String
    public var subcategory: String?
    public var ruleSeverity: String
    public var minConfidence: Double
    /// Layers the rule asked for.
    public var normalise: [String]
    /// Layers that changed the text, each with the text after it.
    public var steps: [NormalisationStep]
    /// The text the patterns ran on (the shadow text, or the original when the rule has no layers).
    public var matchedOn: String
    public var candidates: [CandidateExplanation]
    public var limits: [LimitEvent]
    /// True when at least one candidate was reported.
    public var fired: Bool { candidates.contains { $0.status == .reported } }
}

/// `explain` output for one text: every rule that fired (and, when asked, near misses).
public struct Explanation: Sendable, Codable, Equatable {
    public var text: String
    public var rules: [RuleExplanation]
}

extension CompiledRuleSet {
    /// Explains how every rule treats `text`. With `includeNearMisses`, rules whose pattern matched but whose
    /// every match was suppressed or scored too low are included too.
    public func explain(text: String, includeNearMisses: Bool = false, scratch: MatchScratch? = nil,
                        onlyRule: Int? = nil) -> Explanation {
        let scratch = scratch ?? makeScratch()
        var t = text
        let bytes = Array(t.utf8)
        var out: [RuleExplanation] = []
        t.withUTF8 { buf in
            let raw = UnsafeRawBufferPointer(buf)
            for cr in rules where onlyRule == nil || onlyRule == cr.index {
                let shadow = cr.normaliser?.normalise(raw, recordStages: true)
                let second = shadow?.hasSecondReading == true ? cr.normaliser?.secondReading(raw, recordStages: true) : nil
                let trace = ExplainTrace()
                let matches = evaluate(cr, raw: raw, shadow: shadow, second: second, scratch: scratch, trace: trace)
                let limits = matches.compactMap(\.limitExceeded)
                let fired = matches.contains(where: \.isHit)
                guard fired || !limits.isEmpty || (includeNearMisses && !trace.candidates.isEmpty) else { continue }
                let cands = trace.candidates.map { c -> CandidateExplanation in
                    var c = c
                    c.matchedText = String(decoding: bytes[min(c.start, bytes.count)..<min(c.end, bytes.count)], as: UTF8.self)
                    return c
                }
                let r = cr.rule
                out.append(RuleExplanation(
                    ruleId: r.id, title: r.title, category: r.category, subcategory: r.subcategory,
                    ruleSeverity: r.severity.rawValue, minConfidence: r.minConfidence, normalise: r.normalise.map(\.rawValue),
                    steps: (shadow?.stages.map { NormalisationStep(layer: $0.layer.rawValue, text: $0.text) } ?? [])
                        + (second.map { [NormalisationStep(layer: "second reading", text: $0.text)] } ?? []),
                    matchedOn: shadow?.text ?? text, candidates: includeNearMisses ? cands : cands.filter { $0.status == .reported },
                    limits: limits))
            }
        }
        return Explanation(text: text, rules: out)
    }
}
