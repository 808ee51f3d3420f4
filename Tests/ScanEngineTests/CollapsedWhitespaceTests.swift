import CHyperscan
import ChatModel
import CorpusKit
import CScanKernels
import Foundation
import RuleKit
@testable import ScanEngine
import Testing

/// Shadow databases scan text whose whitespace runs were collapsed to one space, with expressions rewritten for it
/// (`CollapsedWhitespace`). Whenever a pattern matches a text, its rewritten expression must match the collapsed text.
@Suite struct CollapsedWhitespaceTests {
    /// The reference for the scan's kernel: every run of `\s` characters replaced by one space.
    func collapse(_ text: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var inRun = false
        for b in text {
            if b == 32 || (b >= 9 && b <= 13) {
                if !inRun { out.append(32) }
                inRun = true
            } else { out.append(b); inRun = false }
        }
        return out
    }

    /// True when Hyperscan reports any match of `db` in `bytes`.
    func hyperscanMatches(_ db: HyperscanDatabase, _ bytes: [UInt8]) -> Bool {
        final class Box { var hit = false }
        let box = Box()
        let scratch = db.makeScratch()
        bytes.withUnsafeBytes { raw in
            db.scan(raw, scratch: scratch, context: Unmanaged.passUnretained(box).toOpaque()) { _, _, _, _, ctx in
                Unmanaged<Box>.fromOpaque(ctx!).takeUnretainedValue().hit = true
                return 1
            }
        }
        return box.hit
    }

    /// Random texts over a small alphabet rich in whitespace: every pattern below matches many of them.
    func texts(seed: UInt64, count: Int) -> [[UInt8]] {
        var rng = CorpusRandom(seed: seed)
        let pieces: [[UInt8]] = ["a", "b", "x", "ab", " ", " ", "  ", "\t", "\n", "\r\n", "\u{0B}", ".", "!", "é", "\u{A0}"]
            .map { Array($0.utf8) }
        // Some texts only a few patterns match (a back-reference, an exact run of whitespace), in a few variants.
        let fixed = ["a a b", "a\ta\tb", " a  a  b", "a \t\nb", "xa \t\nbx", "a \t\nb a \t\n b"].map { Array($0.utf8) }
        return fixed + fixed + fixed + (0..<count).map { _ in (0..<rng.int(in: 1...9)).flatMap { _ in rng.pick(pieces) } }
    }

    static let tricky = [
        "a\\s\\sb", "a\\s+\\s*b", "a\\s*b", "a\\s+b", "a\\W{2}b", "a[^x]{2,3}b", "a.\\sb", "a\\s\\B\\s*b", "(a\\s)\\1b",
        "a(?:\\s|x)+b", "a\\s?\\s?b", "(?:\\s*a)+\\s+b", "\\ba\\s+\\b", "a[\\s.]{2}b", "a\\h\\v*b", "a[^ab]+b",
        "(?:a|\\s)\\s+(?:b|x)", "a\\s{2,}b", "\\s\\S\\s", "a \\t\\nb", "a(?=\\s)\\s\\sb", "(a\\s*)+b", "a\\s*(?:\\s|x)*\\s*b",
        "ab\\W+(?:\\w+\\W+){0,2}?x", "a\\s*\\n\\s*b", "\\s", "\\s{3}",
    ]

    @Test(arguments: Array(tricky.enumerated()), [PrefilterText.shadow, .shadowQuickCompile])
    func rewrittenExpressionMatchesTheCollapsedTextOfEveryMatch(_ item: (offset: Int, element: String), text: PrefilterText) throws {
        let pattern = item.element
        let d = PrefilterDeriver.derive(pattern: pattern, modes: PatternModes(), ucp: false, text: text)
        let expr = try #require(d.expression, "no expression for \(pattern): \(d.unsafeReason ?? "")")
        let db = try HyperscanDatabase.compile([HyperscanExpression(expression: expr, flags: UInt32(HS_FLAG_UTF8), id: 0)])
        let regex = try PCRE2Regex(pattern, flags: [.utf])
        let scratch = MatchScratch()
        var matched = 0
        for t in texts(seed: UInt64(item.offset) + 1, count: 3_000) {
            let hit = t.withUnsafeBufferPointer { if case .match = regex.firstMatch(in: $0, scratch: scratch) { return true }; return false }
            guard hit else { continue }
            matched += 1
            let collapsed = collapse(t)
            #expect(hyperscanMatches(db, collapsed), "\(pattern) → \(expr) misses \(String(decoding: collapsed, as: UTF8.self).debugDescription) (from \(String(decoding: t, as: UTF8.self).debugDescription))")
        }
        #expect(matched >= 3, "too few matching texts for \(pattern): \(matched)")
    }

