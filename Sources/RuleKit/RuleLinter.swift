/// Static checks on rule files beyond what loading enforces: slow or risky patterns, duplicate patterns,
/// missing negative examples, and embedded tests that contradict the rule.
public enum RuleLinter {
    /// Lints the given files/folders (and plain pattern and keyword files). Errors make `hasErrors` true.
    public static func lint(paths: [String], patternFiles: [String] = [], keywordFiles: [String] = [],
                            ignoreCase: Bool = false) -> LintReport {
        var (set, diagnostics) = RuleLoader.collect(paths: paths)
        let (plain, plainDiagnostics) = RuleLoader.collectPlainFiles(patterns: patternFiles, keywords: keywordFiles,
                                                                     ignoreCase: ignoreCase)
        set = set.merged(with: plain); diagnostics += plainDiagnostics
        // A duplicate id does not stop a rule's examples from being checked (both rules still report their own).
        let broken = Set(diagnostics.filter { $0.level == .error && $0.code != .duplicateId }.compactMap(\.ruleId))
        for rule in set.rules { diagnostics += lint(rule) }
        diagnostics += repeatedRegexes(set.rules)
        // Run embedded tests on rules that compile.
        let testable = set.rules.filter { r in
            !broken.contains(r.id) && r.patterns.allSatisfy { (try? PCRE2Regex.reusing($0.compiled, $0.regex, flags: $0.flags)) != nil }
                && r.exceptions.allSatisfy { (try? PCRE2Regex.reusing($0.compiled, $0.regex, flags: $0.flags)) != nil }
        }
        if let compiled = try? CompiledRuleSet(RuleSet(rules: testable, packs: [])) {
            for f in RuleTester.run(compiled).failures {
                let loc = f.file.map { SourceLocation(file: $0, line: f.line ?? 0, column: f.column ?? 0) }
                let what: String
                switch f.kind {
                case .missed: what = "`match` example is not matched by the rule: \"\(f.example)\""
                case .wrongSpan: what = "`match` example \"\(f.example)\" does not produce the span \"\(f.expectedSpan ?? "")\" (matched \(f.matched.joined(separator: ", ")))"
                case .wrongSeverity: what = "`match` example \"\(f.example)\" is not reported at severity \(f.expectedSeverity?.rawValue ?? "") (matched \(f.matched.joined(separator: ", ")))"
                case .unexpectedHit: what = "`no_match` example is matched by the rule: \"\(f.example)\" (\(f.matched.joined(separator: ", ")))"
                case .limitExceeded: what = "example hit a PCRE2 limit (\(f.limits.joined(separator: "; "))), so its outcome is unknown: \"\(f.example)\""
                }
                var help = f.shadow.map { "normalised text: \"\($0)\"" }
                if let n = f.nearMisses.first { help = (help.map { $0 + "; " } ?? "") + "near miss: " + n }
                diagnostics.append(Diagnostic(.error, .testContradiction, at: loc, file: f.file, rule: f.ruleId, what, help: help))
            }
        }
        return LintReport(diagnostics: diagnostics, rules: set.rules.count)
    }

