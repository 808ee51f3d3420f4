import Foundation
import TestScratch
@testable import ScanEngine
import Testing

@Suite struct PrefilterRouteTests {
    func route(_ p: String, caseless: Bool = true, ucp: Bool = false) throws -> PrefilterRoute {
        let plan = try PrefilterPlan.build(specs: [PrefilterSpec(rule: 0, source: p, caseless: caseless, ucp: ucp)], cacheDirectory: nil)
        return plan.routes[0]
    }

    @Test func plainWordRulesCompileExactly() throws {
        #expect(try route("\\bslap\\b") == .exact)
        if case .skeleton(.plain, _) = try route("\\bs\\W?l\\W?a\\W?p\\b") {} else { Issue.record("spacing rule should use the plain skeleton") }
    }

    @Test func lookaroundsAnchorsAtomicGroupsAndPossessivesAreRelaxedAndStillExact() throws {
        #expect(try route("(?<!not )\\bslap\\b(?!\\s+the\\s+lights)") == .exact)
        #expect(try route("^kill$") == .exact)
        #expect(try route("(?>\\bkill\\w*)\\s++you") == .exact)
    }

    @Test func backReferencesBecomeCopiesOfTheirGroup() throws {
        #expect(try route("\\b(slap|kill)\\W+\\1\\b") == .exact)
        #expect(try route("(?<w>kill)\\s\\k<w>") == .exact)
        let d = PrefilterDeriver.derive(pattern: "(a+)-\\1", modes: PatternModes(), ucp: false)
        #expect(d.expression == "(?:(?:a)+)\\x{2d}(?:(?:a)+)")
        #expect(d.hadBackReferences)
    }

    @Test func unicodePropertiesAndUCPFallBackToLiteralAtoms() throws {
        #expect(try route("\\p{L}*rape\\p{L}*") == .atoms(1))
        #expect(try route("\\bslap\\b", ucp: true) == .atoms(1))
        let d = PrefilterDeriver.derive(pattern: "\\p{Lu}(?:stab|kill)ing", modes: PatternModes(caseless: true), ucp: false)
        #expect(d.expression == nil)
        #expect(d.atoms.count == 2)
    }

    @Test func caselessNonASCIILiteralsAreNotMirroredInHyperscan() throws {
        let d = PrefilterDeriver.derive(pattern: "straße", modes: PatternModes(caseless: true), ucp: false)
        #expect(d.expression == nil)
        #expect(try route("straße", caseless: false) == .exact)
    }

