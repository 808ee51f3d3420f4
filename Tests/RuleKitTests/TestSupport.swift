import Foundation
import RuleKit

enum Fixtures {
    static var root: String { Bundle.module.resourcePath! + "/Fixtures" }
    /// The repository root (two levels above this file's folder).
    static var repoRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }
    static func path(_ p: String) -> String { root + "/" + p }

    /// Loads the paths, returning the diagnostics when loading fails.
    static func loadError(_ paths: [String]) -> [Diagnostic] {
        do { _ = try RuleLoader.load(paths: paths); return [] } catch { return error.diagnostics }
    }

    /// A one-rule set built in code.
    static func ruleSet(_ rule: Rule) -> RuleSet { RuleSet(rules: [rule], packs: []) }

    static func rule(_ id: String = "HAR-0001", patterns: [String], normalise: [NormaliseLayer] = [],
                     exceptions: [RuleException] = [], context: RuleContext? = nil, confidence: Double = 0.8,
                     minConfidence: Double = 0.5, flags: Set<PatternFlag> = [.caseless]) -> Rule {
        Rule(id: id, title: "test", category: "harassment", severity: .high, confidence: confidence,
             minConfidence: minConfidence, normalise: normalise,
             patterns: patterns.enumerated().map { RulePattern(id: "p\($0.offset + 1)", regex: $0.element, flags: flags) },
             exceptions: exceptions, context: context, pack: "test")
    }

    static func compile(_ rule: Rule, limits: MatchLimits = .default) throws -> CompiledRuleSet {
        try CompiledRuleSet(ruleSet(rule), limits: limits)
    }
}

extension CompiledRuleSet {
    /// Matched original substrings of all hits on `text`.
    func spans(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return matchAll(text: text, scratch: makeScratch()).filter(\.isHit).map {
            String(decoding: bytes[$0.range], as: UTF8.self)
        }
    }
}
