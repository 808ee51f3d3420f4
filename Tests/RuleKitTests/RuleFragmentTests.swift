import Foundation
import Testing
@testable import RuleKit
import TestScratch

/// `fragments:` in pack.yaml and rule files, used as `{{name}}` in patterns and exceptions.
@Suite struct RuleFragmentTests {
    static let packYAML = """
        schema: chatsieve.rules/v1
        id: frag
        version: 1.0.0
        fragments:
          case_words: 'victim|suspect|statement'
          speech: 'said|called'

        """

    static func rule(_ id: String, pattern: String, exceptions: String = "", match: String, noMatch: String) -> String {
        """
          - id: \(id)
            title: t
            category: harassment
            severity: high
            patterns: ['\(pattern)']
        \(exceptions)    tests:
              match: ["\(match)"]
              no_match: ["\(noMatch)"]

        """
    }

    /// Writes pack.yaml (when given) and the rule files into a fresh folder; returns its path.
    static func pack(_ name: String, packYAML: String? = RuleFragmentTests.packYAML, files: [String: String]) throws -> String {
        let dir = try TestScratch.directory(name)
        if let packYAML { try packYAML.write(to: dir.appendingPathComponent("pack.yaml"), atomically: true, encoding: .utf8) }
        for (file, text) in files {
            try text.write(to: dir.appendingPathComponent(file), atomically: true, encoding: .utf8)
        }
        return dir.path
    }

    static let header = "schema: chatsieve.rules/v1\n"

    @Test func packFragmentsExpandInPatternsAndExceptionsOfEveryFileAsNonCapturingGroups() throws {
        let x = """
                exceptions:
                  - id: case_work
                    regex: '\\b{{case_words}}\\b'
                    action: {downgrade_to: low}

            """
        let dir = try Self.pack("frag-ok", files: [
            "a.yaml": Self.header + "rules:\n" + Self.rule("HAR-0101", pattern: "\\bidiot\\b", exceptions: x,
                                                          match: "you idiot", noMatch: "idiom"),
            "b.yaml": Self.header + "rules:\n" + Self.rule("HAR-0102", pattern: "\\b(?:{{speech}})\\s+him\\s+a\\s+moron\\b",
                                                          match: "said him a moron", noMatch: "told him a moron"),
        ])
        let set = try RuleLoader.load(paths: [dir])
        let a = try #require(set.rules.first { $0.id == "HAR-0101" })
        #expect(a.exceptions.first?.regex == "\\b(?:victim|suspect|statement)\\b")
        let b = try #require(set.rules.first { $0.id == "HAR-0102" })
        #expect(b.patterns.first?.regex == "\\b(?:(?:said|called))\\s+him\\s+a\\s+moron\\b")
        let compiled = try CompiledRuleSet(set)
        let hits = compiled.matchAll(text: "the victim is an idiot", scratch: compiled.makeScratch()).filter(\.isHit)
        #expect(hits.map(\.severity) == [.low])
        let plain = compiled.matchAll(text: "you idiot", scratch: compiled.makeScratch()).filter(\.isHit)
        #expect(plain.map(\.severity) == [.high])
    }

    @Test func aFileFragmentMayUseAPackFragmentAndIsVisibleToThatFileOnly() throws {
        let own = Self.header + "fragments:\n  quoted: '{{speech}}\\s+(?:him|her)'\n" + "rules:\n"
            + Self.rule("HAR-0111", pattern: "\\b{{quoted}}\\s+a\\s+moron\\b", match: "called her a moron", noMatch: "a moron")
        let other = Self.header + "rules:\n"
            + Self.rule("HAR-0112", pattern: "\\b{{quoted}}\\s+an\\s+idiot\\b", match: "called her an idiot", noMatch: "an idiot")
        let ok = try Self.pack("frag-file", files: ["a.yaml": own])
        let set = try RuleLoader.load(paths: [ok])
        #expect(set.rules.first?.patterns.first?.regex == "\\b(?:(?:said|called)\\s+(?:him|her))\\s+a\\s+moron\\b")
        let bad = try Self.pack("frag-file-other", files: ["a.yaml": own, "b.yaml": other])
        let d = Fixtures.loadError([bad])
        let e = try #require(d.first { $0.code == .unknownFragment }, "\(d)")
        #expect(e.file.hasSuffix("b.yaml") && e.line == 7 && e.ruleId == "HAR-0112")
        #expect(e.message == "pattern `p1` uses `{{quoted}}`, which no fragment defines")
        #expect(e.help?.contains("`case_words`, `speech`") == true)
    }