    /// Pattern-level and metadata checks for one rule.
    public static func lint(_ rule: Rule) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var seen: [String: String] = [:]
        let fromLineFile = rule.category == Taxonomy.patternCategory || rule.category == Taxonomy.keywordCategory
        for p in rule.patterns {
            let loc = p.location ?? rule.location
            if let first = seen[p.regex] {
                out.append(Diagnostic(.warning, .duplicatePattern, at: loc, rule: rule.id,
                                      "pattern `\(p.id)` repeats pattern `\(first)`", help: "remove one of them"))
            } else { seen[p.regex] = p.id }
            guard let compiled = try? PCRE2Regex.reusing(p.compiled, p.regex, flags: p.flags) else { continue }
            if compiled.minLength == 0 {
                out.append(Diagnostic(.warning, .matchesEmpty, at: loc, rule: rule.id,
                                      "pattern `\(p.id)` can match the empty string; empty matches are never hits",
                                      help: "make at least one element mandatory (use `+` instead of `*`)"))
            }
            let a = PatternAnalysis.analyse(p.regex, extended: p.flags.contains(.extended))
            if a.requiredLiteralLength < 3 {
                out.append(Diagnostic(.warning, .noLiteral, at: loc, rule: rule.id,
                                      "pattern `\(p.id)` has no literal of 3 or more characters that every match contains (longest: \(a.requiredLiteralLength)); it cannot be prefiltered cheaply",
                                      help: "anchor it on a fixed word, e.g. write `(?:slap|smack)` rather than `\\w+ap`"))
            }
            out += backtrackingRisks(a, what: "pattern `\(p.id)`", at: loc, rule: rule.id)
        }
        // Exceptions run on every candidate, over up to the whole message: the same backtracking risks apply.
        for x in rule.exceptions {
            let loc = x.location ?? rule.location
            out += backtrackingRisks(PatternAnalysis.analyse(x.regex, extended: x.flags.contains(.extended)),
                                     what: "exception `\(x.id)`", at: loc, rule: rule.id,
                                     note: "; it runs once per candidate, and a long message with many candidates makes the backtracking add up")
        }
        if !fromLineFile && rule.tests.noMatch.isEmpty && !rule.tests.match.isEmpty {
            out.append(Diagnostic(.warning, .missingTests, at: rule.location, rule: rule.id,
                                  "no `no_match` examples", help: "add benign near-misses (idioms, reporting language)"))
        }
        return out
    }

    /// CS032: the same long regex written out (not through a fragment) in several rules of one pack, which a
    /// `fragments:` entry would let the pack write once. One warning per regex, at its first place.
    static func repeatedRegexes(_ rules: [Rule], minLength: Int = 40, minRules: Int = 3) -> [Diagnostic] {
        struct Key: Hashable { var pack: String; var regex: String }
        var places: [Key: [(rule: String, what: String, loc: SourceLocation?)]] = [:]
        var order: [Key] = []
        for r in rules {
            let written = r.patterns.filter { !$0.usesFragments }.map { ($0.regex, "pattern `\($0.id)`", $0.location) }
                + r.exceptions.filter { !$0.usesFragments }.map { ($0.regex, "exception `\($0.id)`", $0.location) }
            for (regex, what, loc) in written where regex.count >= minLength {
                let key = Key(pack: r.pack, regex: regex)
                if places[key] == nil { order.append(key) }
                if places[key]?.contains(where: { $0.rule == r.id }) != true { places[key, default: []].append((r.id, what, loc)) }
            }
        }
        return order.compactMap { key in
            guard let at = places[key], at.count >= minRules, let first = at.first else { return nil }
            let rest = at.dropFirst().map(\.rule)
            let others = rest.prefix(5).joined(separator: ", ") + (rest.count > 5 ? ", and \(rest.count - 5) more" : "")
            return Diagnostic(.warning, .repeatedRegex, at: first.loc, rule: first.rule,
                              "\(first.what) is written out again, the same, in \(at.count - 1) more rules of pack `\(key.pack)` (\(others))",
                              help: "define it once under `fragments:` in the pack's pack.yaml and write `{{name}}` in each rule")
        }
    }

    /// CS021 and CS022 for one pattern or exception (`what` names it; `note` is appended to the CS022 message).
    static func backtrackingRisks(_ a: PatternAnalysis.Report, what: String, at loc: SourceLocation?, rule: String,
                                  note: String = "") -> [Diagnostic] {
        a.nestedQuantifiers.map { off in
            Diagnostic(.warning, .catastrophicBacktracking, at: loc, rule: rule,
                       "\(what) nests unbounded quantifiers at offset \(off) (like `(a+)+`): exponential backtracking risk",
                       help: "make the inner repeat possessive (`\\w++`), the group atomic (`(?>...)`), or bound it (`{0,3}`)")
        } + a.greedyDotStars.map { off in
            Diagnostic(.warning, .greedyDotStar, at: loc, rule: rule,
                       "\(what) has an unbounded greedy `.*`/`.+` at offset \(off)\(note)",
                       help: "bound it (`[^.!?]{0,40}`), make it lazy (`.*?`), or put it in an atomic group (`(?>.*?word)`)")
        }
    }
}

/// The outcome of `rules lint`.
public struct LintReport: Sendable {
    public var diagnostics: [Diagnostic]
    public var rules: Int
    public var errors: Int { diagnostics.filter { $0.level == .error }.count }
    public var warnings: Int { diagnostics.filter { $0.level == .warning }.count }
    public var hasErrors: Bool { errors > 0 }
}
