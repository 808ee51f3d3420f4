import ChatModel

/// One embedded example that did not behave as declared.
public struct TestFailure: Sendable, Codable, Equatable {
    /// How the example failed.
    public enum Kind: String, Sendable, Codable {
        /// A `match` example produced no hit.
        case missed
        /// A `match` example hit, but no hit had the expected span.
        case wrongSpan = "wrong_span"
        /// A `match` example hit (with the expected span, if one is given), but not at the expected severity.
        case wrongSeverity = "wrong_severity"
        /// A `no_match` example produced a hit.
        case unexpectedHit = "unexpected_hit"
        /// A pattern or exception hit a PCRE2 match/depth/heap limit on the example: its outcome is unknown, so the
        /// example fails whatever else matched (see `limits`).
        case limitExceeded = "limit_exceeded"
    }
    public var ruleId: String
    public var kind: Kind
    public var example: String
    public var expectedSpan: String?
    /// The severity a `match` example declares (`severity:`), if any.
    public var expectedSeverity: Severity? = nil
    /// What the rule matched: `pattern: "text"` per hit (`pattern: "text" (severity)` when the example declares one).
    public var matched: [String]
    /// The normalised text the rule ran on (nil when the rule has no layers).
    public var shadow: String?
    /// Suppressed or low-scoring candidates, to explain a miss (`pattern "text" suppressed by x_id`).
    public var nearMisses: [String]
    public var file: String?
    public var line: Int?
    public var column: Int?
    /// The PCRE2 limits hit on the example: `pattern p1: <PCRE2 message>` (or `exception x1: ...`).
    public var limits: [String] = []
}

/// The confusion matrix of one rule over its embedded examples.
public struct RuleTestResult: Sendable, Codable, Equatable {
    public var ruleId: String
    public var truePositives = 0
    public var falseNegatives = 0
    public var trueNegatives = 0
    public var falsePositives = 0
    public var passed: Int { truePositives + trueNegatives }
    public var failed: Int { falseNegatives + falsePositives }
}

/// Results of `rules test`: per-rule matrices, every failure, and totals.
public struct RuleTestReport: Sendable, Codable, Equatable {
    public var results: [RuleTestResult]
    public var failures: [TestFailure]
    public var passed: Int { results.reduce(0) { $0 + $1.passed } }
    public var failed: Int { results.reduce(0) { $0 + $1.failed } }
}

/// Runs every rule's embedded `match` / `no_match` examples against that rule alone.
public enum RuleTester {
    public static func run(_ set: CompiledRuleSet) -> RuleTestReport {
        let scratch = set.makeScratch()
        var results: [RuleTestResult] = []
        var failures: [TestFailure] = []
        for cr in set.rules {
            let rule = cr.rule
            var res = RuleTestResult(ruleId: rule.id)
            func check(_ ex: RuleExample, expectMatch: Bool) {
                let matches = set.match(rule: cr.index, text: ex.text, shadow: nil, scratch: scratch)
                let hits = matches.filter(\.isHit)
                let limits = matches.compactMap(\.limitExceeded).map { "\($0.inException ? "exception" : "pattern") \($0.pattern): \($0.message)" }
                let bytes = Array(ex.text.utf8)
                let spans = hits.map { String(decoding: bytes[$0.range], as: UTF8.self) }
                var kind: TestFailure.Kind?
                if expectMatch {
                    if !limits.isEmpty { kind = .limitExceeded }
                    else if hits.isEmpty { kind = .missed }
                    else if let want = ex.span, !spans.contains(want) { kind = .wrongSpan }
                    else if let sev = ex.severity,
                            !zip(hits, spans).contains(where: { $0.severity == sev && (ex.span == nil || $1 == ex.span) }) {
                        kind = .wrongSeverity
                    }
                    if kind == nil { res.truePositives += 1 } else { res.falseNegatives += 1 }
                } else {
                    if !limits.isEmpty { kind = .limitExceeded }
                    else if !hits.isEmpty { kind = .unexpectedHit }
                    if kind == nil { res.trueNegatives += 1 } else { res.falsePositives += 1 }
                }
                guard let kind else { return }
                let explanation = set.explain(text: ex.text, includeNearMisses: true, scratch: scratch, onlyRule: cr.index)
                let near = explanation.rules.flatMap(\.candidates).filter { $0.status != .reported }.map { c in
                    "\(c.pattern) \"\(c.matchedText)\" " + (c.status == .suppressed ? "suppressed by \(c.suppressedBy ?? "?")"
                        : c.status == .belowMinConfidence ? "score \(c.arithmetic) < min_confidence \(format2(c.minConfidence))"
                        : c.status.rawValue)
                }
                failures.append(TestFailure(
                    ruleId: rule.id, kind: kind, example: ex.text, expectedSpan: ex.span, expectedSeverity: ex.severity,
                    matched: zip(hits, spans).map { "\($0.pattern): \"\($1)\"" + (ex.severity == nil ? "" : " (\($0.severity.rawValue))") },
                    shadow: cr.normaliser.map { $0.normalise(ex.text).text }, nearMisses: near,
                    file: ex.location?.file, line: ex.location?.line, column: ex.location?.column, limits: limits))
            }
            for ex in rule.tests.match { check(ex, expectMatch: true) }
            for ex in rule.tests.noMatch { check(ex, expectMatch: false) }
            results.append(res)
        }
        return RuleTestReport(results: results, failures: failures)
    }
}

extension TestFailure {
    /// Multi-line human description: where, which rule, the example, what matched and the shadow text.
    public var description: String {
        var loc = file ?? ""
        if let line { loc += ":\(line)"; if let column { loc += ":\(column)" } }
        var s = "\(loc): FAIL \(ruleId) "
        switch kind {
        case .missed: s += "match example was not matched: \"\(example)\""
        case .wrongSpan: s += "match example \"\(example)\" matched, but not the expected span \"\(expectedSpan ?? "")\""
        case .wrongSeverity: s += "match example \"\(example)\" matched, but not at the expected severity \(expectedSeverity?.rawValue ?? "")"
        case .unexpectedHit: s += "no_match example was matched: \"\(example)\""
        case .limitExceeded: s += "example hit a PCRE2 limit, so its outcome is unknown: \"\(example)\""
        }
        for l in limits { s += "\n    limit:   \(l)" }
        if !matched.isEmpty { s += "\n    matched: " + matched.joined(separator: ", ") }
        if let shadow { s += "\n    shadow:  \"\(shadow)\"" }
        for n in nearMisses { s += "\n    near miss: \(n)" }
        return s
    }
}