    @Test func anUnknownFragmentRejectsTheWholePackWithFileLineAndName() throws {
        let dir = try Self.pack("frag-unknown", files: [
            "a.yaml": Self.header + "rules:\n" + Self.rule("HAR-0121", pattern: "\\b{{slurs}}\\b", match: "x", noMatch: "y"),
        ])
        let d = Fixtures.loadError([dir])
        #expect(d.contains { $0.code == .unknownFragment && $0.line == 7 && $0.column == 16 && $0.message.contains("`{{slurs}}`") }, "\(d)")
    }

    @Test func aBrokenFragmentIsReportedWhereItIsWrittenNotAtEachUse() throws {
        let packYAML = "schema: chatsieve.rules/v1\nid: frag\nfragments:\n  bad: 'victim|(suspect'\n  later: '{{missing}}x'\n  1st: 'a'\n"
        let dir = try Self.pack("frag-broken", packYAML: packYAML, files: [
            "a.yaml": Self.header + "rules:\n" + Self.rule("HAR-0131", pattern: "\\bidiot\\b", match: "idiot", noMatch: "idiom"),
        ])
        let d = Fixtures.loadError([dir])
        let compile = try #require(d.first { $0.code == .patternCompileError }, "\(d)")
        #expect(compile.file.hasSuffix("pack.yaml") && compile.line == 4 && compile.message.hasPrefix("fragment `bad` does not compile"))
        #expect(d.contains { $0.code == .unknownFragment && $0.line == 5 && $0.message.contains("`{{missing}}`") })
        #expect(d.contains { $0.code == .badValue && $0.line == 6 && $0.message == "bad fragment name `1st`" })
    }

    @Test func aPatternThatBreaksOnlyOnceExpandedNamesTheExpansionAndPointsAtTheStartOfTheRegex() throws {
        // `open` does not compile alone (reported once, where it is written); `fine` does, but the pattern's own
        // `(?` before its expansion `(?:x)` makes `(?(?:x)`, which PCRE2 rejects only once expanded.
        let dir = try Self.pack("frag-expanded", files: [
            "a.yaml": Self.header + "fragments:\n  open: '(?:a|b'\n  fine: 'x'\nrules:\n"
                + Self.rule("HAR-0161", pattern: "\\b{{speech}}\\b(?{{fine}}", match: "said", noMatch: "sad"),
        ])
        let d = Fixtures.loadError([dir])
        #expect(d.contains { $0.code == .patternCompileError && $0.line == 3 && $0.message.hasPrefix("fragment `open` does not compile") }, "\(d)")
        let e = try #require(d.first { $0.code == .patternCompileError && $0.ruleId == "HAR-0161" }, "\(d)")
        #expect(e.line == 10 && e.column == 16)   // where the regex starts: PCRE2's offset is in the expanded text
        #expect(e.message.hasSuffix("of the pattern with its fragments expanded"))
        #expect(e.help?.contains("(?:said|called)") == true)
    }

    @Test func aFileFragmentMayNotReuseAPackFragmentsName() throws {
        let dir = try Self.pack("frag-dup", files: [
            "a.yaml": Self.header + "fragments:\n  speech: 'shouted'\nrules:\n"
                + Self.rule("HAR-0141", pattern: "\\b{{speech}}\\b", match: "said", noMatch: "sad"),
        ])
        let d = Fixtures.loadError([dir])
        let e = try #require(d.first { $0.code == .duplicateId }, "\(d)")
        #expect(e.line == 3 && e.message.contains("fragment `speech` is already defined at") && e.message.contains("pack.yaml:6"))
    }