    /// Keyword patterns (`KeywordPattern.bounded`): Unicode word-character lookarounds at the ends of non-ASCII
    /// keywords are dropped from the prefilter; `pédé` had no literal to prefilter on with `\b` either (a caseless
    /// non-ASCII letter splits it), uncased scripts go from an exact expression to their literal.
    @Test func keywordsWithNonASCIIEndsArePrefilteredOnTheirLiteralsAndASCIIOnesExactly() throws {
        let bounded = { (w: String) in #"(?<![\p{L}\p{N}_])"# + w + #"(?![\p{L}\p{N}_])"# }
        #expect(try route(bounded("über")) == .atoms(1))
        #expect(try route(bounded("中文")) == .atoms(1))
        if case .always = try route(bounded("pédé")) {} else { Issue.record("pédé has no literal of 2 characters") }
        if case .always = try route(#"\bpédé\b"#) {} else { Issue.record("as before") }
        #expect(try route(#"\bnumpty\b"#) == .exact)
    }

    @Test func caselessKAndSIncludeKelvinSignAndLongS() throws {
        let d = PrefilterDeriver.derive(pattern: "kiss", modes: PatternModes(caseless: true), ucp: false)
        let e = try #require(d.expression)
        #expect(e.contains("\\x{212a}") && e.contains("\\x{17f}"))
    }

    @Test func patternsThatCanMatchEmptyRunOnEveryMessage() throws {
        if case .always = try route("x?") {} else { Issue.record("x? should be always") }
        if case .always = try route("(?=a)") {} else { Issue.record("lookahead-only should be always") }
    }

    @Test func cachedDatabaseIsReusedAndGivesTheSameRoutes() throws {
        let dir = TestScratch.path("cs-cache")
        let specs = ["\\bslap\\b", "\\p{L}+kill", "(a)\\1"].enumerated().map { PrefilterSpec(rule: $0.offset, source: $0.element, caseless: true) }
        let first = try PrefilterPlan.build(specs: specs, cacheDirectory: dir)
        let second = try PrefilterPlan.build(specs: specs, cacheDirectory: dir)
        #expect(!first.fromCache && second.fromCache)
        #expect(first.routes == second.routes)
        #expect(first.idToRule == second.idToRule)
    }

    @Test func cacheFileRoundTripsEveryRouteKindAndRejectsDamage() throws {
        let stored = PrefilterPlan.Stored(
            routes: [.exact, .approximate, .atoms(3), .skeleton(.leet, 2), .skeleton(.plain, 1), .always("back-reference ü")],
            idToRule: [0, 1, 2, 2, 2], alwaysRules: [5, 9], skeletonIdToRule: [[3, 3], [4]])
        let blobs: [[UInt8]] = [[1, 2, 3], [], [4]]
        let bytes = PrefilterCacheFile.encode(stored, blobs: blobs)
        let decoded = try #require(bytes.withUnsafeBytes { raw in
            PrefilterCacheFile.decode(raw).map { ($0.0, $0.1.map { Array($0) }) } })
        #expect(decoded.0 == stored)
        #expect(decoded.1 == blobs)
        // Every truncation, a stray trailing byte, an unknown route tag and the old JSON layout are all refused.
        for n in 0..<bytes.count { #expect(Array(bytes.prefix(n)).withUnsafeBytes { PrefilterCacheFile.decode($0) } == nil) }
        #expect((bytes + [0]).withUnsafeBytes { PrefilterCacheFile.decode($0) } == nil)
        var badTag = bytes
        badTag[8] = 9
        #expect(badTag.withUnsafeBytes { PrefilterCacheFile.decode($0) } == nil)
        #expect(Array("CSPF\u{2}\0\0\0{}".utf8).withUnsafeBytes { PrefilterCacheFile.decode($0) } == nil)
    }

    @Test func damagedCacheFileIsRebuiltNotTrusted() throws {
        let dir = TestScratch.path("cs-cache-damaged")
        let specs = ["\\bslap\\b", "[s5$]+[l1]+[a4@]+[p]+"].enumerated().map { PrefilterSpec(rule: $0.offset, source: $0.element, caseless: true) }
        let first = try PrefilterPlan.build(specs: specs, cacheDirectory: dir)
        let file = try #require(FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasSuffix(".bin") })
        let url = dir.appendingPathComponent(file)
        let full = try Data(contentsOf: url)
        try full.prefix(full.count / 2).write(to: url)
        let second = try PrefilterPlan.build(specs: specs, cacheDirectory: dir)
        #expect(!second.fromCache)
        #expect(second.routes == first.routes)
        #expect(try PrefilterPlan.build(specs: specs, cacheDirectory: dir).fromCache)
    }

    /// A shadow plan is built in its quick form only when `quickCompile` says so and its full form is not cached;
    /// a cached full plan is used without asking; raw-text plans have one form.
    @Test func shadowPlansTakeTheQuickFormOnlyWhenAskedAndTheFullFormIsNotCached() throws {
        let dir = TestScratch.path("cs-cache-quick")
        let specs = [PrefilterSpec(rule: 0, source: "\\bkill\\s+you\\b", caseless: true),
                     PrefilterSpec(rule: 1, source: "\\bslap\\s+her\\b", caseless: true, normaliser: 0)]
        var asked = 0
        let quick = try PrefilterSet.build(specs: specs, cacheDirectory: dir, quickCompile: { asked += 1; return true })
        #expect(quick.raw.text == .raw && quick.shadows.map(\.plan.text) == [.shadowQuickCompile] && asked == 1)
        #expect(try PrefilterSet.build(specs: specs, cacheDirectory: dir, quickCompile: { true }).shadows[0].plan.fromCache)
        let full = try PrefilterSet.build(specs: specs, cacheDirectory: dir, quickCompile: { asked += 1; return false })
        #expect(full.shadows.map(\.plan.text) == [.shadow] && !full.shadows[0].plan.fromCache && asked == 2)
        let cached = try PrefilterSet.build(specs: specs, cacheDirectory: dir, quickCompile: { asked += 1; return true })
        #expect(cached.shadows.map(\.plan.text) == [.shadow] && cached.fromCache && asked == 2)
        #expect(quick.shadows[0].plan.routes == full.shadows[0].plan.routes)
    }

    @Test func unwritableCacheDirectoryFallsBackSilently() throws {
        let plan = try PrefilterPlan.build(specs: [PrefilterSpec(rule: 0, source: "slap")], cacheDirectory: URL(fileURLWithPath: "/proc/nonexistent/x"))
        #expect(plan.routes == [.exact])
    }
}

@Suite struct SkeletonTests {
    func skeleton(_ s: String, _ kind: SkeletonKind) -> String {
        var out: [UInt8] = []
        var last: UInt8 = 0
        var t = s
        t.withUTF8 { kind.append(UnsafeRawBufferPointer($0), to: &out, last: &last) }
        return String(decoding: out, as: UTF8.self)
    }

