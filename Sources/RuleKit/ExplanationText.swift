/// Renders an `Explanation` as the indented text `chatsieve explain` prints.
public enum ExplanationText {
    /// The whole explanation; `colour` adds ANSI colours (for terminals).
    public static func render(_ e: Explanation, nearMisses: Bool, colour: Bool = false) -> String {
        var out = ["text: \"\(e.text)\""]
        if e.rules.isEmpty { out.append(nearMisses ? "no rule matched" : "no rule fired (try --all for near misses)") }
        for r in e.rules { out.append(""); out.append(render(r, colour: colour)) }
        return out.joined(separator: "\n")
    }

    static func paint(_ s: String, _ code: String, _ on: Bool) -> String { on ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }

    /// One rule: state, normalisation steps with intermediate texts, each candidate's span, exceptions,
    /// context words, score arithmetic and verdict.
    public static func render(_ r: RuleExplanation, colour: Bool = false) -> String {
        var out: [String] = []
        let state = r.fired ? paint("FIRED", "31", colour) : paint("near miss", "33", colour)
        out.append("\(paint(r.ruleId, "1", colour)) \(state)  \(r.title)  [\(r.category)\(r.subcategory.map { "/" + $0 } ?? ""), \(r.ruleSeverity)]")
        if !r.normalise.isEmpty {
            out.append("  normalise: \(r.normalise.joined(separator: ", "))")
            if r.steps.isEmpty { out.append("    (no layer changed the text)") }
            for s in r.steps { out.append("    after \(s.layer.padding(toLength: 17, withPad: " ", startingAt: 0)) \"\(s.text)\"") }
        }
        for c in r.candidates {
            out.append("  pattern \(c.pattern): \(c.regex)")
            out.append("    span: bytes \(c.start)..<\(c.end) \"\(c.matchedText)\"")
            if let s = c.shadowStart, let e = c.shadowEnd {
                out.append("    in normalised text: \(s)..<\(e) \"\(c.shadowMatch ?? "")\"; steps used: "
                           + (c.stepsUsed.isEmpty ? "none" : c.stepsUsed.joined(separator: ", ")))
            }
            for x in c.exceptions {
                out.append("    exception \(x.id) (\(x.scope), \(x.action)): \(x.matched ? "MATCHED" : "no match") on \"\(x.checkedText)\"")
            }
            if c.context.isEmpty { out.append("    context words: none") }
            for w in c.context {
                out.append("    context word \"\(w.word)\" \(w.side) (entry \(w.entry)): \(w.delta >= 0 ? "+" : "-")\(format2(abs(w.delta)))")
            }
            out.append("    score: \(c.arithmetic) (min_confidence \(format2(r.minConfidence)))")
            let verdict: String
            switch c.status {
            case .reported: verdict = "reported, severity \(c.severity)"
            case .suppressed: verdict = "suppressed by \(c.suppressedBy ?? "?")"
            case .belowMinConfidence: verdict = "not reported: score below min_confidence"
            case .overlapsEarlierHit: verdict = "not reported: overlaps an earlier hit of this rule"
            }
            out.append("    => \(verdict)")
        }
        for l in r.limits { out.append("  LIMIT in \(l.inException ? "exception" : "pattern") \(l.pattern): \(l.message)") }
        return out.joined(separator: "\n")
    }
}