    @Test func wordsJoinedByWhitespaceBecomeLiteralSpaces() {
        let d = PrefilterDeriver.derive(pattern: "\\bkill\\s+(?:you|him)\\s*now\\b", modes: PatternModes(caseless: true), ucp: false,
                                        text: .shadow)
        // `\s+` is one space, `\s*` an optional one; no whitespace class is left.
        #expect(d.expression?.hasSuffix("ill\\x{20}(?:(?:you|him))(?:\\x{20})?now\\b") == true)
        #expect(d.expression?.contains("\\x{9}") == false)
        let raw = PrefilterDeriver.derive(pattern: "\\bkill\\s+(?:you|him)\\s*now\\b", modes: PatternModes(caseless: true), ucp: false)
        #expect(raw.expression?.contains("\\x{9}") == true)
    }

    @Test func theQuickCompileFormWritesEachSingleSpaceAsWhitespaceClass() {
        let d = PrefilterDeriver.derive(pattern: "\\bkill\\s+(?:you|him)\\s*now\\b", modes: PatternModes(caseless: true), ucp: false,
                                        text: .shadowQuickCompile)
        // The same shape as the full form, with `\s` where that has a literal space (no literal chains to expand).
        let w = "[\\x{9}-\\x{d}\\x{20}]"
        #expect(d.expression?.hasSuffix("ill\(w)(?:(?:you|him))(?:\(w))?now\\b") == true, "\(d.expression ?? "nil")")
    }

    /// The kernel copies 16-byte blocks with nothing to change whole: random texts of up to 200 bytes, mostly words
    /// and single spaces with now and then a run, a tab or a line break (in and across blocks, before and after the
    /// first deletion of a buffer), must give the reference's bytes.
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func theKernelGivesTheReferenceOnLongRandomTexts(seed: UInt64) {
        var rng = CorpusRandom(seed: seed)
        let pieces: [[UInt8]] = ["word", "a", "\u{E9}t\u{E9}", "x", " ", " ", " ", "  ", "\t", "\r\n", "\u{0B}", "\u{0C}", " \n ", "\u{85}", "!"]
            .map { Array($0.utf8) }
        var texts: [[UInt8]] = []
        for _ in 0..<400 {
            var t: [UInt8] = []
            let plain = rng.int(in: 0...3) == 0
            while t.count < rng.int(in: 0...200) {
                let piece = rng.pick(pieces)
                // Some texts have only words and single spaces: nothing to delete, so their blocks are copied whole.
                if plain && (piece.count > 1 || piece.first! < 0x20) && piece != Array("word".utf8) && piece != Array("\u{E9}t\u{E9}".utf8) {
                    t += Array("ab".utf8); continue
                }
                t += piece
            }
            texts.append(t)
        }
        var buf: [UInt8] = [0x0A]
        var starts: [Int64] = [], ends: [Int64] = []
        for t in texts { starts.append(Int64(buf.count)); buf += t; ends.append(Int64(buf.count)); buf.append(0x0A) }
        let used = buf.withUnsafeMutableBufferPointer { cs_collapse_whitespace_texts($0.baseAddress!, $0.count, &starts, &ends, starts.count) }
        var expected: [UInt8] = [0x0A]
        for t in texts { expected += collapse(t); expected.append(0x0A) }
        #expect(used == expected.count)
        let whole = Array(buf[..<used]) == expected   // (not printed: the per-text checks below show what differs)
        #expect(whole)
        for (k, t) in texts.enumerated() { #expect(Array(buf[Int(starts[k])..<Int(ends[k])]) == collapse(t), "text \(k)") }
    }

    @Test func theKernelCollapsesEachTextAndKeepsItsSeparator() {
        let texts: [[UInt8]] = ["a  b\t\tc", "", " \n x \r\n", "plain", "\u{A0} é  \u{0B}"].map { Array($0.utf8) }
        var buf: [UInt8] = [0x0A]
        var starts: [Int64] = [], ends: [Int64] = []
        for t in texts { starts.append(Int64(buf.count)); buf += t; ends.append(Int64(buf.count)); buf.append(0x0A) }
        let used = buf.withUnsafeMutableBufferPointer { cs_collapse_whitespace_texts($0.baseAddress!, $0.count, &starts, &ends, starts.count) }
        #expect(buf[0] == 0x0A)
        for (k, t) in texts.enumerated() {
            #expect(Array(buf[Int(starts[k])..<Int(ends[k])]) == collapse(t))
            #expect(buf[Int(ends[k])] == 0x0A)
        }
        #expect(used == Int(ends.last!) + 1)
        #expect(collapse(Array("a \t\n b".utf8)) == Array("a b".utf8))
    }
}
