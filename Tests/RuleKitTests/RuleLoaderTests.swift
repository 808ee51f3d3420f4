import Foundation
import Testing
import ChatModel
@testable import RuleKit
import TestScratch

@Suite struct RuleLoaderTests {
    @Test func packFolderLoadsRulesWithPackVersionAndHash() throws {
        let set = try RuleLoader.load(paths: [Fixtures.path("good")])
        #expect(set.rules.map(\.id) == ["SVX-0001"])
        let r = set.rules[0]
        #expect(r.pack == "testpack" && r.packVersion == "1.2.0")
        #expect(r.category == "sexual_violence" && r.severity == .critical && r.minConfidence == 0.7)
        #expect(r.patterns.map(\.id) == ["p_would"] && r.patterns[0].score == 0.9)
        #expect(r.exceptions.map(\.id) == ["x_reported", "x_game"])
        #expect(r.exceptions[1].action == .downgrade(to: .medium) && r.exceptions[1].scope == .afterMatch)
        #expect(r.context?.dampen.first?.delta == -0.3)
        #expect(r.tests.match.count == 2 && r.tests.match[1].span == "r4pe u")
        #expect(r.normalise.first == .nfkc && r.normalise.last == .collapseRepeats)
        #expect(set.packs.count == 1 && set.packs[0].sha256.count == 64 && set.packs[0].rules == 1)
        #expect(set.summaries[0].title == "First-person threat of rape")
    }

    @Test func unknownKeyIsRejectedWithLineColumnAndHint() {
        let d = Fixtures.loadError([Fixtures.path("broken/unknown_key.yaml")])
        let e = d.first { $0.code == .unknownKey }
        #expect(e?.line == 7 && e?.column == 5 && e?.ruleId == "HAR-0001")
        #expect(e?.help?.contains("severity") == true)
        #expect(e?.description.hasSuffix("unknown_key.yaml:7:5: error[CS001 unknown-key]: rule HAR-0001: unknown key `severty` in rule\n    help: did you mean `severity`?") == true)
    }

    @Test func badSeverityIsRejectedAtItsValue() {
        let d = Fixtures.loadError([Fixtures.path("broken/bad_severity.yaml")])
        #expect(d.contains { $0.code == .badValue && $0.line == 7 && $0.column == 15 && $0.ruleId == "HAR-0002" })
    }

    @Test func categoryOutsideTheTaxonomyIsRejectedWithSuggestion() {
        let d = Fixtures.loadError([Fixtures.path("broken/bad_category.yaml")])
        let e = d.first { $0.code == .badCategory }
        #expect(e?.line == 6 && e?.column == 15 && e?.ruleId == "HAR-0003")
        #expect(e?.help == "did you mean `harassment`?")
    }

    @Test func duplicateRuleIdIsRejectedAtTheSecondRule() {
        let d = Fixtures.loadError([Fixtures.path("broken/duplicate_id.yaml")])
        let e = d.first { $0.code == .duplicateId }
        #expect(e?.line == 10 && e?.column == 5 && e?.ruleId == "HAR-0004")
        #expect(e?.message.contains("first defined at") == true)
    }

    @Test func duplicateExceptionIdInOneRuleIsRejectedAtTheSecond() {
        let d = Fixtures.loadError([Fixtures.path("broken/duplicate_exception_id.yaml")])
        let e = d.first { $0.code == .duplicateId }
        #expect(e?.line == 11 && e?.column == 9 && e?.ruleId == "HAR-0006", "\(d)")
        #expect(e?.message == "duplicate exception id `x_film`")
    }

    @Test func patternThatDoesNotCompileReportsPCRE2MessageAndOffset() {
        let d = Fixtures.loadError([Fixtures.path("broken/bad_pattern.yaml")])
        let e = d.first { $0.code == .patternCompileError }
        #expect(e?.line == 10 && e?.column == 28 && e?.ruleId == "HAR-0005")   // the end of '\bidiot(s\b
        #expect(e?.message.contains("missing closing parenthesis") == true)
        #expect(e?.message.contains("offset 11") == true)
    }

    @Test func ruleWithoutTestsIsRejected() {
        let d = Fixtures.loadError([Fixtures.path("broken/missing_tests.yaml")])
        #expect(d.contains { $0.code == .missingTests && $0.line == 4 && $0.ruleId == "HAR-0006" })
    }

    @Test func stringWhereAListIsRequiredIsAWrongType() {
        let d = Fixtures.loadError([Fixtures.path("broken/wrong_type.yaml")])
        #expect(d.contains { $0.code == .wrongType && $0.line == 8 && $0.column == 11 && $0.ruleId == "HAR-0007" })
    }

    @Test func idPrefixMustBeTheCategoryCode() {
        let d = Fixtures.loadError([Fixtures.path("broken/bad_id.yaml")])
        #expect(d.contains { $0.code == .badId && $0.ruleId == "RAC-0008" && $0.help?.contains("HAR-NNNN") == true })
    }

