import Testing
import Foundation
import RuleKit

/// The shipped packs in rules/ load cleanly and every embedded example behaves as its rule says.
struct ShippedPackTests {
    static let rulesDir = Fixtures.repoRoot + "/rules"

    @Test func shippedPacksLoadWithoutDiagnostics() throws {
        let set = try RuleLoader.load(paths: [Self.rulesDir])
        #expect(set.rules.count >= 11)
        let categories = Set(set.rules.map(\.category))
        for name in ["racism", "misogyny", "homophobia", "ableism", "religious_hate", "sexualised",
                     "sexual_violence", "violence", "domestic_abuse", "harassment", "profanity"] {
            #expect(categories.contains(name), "no shipped rule for \(name)")
        }
    }

    @Test func everyShippedRuleHasMatchAndNoMatchExamples() throws {
        let set = try RuleLoader.load(paths: [Self.rulesDir])
        for rule in set.rules {
            #expect(!rule.tests.match.isEmpty, "\(rule.id) has no match examples")
            #expect(!rule.tests.noMatch.isEmpty, "\(rule.id) has no no_match examples")
        }
    }

    @Test func everyShippedRuleExamplePasses() throws {
        let compiled = try CompiledRuleSet(try RuleLoader.load(paths: [Self.rulesDir]))
        let report = RuleTester.run(compiled)
        for failure in report.failures {
            Issue.record("\(failure.ruleId): \(failure.kind.rawValue) \"\(failure.example)\" matched \(failure.matched)")
        }
        #expect(report.failures.isEmpty)
    }
}
