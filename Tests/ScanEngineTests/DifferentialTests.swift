import ChatModel
import Foundation
import ScanEngine
import Testing

/// Random rule set from a seed: patterns that PCRE2 compiles, each caseless or not at random.
func randomRuleSet(seed: UInt64, count: Int = 24) -> PCRE2PatternRules {
    var gen = RandomRuleGenerator(seed: seed &* 7919 &+ 1)
    var patterns: [String] = []
    var caseless: [Bool] = []
    while patterns.count < count {
        let p = gen.pattern()
        let ci = gen.rng.chance(0.7)
        if (try? CompiledPCRE2(p, caseless: ci)) != nil { patterns.append(p); caseless.append(ci) }
    }
    return try! PCRE2PatternRules(patterns: patterns, caseless: caseless)
}

/// What the engine must report: every rule's matches on every scannable message, found by PCRE2's interpreter (the
/// engine confirms with the JIT code, so a JIT bug shows as a difference; PCRE2 10.42's JIT with
/// PCRE2_MATCH_INVALID_UTF once hid one from a reference that ran the same code as the engine).
func referenceHitLines(_ rules: PCRE2PatternRules, texts: [String], scannable: (Int) -> Bool, line: (Int) -> Int) -> [String] {
    var out: [String] = []
    let scratch = PCRE2Scratch()
    for (i, t) in texts.enumerated() where scannable(i) {
        let bytes = Array(t.utf8)
        for rule in 0..<rules.ruleCount {
            let (ranges, limit) = bytes.withUnsafeBytes { rules.patterns[rule].allMatches(in: $0, scratch: scratch, interpreter: true) }
            #expect(limit == nil, "the interpreter stopped on a limit: \(rules.patterns[rule].source)")
            for m in ranges {
                let s = String(decoding: bytes[m], as: UTF8.self)
                out.append("\(i):\(line(i)):\(rules.meta(rule).id):\(m.lowerBound)-\(m.upperBound):\(s)")
            }
        }
    }
    return out
}

@Suite struct DifferentialTests {
    @Test(arguments: 0..<30)
    func prefilteredScanOfParsedMessagesEqualsPlainPCRE2(seed: Int) throws {
        let texts = randomMessages(count: 300, seed: UInt64(seed))
        let rules = randomRuleSet(seed: UInt64(seed))
        let msgs = makeMessages(texts)
        let source = ParsedMessagesSource(displayPath: "chat.json", format: .telegram, chat: "chat", messages: msgs, chunkBytes: 700)
        let (sink, _) = try scan(rules, [source], threads: 2)
        let expected = referenceHitLines(rules, texts: texts, scannable: { msgs[$0].isScannable }, line: { $0 + 1 })
        let got = sink.hitLines
        #expect(got == expected, "missing: \(expected.filter { !got.contains($0) }) extra: \(got.filter { !expected.contains($0) }) patterns: \(rules.patterns.map(\.source))")
    }

    @Test(arguments: 0..<20)
    func prefilteredScanOfMappedLinesFileEqualsPlainPCRE2(seed: Int) throws {
        let texts = randomMessages(count: 300, seed: UInt64(seed) + 1000).map { $0.replacingOccurrences(of: "\n", with: " ") }
        var rng = SeededRandom(seed: UInt64(seed))
        let content = texts.map { $0 + (rng.chance(0.2) ? "\r\n" : "\n") }.joined()
        let path = try temporaryFile(content)
        let rules = randomRuleSet(seed: UInt64(seed) + 5000)
        let source = MappedLinesSource(file: try MappedFile(path: path), displayPath: path, chunkBytes: 500)
        let (sink, report) = try scan(rules, [source], threads: 2)
        let expected = referenceHitLines(rules, texts: texts, scannable: { _ in true }, line: { $0 + 1 })
        let got = sink.hitLines
        #expect(got == expected, "missing: \(expected.filter { !got.contains($0) }) extra: \(got.filter { !expected.contains($0) }) patterns: \(rules.patterns.map(\.source))")
        #expect(report.totals.messages == texts.count)
    }

    /// Skeleton literals are derived as if KELVIN SIGN and LONG S did not occur (`SkeletonExtractor.images`); where
    /// `\W` lets one stand in a gap, the skeleton holds a k or an s the literal lacks, and only the writer's flag
    /// (every skeleton rule a candidate for that text) finds the hit.
    @Test func kelvinSignOrLongSInTheGapOfASpacingTolerantPatternIsStillFound() throws {
        let patterns = [#"\bs\W?t\W?a\W?b\b"#, #"\bk\W?i\W?l\W?l\b"#, #"\b[s5$]+[l1]+[a4@]+p+\b"#]
        let rules = try PCRE2PatternRules(patterns: patterns, caseless: [true, true, true])
        let plan = try PrefilterPlan.build(specs: rules.prefilterSpecs(), cacheDirectory: nil)
        #expect(plan.routes == [.skeleton(.plain, 1), .skeleton(.plain, 1), .skeleton(.leet, 2)], "\(plan.routes)")
        let texts = ["s\u{212A}tab", "k\u{17F}i l l", "s.t.a.b and \u{212A}ill", "\u{17F}lap", "k i l l", "s\u{212A}t", "nothing here",
                     "so s\u{17F}t-a-b", "\u{212A}\u{17F}\u{212A}", "sl@p \u{212A}"]
        let msgs = makeMessages(texts)
        let source = ParsedMessagesSource(displayPath: "chat.json", format: .telegram, chat: "chat", messages: msgs, chunkBytes: 700)
        let (sink, _) = try scan(rules, [source], threads: 1)
        let expected = referenceHitLines(rules, texts: texts, scannable: { msgs[$0].isScannable }, line: { $0 + 1 })
        #expect(expected.count == 6, "\(expected)")
        #expect(sink.hitLines == expected)
    }

    @Test func mostRandomPatternsGetAHyperscanRoute() throws {
        var routes: [String: Int] = [:]
        for seed in 0..<10 {
            let rules = randomRuleSet(seed: UInt64(seed))
            let plan = try PrefilterPlan.build(specs: rules.prefilterSpecs(), cacheDirectory: nil)
            for r in plan.routes { routes[String(r.description.prefix(6)), default: 0] += 1 }
        }
        let total = routes.values.reduce(0, +)
        #expect((routes["hs-exa"] ?? 0) * 10 >= total * 6, "routes: \(routes)")
    }
}