    @Test func yamlSyntaxErrorNamesFileAndLine() {
        let d = Fixtures.loadError([Fixtures.path("broken/yaml_syntax.yaml")])
        #expect(d.count == 1 && d[0].code == .yamlSyntax && d[0].line != nil)
    }

    @Test func packWithOneBadFileIsNotHalfLoadedAndReportsEveryProblem() {
        let d = Fixtures.loadError([Fixtures.path("brokenpack")])
        #expect(d.contains { $0.code == .patternCompileError && $0.ruleId == "HAR-0101" })
        #expect(d.contains { $0.code == .badValue && $0.ruleId == "HAR-0102" && $0.line == 12 })
        #expect(d.allSatisfy { $0.file.hasSuffix("b_bad.yaml") })
    }

    @Test func ruleIdsMustBeUniqueAcrossPacks() {
        let d = Fixtures.loadError([Fixtures.path("good"), Fixtures.path("dup_of_good.yaml")])
        #expect(d.contains { $0.code == .duplicateId && $0.ruleId == "SVX-0001" })
    }

    @Test func patternFileGivesOneRulePerNonBlankLine() throws {
        let set = try RuleLoader.loadPatternFile(Fixtures.path("patterns.pcre"), ignoreCase: true)
        #expect(set.rules.map(\.id) == ["P-1", "P-3", "P-4"])
        #expect(set.rules.allSatisfy { $0.category == "pattern" && $0.severity == .medium })
        #expect(set.rules[0].patterns[0].flags == [.caseless])
        let compiled = try CompiledRuleSet(set)
        #expect(compiled.spans("IDIOT, moron, foolish fool") == ["IDIOT", "moron", "fool"])
        let sensitive = try CompiledRuleSet(RuleLoader.loadPatternFile(Fixtures.path("patterns.pcre"), ignoreCase: false))
        #expect(sensitive.spans("IDIOT idiot") == ["idiot"])
    }

