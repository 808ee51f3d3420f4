import Foundation
import Testing
@testable import RuleKit

/// Rule compilation and the shadow scalar table are built on all cores; their results must not depend on that.
@Suite struct ParallelStartupTests {
    @Test func rulesCompiledInParallelKeepFileOrderAndTheFirstBadRuleIsTheOneReported() throws {
        let good = (0..<200).map { Fixtures.rule(String(format: "R-%03d", $0), patterns: ["\\bword\($0)\\b", "(?<=x)y\($0)"]) }
        let set = try CompiledRuleSet(RuleSet(rules: good, packs: []))
        #expect(set.rules.map(\.index) == Array(0..<200))
        #expect(set.rules.map(\.rule.id) == good.map(\.id))
        #expect(set.rules[137].patterns[0].source == "\\bword137\\b")
        var bad = good
        bad[57] = Fixtures.rule("R-057", patterns: ["(unclosed"])
        bad[150] = Fixtures.rule("R-150", patterns: ["[z-a]"])
        for _ in 0..<5 {
            #expect { try CompiledRuleSet(RuleSet(rules: bad, packs: [])) } throws: { ($0 as? RuleCompileError)?.ruleId == "R-057" }
        }
    }

    @Test func packFilesParsedInParallelGiveTheRulesAndDiagnosticsOfAFileByFileLoad() throws {
        let shipped = Fixtures.repoRoot + "/rules/core"
        let packText = try String(contentsOfFile: shipped + "/pack.yaml", encoding: .utf8)
        let shippedFragments = RuleFragments()
        let shippedPack = try #require(RuleFileParser.parsePackFile(packText, reader: YAMLNodeReader(file: "pack.yaml"),
                                                                    fragments: shippedFragments))
        for (dir, pack, fragments) in [(Fixtures.path("broken"), PackInfo(id: "broken", version: nil, description: nil), RuleFragments()),
                                       (shipped, shippedPack, shippedFragments)] {
            let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
                .filter { RuleLoader.isRuleFile($0) || $0.hasSuffix(".txt") }.map { dir + "/" + $0 }
            #expect(files.count >= 9)
            var rules: [Rule] = [], diagnostics: [String] = []
            for f in files {
                let one = RuleLoader.loadFiles([f], pack: pack, root: dir, taxonomy: .standard, fragments: fragments)
                rules += one.rules; diagnostics += one.diagnostics.map { "\($0)" }
            }
            for _ in 0..<3 {
                let all = RuleLoader.loadFiles(files, pack: pack, root: dir, taxonomy: .standard, fragments: fragments)
                #expect(all.rules == rules)
                #expect(all.diagnostics.map { "\($0)" } == diagnostics)
            }
            #expect(dir == shipped ? diagnostics.isEmpty && rules.count >= 30 : diagnostics.count >= 9)
        }
    }

    @Test func shadowTableBuiltInParallelEqualsEntryByEntryComputation() {
        let layers: [NormaliseLayer] = [.nfkc, .stripInvisible, .confusables, .casefold]
        let table = ShadowScalarTable(layers: layers)
        let unicode = Normaliser(layers: layers)
        let covered = Set(ShadowScalarTable.coveredBlocks.flatMap { Array($0) })
        var mismatches = 0
        for v in stride(from: UInt32(0), to: ShadowScalarTable.limit, by: 1) {
            let expected = covered.contains(v >> 8) ? ShadowScalarTable.entry(v, unicode) : 0
            if table.entry(for: v) != expected { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }
}
