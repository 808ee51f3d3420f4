import Foundation
import Testing
@testable import RuleKit
import TestScratch

@Suite struct LintTests {
    let report = RuleLinter.lint(paths: [Fixtures.path("lint")])

    func codes(_ rule: String) -> [DiagnosticCode] {
        report.diagnostics.filter { $0.ruleId == rule }.map(\.code)
    }

    @Test func patternWithoutARequiredLiteralWarnsNoLiteral() {
        #expect(codes("HAR-0201") == [.noLiteral])
        let d = report.diagnostics.first { $0.ruleId == "HAR-0201" }
        #expect(d?.line == 7 && d?.level == .warning && d?.help != nil)
    }

    @Test func nestedUnboundedQuantifiersWarnCatastrophicBacktracking() {
        #expect(codes("HAR-0202") == [.catastrophicBacktracking])
    }

    @Test func greedyDotStarIsFlaggedWithAFix() {
        let d = report.diagnostics.first { $0.ruleId == "HAR-0203" }
        #expect(d?.code == .greedyDotStar && d?.help?.contains(".*?") == true)
    }

    @Test func duplicatePatternAndEmptyMatchAreFlagged() {
        #expect(codes("HAR-0204").contains(.duplicatePattern))
        #expect(codes("HAR-0204").contains(.matchesEmpty))
    }

    @Test func contradictingExamplesAreErrorsAtTheExample() {
        let d = report.diagnostics.filter { $0.ruleId == "HAR-0205" }
        #expect(d.count == 2 && d.allSatisfy { $0.code == .testContradiction && $0.level == .error })
        #expect(d.contains { $0.line == 33 && $0.column == 15 && $0.message.contains("you fool") })
        #expect(d.contains { $0.line == 34 && $0.column == 18 && $0.message.contains("total idiot") })
        #expect(report.hasErrors)
    }

    @Test func missingNegativeExamplesIsAWarning() {
        #expect(codes("HAR-0206") == [.missingTests])
        #expect(report.diagnostics.first { $0.ruleId == "HAR-0206" }?.level == .warning)
    }

    @Test func repetitionGuardedByDistinctWordsIsNotFlagged() {
        #expect(codes("HAR-0207").isEmpty)
    }

    /// Lints one rule file with `rules` (YAML, indented as a `rules:` list) written to a scratch folder.
    func lintRules(_ rules: String) throws -> LintReport {
        let dir = try TestScratch.directory("lint")
        let file = dir.appendingPathComponent("r.yaml")
        try Data(("schema: chatsieve.rules/v1\npack: {id: t, version: 1.0.0}\nrules:\n" + rules).utf8).write(to: file)
        return RuleLinter.lint(paths: [file.path])
    }

    @Test func rulesSharingAnIdStillHaveTheirExamplesChecked() throws {
        let r = try lintRules("""
              - {id: HAR-0003, title: a, category: harassment, severity: low, patterns: ['\\bdumb\\w*'],
                 tests: {match: [{text: "so dumb lol", span: "dumb lol"}], no_match: ["dumb"]}}
              - {id: HAR-0003, title: b, category: harassment, severity: low, patterns: ['twit'],
                 tests: {match: ["twit", "nope"], no_match: ["twit"]}}

            """)
        #expect(r.diagnostics.filter { $0.code == .duplicateId }.count == 1)
        let examples = r.diagnostics.filter { $0.code == .testContradiction }.map { $0.line ?? 0 }
        #expect(examples.sorted() == [5, 5, 7, 7], "\(r.diagnostics)")
    }

    @Test func aMatchExampleMayDeclareASeverityAndAnUnknownOneIsABadValue() throws {
        let r = try lintRules("""
              - {id: HAR-0004, title: a, category: harassment, severity: medium, patterns: ['\\bdumb\\b'],
                 exceptions: [{regex: 'lol', action: {downgrade_to: low}}],
                 tests: {match: [{text: "dumb", severity: medium}, {text: "dumb lol", severity: medium}], no_match: ["x"]}}
              - {id: HAR-0005, title: b, category: harassment, severity: low, patterns: ['\\btwit\\b'],
                 tests: {match: [{text: "twit", severity: urgent}], no_match: ["x"]}}

            """)
        let contradictions = r.diagnostics.filter { $0.code == .testContradiction }
        #expect(contradictions.count == 1 && contradictions[0].message.contains("is not reported at severity medium"), "\(r.diagnostics)")
        #expect(r.diagnostics.contains { $0.code == .badValue && $0.line == 8 && $0.ruleId == "HAR-0005" && $0.message.contains("urgent") }, "\(r.diagnostics)")
    }