    @Test func unusedFragmentsAreWarningsAndAFragmentKeyInARuleFilesPackMappingIsUnknown() throws {
        let dir = try Self.pack("frag-unused", files: [
            "a.yaml": Self.header + "fragments:\n  spare: 'x'\nrules:\n"
                + Self.rule("HAR-0151", pattern: "\\b{{speech}}\\b", match: "said", noMatch: "sad"),
        ])
        let (set, d) = RuleLoader.collect(paths: [dir])
        #expect(set.rules.count == 1)
        #expect(d.filter { $0.code == .unusedFragment }.map(\.level) == [.warning, .warning], "\(d)")
        #expect(d.contains { $0.code == .unusedFragment && $0.file.hasSuffix("pack.yaml") && $0.message.contains("`case_words`") })
        #expect(d.contains { $0.code == .unusedFragment && $0.file.hasSuffix("a.yaml") && $0.line == 3 && $0.message.contains("`spare`") })
        let inPackKey = try Self.pack("frag-in-pack-key", packYAML: nil, files: [
            "a.yaml": Self.header + "pack: {id: p, fragments: {a: 'b'}}\nrules:\n"
                + Self.rule("HAR-0152", pattern: "\\bidiot\\b", match: "idiot", noMatch: "idiom"),
        ])
        #expect(Fixtures.loadError([inPackKey]).contains { $0.code == .unknownKey && $0.message.contains("`fragments`") })
    }

    @Test func lintSuggestsAFragmentForALongRegexWrittenOutInThreeRulesOfAPack() throws {
        let x = """
                exceptions:
                  - id: quoting
                    regex: '\\b(?:victim|suspect|statement|complainant)\\s+(?:said|says|stated)\\b'

            """
        let viaFragment = """
                exceptions:
                  - id: quoting
                    regex: '\\b{{case_words}}\\s+(?:said|says|stated)\\b'

            """
        func file(_ ids: [String], _ block: String) -> String {
            Self.header + "rules:\n" + ids.map { Self.rule($0, pattern: "\\bidiot\\b", exceptions: block, match: "idiot", noMatch: "idiom") }.joined()
        }
        let written = try Self.pack("frag-lint", files: ["a.yaml": file(["HAR-0171", "HAR-0172"], x), "b.yaml": file(["HAR-0173"], x)])
        let d = RuleLinter.lint(paths: [written]).diagnostics.filter { $0.code == .repeatedRegex }
        #expect(d.count == 1, "\(d)")
        #expect(d.first?.ruleId == "HAR-0171" && d.first?.level == .warning)
        #expect(d.first?.message == "exception `quoting` is written out again, the same, in 2 more rules of pack `frag` (HAR-0172, HAR-0173)")
        let two = try Self.pack("frag-lint-two", files: ["a.yaml": file(["HAR-0174", "HAR-0175"], x)])
        #expect(RuleLinter.lint(paths: [two]).diagnostics.allSatisfy { $0.code != .repeatedRegex })
        let shared = try Self.pack("frag-lint-shared", files: ["a.yaml": file(["HAR-0176", "HAR-0177", "HAR-0178"], viaFragment)])
        #expect(RuleLinter.lint(paths: [shared]).diagnostics.allSatisfy { $0.code != .repeatedRegex })
    }

    @Test func theShippedPacksWriteTheCaseWordListOnceAndEveryUseExpandsToTheSameText() throws {
        let set = try RuleLoader.load(paths: [Fixtures.repoRoot + "/rules"])
        let work = set.rules.flatMap(\.exceptions).filter { $0.id == "case_work" }.map(\.regex)
        #expect(work.count >= 19)
        #expect(Set(work).count == 1)
        #expect(work.first?.contains("victim|") == true && work.first?.contains("{{") == false)
        let text = try String(contentsOfFile: Fixtures.repoRoot + "/rules/core/racism.yaml", encoding: .utf8)
        #expect(text.contains("'\\b{{case_words}}\\b'") && !text.contains("disability\\s+hate|public"))
    }
}