    @Test func skeletonLowercasesReadsLeetDeletesSeparatorsAndSqueezes() {
        #expect(skeleton("S.l.@.p", .leet) == "slap")
        #expect(skeleton("S.l.@.p", .plain) == "slp")
        #expect(skeleton("k i i i l l", .plain) == "kil")
        #expect(skeleton("\u{212A}ill r4pe", .leet) == "kilrape")
        #expect(skeleton("café 😂 naïve", .plain) == "cafnave")
    }

    @Test func leetAndSpacingRulesGetSkeletonLiterals() throws {
        let leet = try PrefilterPlan.build(specs: [PrefilterSpec(rule: 0, source: "\\b[s5$]+[l1]+[a4@]+[p]+[e3]+[r]+\\b", caseless: true)], cacheDirectory: nil)
        #expect(leet.routes == [.skeleton(.leet, 2)])   // "laper" and "iaper" ([l1] reads as l or i)
        let spaced = try PrefilterPlan.build(specs: [PrefilterSpec(rule: 0, source: "\\bs\\W?t\\W?a\\W?b\\b", caseless: true)], cacheDirectory: nil)
        // \W may match KELVIN SIGN or LONG S, which read as k and s ("sktab"), but literals are derived for texts
        // without them (a text with one is a candidate for every skeleton rule): one literal, "stab".
        #expect(spaced.routes == [.skeleton(.plain, 1)])
        let word = try PrefilterPlan.build(specs: [PrefilterSpec(rule: 0, source: "\\bslapper\\b", caseless: true)], cacheDirectory: nil)
        #expect(word.routes == [.exact])
    }

    /// `build` first assumes every expression compiles (one compile per database) and derives with a test compile
    /// per expression only when a database fails; either way the plan must be the checked derivation's.
    @Test(arguments: 0..<12)
    func buildGivesTheCheckedDerivationsPlan(seed: Int) throws {
        let specs = randomRuleSet(seed: UInt64(seed) + 300, count: 40).prefilterSpecs()
        let plan = try PrefilterPlan.build(specs: specs, cacheDirectory: nil)
        let (checked, _, _) = PrefilterPlan.derive(specs, text: .raw, checked: true)
        #expect(plan.routes == checked.routes)
        #expect(plan.idToRule == checked.idToRule && plan.skeletonIdToRule == checked.skeletonIdToRule)
        #expect(plan.alwaysRules == checked.alwaysRules)
    }

    @Test func anExpressionHyperscanRejectsSendsTheWholeSetThroughTheCheckedRoutes() throws {
        let specs = ["\\bslap\\b", "x?", "\\p{L}*rape\\p{L}*", "\\bkick\\W+(?:\\w+\\W+){0,3}?her\\b"].enumerated().map {
            PrefilterSpec(rule: $0.offset, source: $0.element, caseless: true)
        }
        // The unchecked derivation routes "x?" (it matches the empty string) to Hyperscan, which refuses it.
        let (unchecked, exprs, _) = PrefilterPlan.derive(specs, text: .raw, checked: false)
        #expect(throws: HyperscanError.self) { try HyperscanDatabase.compile(exprs) }
        let plan = try PrefilterPlan.build(specs: specs, cacheDirectory: nil)
        let (checked, _, _) = PrefilterPlan.derive(specs, text: .raw, checked: true)
        #expect(plan.routes == checked.routes && plan.routes != unchecked.routes)
        #expect(plan.routes[0] == .exact && plan.routes[2] == .atoms(1))
        if case .always = plan.routes[1] {} else { Issue.record("x? should run on every message, got \(plan.routes[1])") }
    }
}