    @Test func exceptionsAreCheckedForGreedyDotStarAndNestedQuantifiersToo() throws {
        let r = try lintRules("""
              - {id: HAR-0006, title: a, category: harassment, severity: low, patterns: ['\\bdumb\\b'],
                 exceptions: [{id: x_case, regex: '\\bvictim\\b.*\\bsaid\\b', scope: before_match},
                              {id: x_nest, regex: '(?:\\w+\\s*)+lol'},
                              {id: x_lazy, regex: '(?>.*?\\bvictim\\b).*?\\bsaid\\b'}],
                 tests: {match: ["dumb"], no_match: ["x"]}}

            """)
        let messages = r.diagnostics.filter { $0.level == .warning }.map(\.message)
        #expect(messages.contains { $0.hasPrefix("exception `x_case` has an unbounded greedy") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("exception `x_nest` nests unbounded quantifiers") }, "\(messages)")
        #expect(!messages.contains { $0.contains("x_lazy") }, "\(messages)")
    }

    @Test func anOutOfRangeDeltaGetsOnlyTheRangeMessage() throws {
        let r = try lintRules("""
              - {id: HAR-0001, title: a, category: harassment, severity: low, patterns: ['\\bdumb\\b'],
                 context: {boost: {words: [so], delta: 2}, dampen: {words: [not]}},
                 tests: {match: ["dumb"], no_match: ["x"]}}

            """)
        let messages = r.diagnostics.filter { $0.level == .error }.map(\.message)
        #expect(messages.sorted() == ["`dampen` needs a `delta`", "`delta` must be in -1.0...1.0, found 2.0"], "\(messages)")
    }

    @Test func loaderErrorsAppearInLintToo() {
        let r = RuleLinter.lint(paths: [Fixtures.path("broken/unknown_key.yaml")])
        #expect(r.diagnostics.contains { $0.code == .unknownKey } && r.hasErrors)
    }

    @Test func keywordFilesAreLintedWithThePatternFiles() {
        let r = RuleLinter.lint(paths: [], patternFiles: [Fixtures.path("patterns.pcre")],
                                keywordFiles: [Fixtures.path("words.txt"), Fixtures.path("words.txt")])
        #expect(r.rules == 7 && !r.hasErrors)
    }

    @Test func scannerFindsRequiredLiterals() {
        #expect(PatternAnalysis.analyse(#"\bslap\s+her\b"#).requiredLiteralLength == 4)
        #expect(PatternAnalysis.analyse(#"(?:slap|smack)\s+her"#).requiredLiteralLength == 4)
        #expect(PatternAnalysis.analyse(#"(?:abc|smack)x"#).requiredLiteralLength == 3)
        #expect(PatternAnalysis.analyse(#"(?:ab|smack)x"#).requiredLiteralLength == 2)
        #expect(PatternAnalysis.analyse(#"[a-z]+\d"#).requiredLiteralLength == 0)
        #expect(PatternAnalysis.analyse(#"\Qa.b\E"#).requiredLiteralLength == 3)
        #expect(PatternAnalysis.analyse(#"(?:foo)?bar"#).requiredLiteralLength == 3)
        #expect(PatternAnalysis.analyse(#"k i l l"#, extended: true).requiredLiteralLength == 4)
    }

    @Test func scannerFlagsClassicReDoSShapes() {
        for p in [#"(a+)+$"#, #"(\w*)*"#, #"(.*?)*x"#, #"(?:\w+\s?)+$"#] {
            #expect(!PatternAnalysis.analyse(p).nestedQuantifiers.isEmpty, "\(p)")
        }
        for p in [#"(?>a+)+"#, #"(a++)+"#, #"(?:ab)+"#, #"(?:\w+\s){0,3}"#] {
            #expect(PatternAnalysis.analyse(p).nestedQuantifiers.isEmpty, "\(p)")
        }
    }
}

