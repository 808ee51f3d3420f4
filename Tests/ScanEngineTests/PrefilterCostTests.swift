import ChatModel
import Foundation
import ScanEngine
import Testing

/// `--profile`'s per-rule prefilter cost: every rule whose patterns reach Hyperscan gets a figure measured on the
/// buffers the scan itself built; a rule checked on every message (no Hyperscan expression) gets none.
@Suite struct PrefilterCostTests {
    // A literal term (Hyperscan exact), a spacing-tolerant one (skeleton literals), one that matches everywhere (checked on
    // every message, no Hyperscan expression).
    static let rules = try! PCRE2PatternRules(patterns: ["\\bslap\\b", "k\\W?i\\W?l\\W?l", "x?"], caseless: [true, true, false])

    func run(profile: Bool) throws -> (ScanReport, PrefilterSet) {
        let lines = (0..<3000).map { i in i % 7 == 3 ? "line \(i) I will slap you" : i % 11 == 0 ? "k.i.l.l \(i)" : "plain line \(i) ok" }
        let path = try temporaryFile(lines.joined(separator: "\n") + "\n")
        let plans = try PrefilterSet.build(specs: Self.rules.prefilterSpecs(), cacheDirectory: nil)
        let runner = ScanRunner(rules: Self.rules, plans: plans, options: ScanOptions(threads: 2, profile: profile))
        let input = ScanInput(displayPath: path, hashPath: nil,
                              open: { MappedLinesSource(file: try MappedFile(path: path), displayPath: path, chunkBytes: 4096) })
        return (try runner.run([input], sink: CollectingSink()), plans)
    }

    @Test func profileMeasuresEachRuleWhosePatternsReachHyperscan() throws {
        let (report, plans) = try run(profile: true)
        #expect(plans.routesByRule(ruleCount: 3)[2].hasPrefix("always"))
        #expect(report.prefilterCostNanos.count == 3)
        #expect(report.prefilterCostNanos[0] > 0 && report.prefilterCostNanos[1] > 0)
        #expect(report.prefilterCostNanos[2] == 0)
        #expect(report.prefilterSampleBytes > 0)
        let text = ProfileReport.render(report: report, rules: Self.rules, plan: plans)
        let section = try #require(text.components(separatedBy: "profile: slowest rules in the prefilter").last)
        #expect(section.contains("pattern-1") && section.contains("pattern-2") && !section.contains("pattern-3 "))
    }

    @Test func withoutProfileNothingIsMeasured() throws {
        let (report, plans) = try run(profile: false)
        #expect(report.prefilterCostNanos.isEmpty && report.prefilterSampleBytes == 0)
        #expect(!ProfileReport.render(report: report, rules: Self.rules, plan: plans).contains("slowest rules in the prefilter"))
    }
}
