import Dispatch
import Testing
@testable import RuleKit

/// PCRE2 JIT code is made on a pattern's first match (so rules that never see a candidate cost no JIT compile) or when
/// a scan prepares it while a thread would otherwise wait, and the loader's check compile is the one the rule set
/// matches with.
@Suite struct LazyJITTests {
    @Test func jitCodeIsMadeByTheFirstMatchNotByTheCompile() throws {
        let regex = try PCRE2Regex("\\bsl[a@]g\\w*", flags: [.caseless])
        #expect(!regex.hasJITCode)
        let text = Array("what a SL@GGER".utf8)
        let found = text.withUnsafeBufferPointer { regex.allMatches(in: $0, scratch: MatchScratch()).ranges }
        #expect(found == [7..<14])
        #expect(regex.hasJITCode == PCRE2Regex.jitSupported)
        #expect(regex.isJIT == PCRE2Regex.jitSupported)
    }

    @Test func preparingARuleMakesTheJITCodeOfItsPatternsAndExceptionsBeforeAnyMatch() throws {
        let pack = try RuleLoader.load(paths: [Fixtures.path("good")])
        let compiled = try CompiledRuleSet(pack)
        let rule = try #require(compiled.rules.first { !$0.exceptions.isEmpty })
        let others = compiled.rules.filter { $0 !== rule }
        #expect(!(rule.patterns + rule.exceptions).contains { $0.hasJITCode })
        rule.prepareJIT()
        #expect((rule.patterns + rule.exceptions).allSatisfy { $0.hasJITCode == PCRE2Regex.jitSupported })
        // Only that rule: the others still wait for their first match.
        #expect(!others.flatMap { $0.patterns + $0.exceptions }.contains { $0.hasJITCode })
        let regex = try PCRE2Regex("\\bsl[a@]g\\w*", flags: [.caseless])
        regex.prepareJIT()
        #expect(regex.hasJITCode == PCRE2Regex.jitSupported)
        let text = Array("what a SL@GGER".utf8)
        #expect(text.withUnsafeBufferPointer { regex.allMatches(in: $0, scratch: MatchScratch()).ranges } == [7..<14])
    }

    @Test func patternsCompiledWithoutJITNeverMakeJITCode() throws {
        let regex = try PCRE2Regex("b(a)\\1d", flags: [], jit: false)
        let text = Array("xx baad".utf8)
        let found = text.withUnsafeBufferPointer { regex.allMatches(in: $0, scratch: MatchScratch()).ranges }
        #expect(found == [3..<7])
        #expect(!regex.hasJITCode && !regex.isJIT)
    }

    @Test func threadsMatchingFreshPatternsAtOnceAllGetTheInterpretersMatches() throws {
        let text = Array("kill 4 you, k i l l and KILL, killer; y0u 4 k1ll 😀 kiLL".utf8)
        let sources = (0..<60).map { "(?:k[i1]\\s*l{1,\($0 % 3 + 2)}|y[o0]u)(?!er)\\w{0,\($0 % 4)}" }
        let interpreter = try sources.map { s in
            try text.withUnsafeBufferPointer { try PCRE2Regex(s, flags: [.caseless], jit: false).allMatches(in: $0, scratch: MatchScratch()).ranges }
        }
        for _ in 0..<3 {
            let fresh = try sources.map { try PCRE2Regex($0, flags: [.caseless]) }
            let lanes = 8
            let results = UnsafeMutableBufferPointer<[Range<Int>]>.allocate(capacity: lanes * fresh.count)
            results.initialize(repeating: [])
            defer { results.deallocate() }
            // Every lane matches every pattern in the same order, so the first match of each races between lanes.
            DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                let scratch = MatchScratch()
                for (i, regex) in fresh.enumerated() {
                    results[lane * fresh.count + i] = text.withUnsafeBufferPointer { regex.allMatches(in: $0, scratch: scratch).ranges }
                }
            }
            for lane in 0..<lanes {
                #expect(Array(results[(lane * fresh.count)..<((lane + 1) * fresh.count)]) == interpreter)
            }
            #expect(fresh.allSatisfy { $0.hasJITCode == PCRE2Regex.jitSupported })
        }
    }

    @Test func ruleSetMatchesWithTheLoadersCompiledPatterns() throws {
        let lines = try RuleLoader.loadPatternFile(Fixtures.path("patterns.pcre"), ignoreCase: true)
        let pack = try RuleLoader.load(paths: [Fixtures.path("good")])
        for set in [lines, pack] {
            let compiled = try CompiledRuleSet(set)
            for (rule, loaded) in zip(compiled.rules, set.rules) {
                #expect(rule.patterns.count == loaded.patterns.count)
                for (regex, pattern) in zip(rule.patterns, loaded.patterns) { #expect(regex === pattern.compiled) }
                for (regex, exception) in zip(rule.exceptions, loaded.exceptions) { #expect(regex === exception.compiled) }
            }
        }
        #expect(pack.rules.contains { !$0.exceptions.isEmpty })
    }

    @Test func patternsChangedAfterLoadingAreCompiledAfresh() throws {
        var set = try RuleLoader.loadPatternFile(Fixtures.path("patterns.pcre"), ignoreCase: true)
        let original = try #require(set.rules[0].patterns[0].compiled)
        set.rules[0].patterns[0].flags = []
        set.rules[1].patterns[0].regex = "zebra"
        let compiled = try CompiledRuleSet(set)
        #expect(compiled.rules[0].patterns[0] !== original)
        #expect(compiled.rules[0].patterns[0].flags == [])
        #expect(compiled.rules[1].patterns[0].source == "zebra")
        #expect(compiled.rules[2].patterns[0] === set.rules[2].patterns[0].compiled)
        // Equality of rules ignores the compiled object.
        var recompiled = set.rules[2].patterns[0]
        recompiled.compiled = try PCRE2Regex(recompiled.regex, flags: recompiled.flags)
        #expect(recompiled == set.rules[2].patterns[0])
    }
}