    @Test func patternFileWithWindowsLineEndingsAndAByteOrderMarkGivesTheSameRules() throws {
        let lf = try String(contentsOfFile: Fixtures.path("patterns.pcre"), encoding: .utf8)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("crlf-\(UUID().uuidString).pcre").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let crlf = [UInt8]([0xEF, 0xBB, 0xBF]) + Array(lf.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(crlf)))
        let a = try RuleLoader.loadPatternFile(Fixtures.path("patterns.pcre"), ignoreCase: true)
        let b = try RuleLoader.loadPatternFile(path, ignoreCase: true)
        #expect(b.rules.map(\.id) == a.rules.map(\.id))
        #expect(b.rules.map { $0.patterns[0].regex } == a.rules.map { $0.patterns[0].regex })
    }

    @Test func patternFileWithBadLineReportsLineAndOffset() {
        do { _ = try RuleLoader.loadPatternFile(Fixtures.path("bad_patterns.pcre"), ignoreCase: false); Issue.record("loaded") }
        catch {
            #expect(error.diagnostics.count == 1)
            #expect(error.diagnostics[0].line == 2 && error.diagnostics[0].ruleId == "P-2")
        }
    }

    @Test func keywordListInPackBecomesOneRuleWithAPatternPerLine() throws {
        let set = try RuleLoader.load(paths: [Fixtures.path("keywords")])
        let r = try #require(set.rules.first)
        #expect(r.id == "PRO-0100" && r.category == "profanity" && r.severity == .low && r.pack == "kw")
        #expect(r.patterns.map(\.regex) == [#"\bbollocks\b"#, #"\bpiss\s+off\b"#])
        #expect(r.tests.match.count == 2 && r.tests.noMatch.count == 1)
        let c = try CompiledRuleSet(set)
        #expect(c.spans("what B0LL0CKS, piss   off") == ["B0LL0CKS", "piss   off"])
    }

    @Test func folderWithOnlyKeywordListsIsAPackNamedAfterTheFolder() throws {
        let root = try TestScratch.directory("kw-only")
        let dir = root.appendingPathComponent("slurs")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.path("keywords/profanity.txt"), toPath: dir.appendingPathComponent("profanity.txt").path)
        let set = try RuleLoader.load(paths: [root.path])
        #expect(set.rules.map(\.id) == ["PRO-0100"] && set.rules[0].pack == "slurs")
        #expect(set.packs.map(\.id) == ["slurs"] && set.packs[0].rules == 1 && set.packs[0].path == dir.path)
    }

    /// A one-rule file with `pack:` set to `pack` (no key when nil).
    static func ruleFile(_ id: String, pack: String?) -> String {
        "schema: chatsieve.rules/v1\n" + (pack.map { "pack: \($0)\n" } ?? "") + """
        rules:
          - id: \(id)
            title: t
            category: harassment
            severity: low
            patterns: ['\\bidiot\\b']
            tests: {match: ["idiot"], no_match: ["x"]}

        """
    }

    @Test func rulesOfTwoFoldersOfTheSameNameShareThePackIdButNotTheirSource() throws {
        let root = try TestScratch.directory("same-name")
        for (team, id) in [("a", "HAR-0001"), ("b", "HAR-0002")] {
            let dir = root.appendingPathComponent(team).appendingPathComponent("core")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data(Self.ruleFile(id, pack: nil).utf8).write(to: dir.appendingPathComponent("insults.yaml"))
        }
        let a = root.appendingPathComponent("a/core").path, b = root.appendingPathComponent("b/core").path
        let set = try RuleLoader.load(paths: [a, b])
        #expect(set.rules.map(\.pack) == ["core", "core"])
        // The rule's source names its file and the line of its `- id:` entry.
        #expect(set.summaries.map(\.source) == ["\(a)/insults.yaml:3", "\(b)/insults.yaml:3"])
    }

    @Test func withoutPackYAMLARuleFilesPackKeyNamesItsPack() throws {
        let dir = try TestScratch.directory("nopackyaml")
        try Data(Self.ruleFile("HAR-0001", pack: "{id: core, version: 1.0.0}").utf8).write(to: dir.appendingPathComponent("a.yaml"))
        try Data(Self.ruleFile("HAR-0002", pack: "{id: extra}").utf8).write(to: dir.appendingPathComponent("b.yaml"))
        try Data(Self.ruleFile("HAR-0003", pack: nil).utf8).write(to: dir.appendingPathComponent("c.yaml"))
        let set = try RuleLoader.load(paths: [dir.path])
        #expect(set.rules.map { "\($0.id) \($0.pack) \($0.packVersion ?? "-")" }
                == ["HAR-0001 core 1.0.0", "HAR-0002 extra -", "HAR-0003 \(dir.lastPathComponent) -"])
        #expect(set.packs.map { "\($0.id) \($0.version ?? "-") \($0.rules)" }
                == ["core 1.0.0 1", "extra - 1", "\(dir.lastPathComponent) - 1"])
        #expect(Set(set.packs.map(\.sha256)).count == 3)
    }

    @Test func ruleFilePackVersionDisagreeingWithPackYAMLIsRejectedAtTheVersion() throws {
        let dir = try TestScratch.directory("packversion")
        try Data("id: pk\nversion: 1.0.0\n".utf8).write(to: dir.appendingPathComponent("pack.yaml"))
        try Data(Self.ruleFile("HAR-0001", pack: "{id: pk, version: 2.0.0}").utf8).write(to: dir.appendingPathComponent("r.yaml"))
        let d = Fixtures.loadError([dir.path])
        #expect(d.count == 1)
        #expect(d.first?.code == .badValue && d.first?.line == 2 && d.first?.column == 25, "\(d)")
        #expect(d.first?.message.contains("pack version `2.0.0` differs from the folder's pack.yaml version `1.0.0`") == true)
        try Data(Self.ruleFile("HAR-0001", pack: "{id: pk, version: 1.0.0}").utf8).write(to: dir.appendingPathComponent("r.yaml"))
        #expect(try RuleLoader.load(paths: [dir.path]).rules.first?.packVersion == "1.0.0")
    }

    @Test func yamlAnchorsAndAliasesShareValuesBetweenRules() throws {
        let dir = try TestScratch.directory("anchors")
        try Data("""
            schema: chatsieve.rules/v1
            pack: {id: a, version: 1.0.0}
            rules:
              - id: HAR-0001
                title: t
                category: &cat harassment
                severity: low
                patterns: ['\\bidiot\\b']
                context: {boost: &boost {words: [total], delta: 0.1}}
                tests: &tests {match: ["idiot", "moron"], no_match: ["x"]}
              - id: HAR-0002
                title: u
                category: *cat
                severity: low
                patterns: ['\\bmoron\\b']
                context: {boost: *boost}
                tests: *tests

            """.utf8).write(to: dir.appendingPathComponent("r.yaml"))
        let set = try RuleLoader.load(paths: [dir.path])
        #expect(set.rules.map(\.category) == ["harassment", "harassment"])
        #expect(set.rules[1].context?.boost.first?.words == ["total"])
        #expect(set.rules[1].tests.match.map(\.text) == ["idiot", "moron"] && set.rules[1].tests.noMatch.map(\.text) == ["x"])
        // Merge keys are not part of the schema: `<<` is an unknown key.
        let text = try String(contentsOf: dir.appendingPathComponent("r.yaml"), encoding: .utf8)
        try Data(text.replacingOccurrences(of: "tests: *tests", with: "tests: {<<: *tests}").utf8).write(to: dir.appendingPathComponent("r.yaml"))
        #expect(Fixtures.loadError([dir.path]).map(\.code).first == .unknownKey)
    }

    @Test func keywordListWithWindowsLineEndingsGivesTheSameRule() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kw-crlf-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for name in ["pack.yaml", "profanity.txt"] {
            let text = try String(contentsOfFile: Fixtures.path("keywords") + "/" + name, encoding: .utf8)
            let bytes = Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
            #expect(FileManager.default.createFile(atPath: dir + "/" + name, contents: Data(bytes)))
        }
        let a = try #require(try RuleLoader.load(paths: [Fixtures.path("keywords")]).rules.first)
        let b = try #require(try RuleLoader.load(paths: [dir]).rules.first)
        #expect(b.id == a.id && b.title == a.title && b.patterns.map(\.regex) == a.patterns.map(\.regex))
        #expect(b.tests.match.map(\.text) == a.tests.match.map(\.text) && b.tests.noMatch.map(\.text) == a.tests.noMatch.map(\.text))
    }

    @Test func shippedTaxonomyFileAgreesWithBuiltInTaxonomy() throws {
        let text = try String(contentsOfFile: Fixtures.repoRoot + "/rules/taxonomy.yaml", encoding: .utf8)
        for c in Taxonomy.standard.categories {
            #expect(text.contains("code: \(c.code)\n    name: \(c.name)\n"))
            #expect(text.contains("subcategories: [\(c.subcategories.joined(separator: ", "))]"))
        }
    }
}