@Suite struct RuleTesterTests {
    @Test func contradictingExampleIsReportedWithWhatMatchedAndTheShadow() throws {
        let loaded = try RuleLoader.load(paths: [Fixtures.path("lint")])
        let c = try CompiledRuleSet(RuleSet(rules: loaded.rules.filter { $0.id == "HAR-0205" }, packs: []))
        let report = RuleTester.run(c)
        #expect(report.results == [RuleTestResult(ruleId: "HAR-0205", truePositives: 1, falseNegatives: 1,
                                                  trueNegatives: 0, falsePositives: 1)])
        #expect(report.passed == 1 && report.failed == 2)
        let fp = try #require(report.failures.first { $0.kind == .unexpectedHit })
        #expect(fp.example == "total idiot" && fp.matched == [#"p1: "idiot""#])
        #expect(fp.description.contains("no_match example was matched"))
    }

    @Test func wrongSpanIsAFailureAndShadowIsShown() throws {
        var rule = Fixtures.rule(patterns: [#"\bslap\b"#], normalise: [.leet])
        rule.tests = RuleTests(match: [RuleExample(text: "gonna sl4p her", span: "sl4p her")])
        let report = RuleTester.run(try Fixtures.compile(rule))
        let f = try #require(report.failures.first)
        #expect(f.kind == .wrongSpan && f.shadow == "gonna slap her" && f.matched == [#"p1: "sl4p""#])
    }

    @Test func matchExampleWithADeclaredSeverityFailsWhenAnExceptionLowersItOtherwise() throws {
        var rule = Fixtures.rule(patterns: [#"\bslap\b"#], exceptions: [
            RuleException(id: "x_quote", regex: #"\bsaid\b"#, flags: [.caseless], scope: .message, action: .downgrade(to: .low))])
        rule.tests = RuleTests(match: [RuleExample(text: "he said slap her", severity: .low),
                                       RuleExample(text: "slap her", severity: .high),
                                       RuleExample(text: "he said slap her", span: "slap", severity: .high)])
        let report = RuleTester.run(try Fixtures.compile(rule))
        #expect(report.results.first?.truePositives == 2 && report.results.first?.falseNegatives == 1)
        let f = try #require(report.failures.first)
        #expect(report.failures.count == 1 && f.kind == .wrongSeverity && f.expectedSeverity == .high)
        #expect(f.matched == [#"p1: "slap" (low)"#] && f.description.contains("not at the expected severity high"))
    }

    @Test func exampleThatHitsAPCRE2LimitFailsWithTheRulePatternAndExample() throws {
        var rule = Fixtures.rule(patterns: [#"(a+)+$"#, #"\bok\b"#], flags: [])
        let slow = String(repeating: "a", count: 40) + "b ok"
        rule.tests = RuleTests(match: [RuleExample(text: slow)], noMatch: [RuleExample(text: slow + " "), RuleExample(text: "fine")])
        let report = RuleTester.run(try Fixtures.compile(rule, limits: MatchLimits(matchLimit: 5_000)))
        #expect(report.results == [RuleTestResult(ruleId: "HAR-0001", truePositives: 0, falseNegatives: 1,
                                                  trueNegatives: 1, falsePositives: 1)])
        #expect(report.failures.map(\.kind) == [.limitExceeded, .limitExceeded])
        let f = try #require(report.failures.last)
        #expect(f.example == slow + " " && f.limits.count == 1 && f.limits[0].hasPrefix("pattern p1: "))
        #expect(f.description.contains("FAIL HAR-0001 example hit a PCRE2 limit") && f.description.contains("limit:   pattern p1: "))
    }

    @Test func suppressedMatchExampleShowsTheNearMiss() throws {
        var rule = Fixtures.rule(patterns: [#"\bslap\b"#], exceptions: [
            RuleException(id: "x_film", regex: #"\bfilm\b"#, flags: [.caseless], scope: .message, action: .suppress)])
        rule.tests = RuleTests(match: [RuleExample(text: "slap in the film")])
        let f = try #require(RuleTester.run(try Fixtures.compile(rule)).failures.first)
        #expect(f.kind == .missed && f.nearMisses == [#"p1 "slap" suppressed by x_film"#])
    }
}
