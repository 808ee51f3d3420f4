import Foundation
import Testing
@testable import RuleKit

/// After an empty match, PCRE2's own global search (pcre2grep, `pcre2demo`) retries at the same place for a
/// non-empty match that starts there before it moves on; an alternative that can match empty must not hide the
/// real matches of the others.
@Suite struct EmptyMatchRetryTests {
    func matches(_ pattern: String, _ text: String, flags: Set<PatternFlag> = [.caseless], jit: Bool = true) throws -> [String] {
        let regex = try PCRE2Regex(pattern, flags: flags, jit: jit)
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { b in
            regex.allMatches(in: b, scratch: MatchScratch()).ranges.map { String(decoding: b[$0], as: UTF8.self) }
        }
    }

    @Test func emptyFirstAlternativeDoesNotHideTheWordAfterIt() throws {
        for jit in [true, false] {
            #expect(try matches("x*|idiot", "you idiot", jit: jit) == ["idiot"])
            #expect(try matches("\\b|moron", "moron here", jit: jit) == ["moron"])
            #expect(try matches("(?:you )?|idiot", "you idiot", jit: jit) == ["you ", "idiot"])
        }
    }

    @Test func retriesStepOverWholeCharactersAndFindEveryMatch() throws {
        #expect(try matches("a*", "baaa😀aa") == ["aaa", "aa"])
        #expect(try matches("(?=é)|é+", "xéé yé") == ["éé", "é"])
        #expect(try matches("x?", "") == [])
    }

    @Test func ruleSetReportsTheMatchBehindAnEmptyAlternative() throws {
        let path = NSTemporaryDirectory() + "empty-alternative-\(getpid()).pcre"
        try "x*|idiot\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let compiled = try CompiledRuleSet(try RuleLoader.loadPatternFile(path, ignoreCase: true))
        let text = "you IDIOT"
        let hits = compiled.matchAll(text: text, scratch: compiled.makeScratch())
        #expect(hits.map { String(decoding: Array(text.utf8)[$0.range], as: UTF8.self) } == ["IDIOT"])
    }
}