@Suite struct RuleFilesTests {
    @Test func plainKeywordFileGivesOneBoundedCaselessRulePerLine() throws {
        let set = try RuleLoader.loadKeywordFile(Fixtures.path("words.txt"))
        #expect(set.rules.map(\.id) == ["K-2", "K-4"])
        #expect(set.rules.allSatisfy { $0.category == "keyword" })
        let c = try CompiledRuleSet(set)
        #expect(c.spans("NUMPTY, wallyball, wally") == ["NUMPTY", "wally"])
    }

    @Test func severalPlainFilesKeepPNAndKNForTheFirstAndNumberLaterFilesApart() throws {
        let patterns = Fixtures.path("patterns.pcre"), words = Fixtures.path("words.txt")
        let set = try RuleLoader.loadPlainFiles(patterns: [patterns, patterns], keywords: [words, words], ignoreCase: true)
        #expect(set.rules.map(\.id) == ["P-1", "P-3", "P-4", "P2-1", "P2-3", "P2-4", "K-2", "K-4", "K2-2", "K2-4"])
        #expect(set.packs.map(\.path) == [patterns, patterns, words, words])
        let single = try RuleLoader.loadPlainFiles(patterns: [patterns], ignoreCase: true)
        #expect(single.rules.map(\.id) == (try RuleLoader.loadPatternFile(patterns, ignoreCase: true)).rules.map(\.id))
    }

    @Test func shippedRulesFolderIsFoundByWalkingUp() throws {
        let dir = try #require(RuleLoader.shippedRulesDirectory())
        #expect(dir.hasSuffix("rules"))
        #expect(FileManager.default.fileExists(atPath: dir + "/taxonomy.yaml"))
    }

    @Test func keywordsKeyBecomesAnEscapedAlternation() {
        #expect(KeywordPattern.alternation(["c.o.p", "fat cat", "@sshole"]) == #"(?:\bc\.o\.p\b|\bfat\s+cat\b|@sshole\b)"#)
    }

    @Test func keywordsWithNonASCIILettersAreBoundedByUnicodeWordCharacters() throws {
        #expect(KeywordPattern.bounded("pédé") == #"(?<![\p{L}\p{N}_])pédé(?![\p{L}\p{N}_])"#)
        #expect(KeywordPattern.bounded("über") == #"(?<![\p{L}\p{N}_])über(?![\p{L}\p{N}_])"#)
        #expect(KeywordPattern.bounded("numpty") == #"\bnumpty\b"#)   // ASCII keywords compile as before
        let c = try CompiledRuleSet(RuleSet(rules: [Fixtures.rule(patterns: ["pédé", "über"].map(KeywordPattern.bounded))], packs: []))
        #expect(c.spans("pédé, ÜBER alles") == ["pédé", "ÜBER"])
        #expect(c.spans("pédés überall müber éüber_ über2") == [])
    }

    @Test func aRunOfSpacesInAKeywordIsOneWhitespaceRun() throws {
        #expect(KeywordPattern.bounded("two  words") == #"\btwo\s+words\b"#)
        let c = try CompiledRuleSet(RuleSet(rules: [Fixtures.rule(patterns: [KeywordPattern.bounded("two   words")])], packs: []))
        #expect(c.spans("two words, two \t words") == ["two words", "two \t words"])
    }
}
