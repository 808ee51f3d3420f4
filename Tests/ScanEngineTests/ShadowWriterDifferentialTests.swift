import CScanKernels
import Foundation
import RuleKit
import Testing
@testable import ScanEngine

/// The bytes-only shadow writer (`ShadowWriter`, C kernel `cs_ascii_shadow`) against RuleKit's reference
/// `Normaliser.normalise(bytes).bytes`, on random chat-like texts, for the shipped packs' layer lists and every
/// subset of the seven layers.
@Suite struct ShadowWriterDifferentialTests {
    static let rulesDir: String = {
        var dir = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { dir.deleteLastPathComponent() }
        return dir.appendingPathComponent("rules").path
    }()

    /// Pieces random texts are made of: plain and capital words, leet, separators, spaced single letters, repeats,
    /// emoji (with skin tones, ZWJ and variation selectors), accented and look-alike letters, invisible marks,
    /// fullwidth and mathematical letters, combining marks, CJK, compatibility characters.
    static let pieces: [String] = [
        "rape", "Slap", "KILL", "you", "i'd", "b4", "5pm", "4th", "2024", "90s", "r4pe", "n1gg3r", "$hit", "@ss", "d!ck",
        "s+ab", "h0e", "ra7", "5hit", "|ame", "hi!", "c0ck", "f*g", "x", "a", "I", "u", "4", "@", "3", "1", "!", "0",
        "$", "5", "7", "+", "8", "|", "2", "6", "9", " ", " ", " ", ".", "-", "_", "*", "/", "  ", "...", " - ",
        "s . l . a . p", "r a p e", "r-a-p-e", "s.l.a.p r", "r 4 p e", "k_i_l_l", "a*b*c", "s / l / a / p", "R A P E",
        "kiiiiilllll", "raaaape", "AAAArgh", "nooooo", "!!!", "0000", "zzz", "ooo",
        "😂", "🍺", "👍🏽", "❤️", "👨‍👩‍👧", "🤦‍♂️", "⚽", "💯", "🔥", "☺", "✓", "→", "€", "£", "°", "·", "—", "“", "’",
        "é", "ë", "á", "í", "ö", "Ł", "ñ", "É", "Ö", "ß", "ç", "ø", "ı", "İ", "ǅ", "ﬁ",
        "\u{200B}", "\u{200E}", "\u{FEFF}", "\u{200D}", "\u{00AD}", "\u{202F}", "\u{00A0}", "\u{2060}",
        "\u{0430}", "\u{03BF}", "\u{0433}\u{0430}\u{0440}\u{0435}", "\u{0410}", "\u{0434}", "\u{03A9}", "\u{0455}",
        "ＲＡＰＥ", "ｒａｐｅ", "Ａ", "𝔡𝔞𝔪𝔫", "𝐀", "Ⓐ", "🅰", "🇦", "ᴀ", "㎏", "℻", "½", "²",
        "e\u{0301}", "\u{0301}", "a\u{0308}", "中文", "ש", "ا", "\u{E0067}", "\u{1F3FB}",
    ]

    static func randomText(_ rng: inout SeededRandom) -> [UInt8] {
        var s = ""
        for _ in 0..<rng.int(0...14) {
            s += rng.pick(pieces)
            if rng.chance(0.3) { s += " " }
        }
        return Array(s.utf8)
    }

    /// Checks one text under one writer; returns whether the writer handled it.
    @discardableResult
    static func check(_ text: [UInt8], _ writer: ShadowWriter, _ normaliser: Normaliser) -> Bool {
        let normalised = text.withUnsafeBytes { normaliser.normalise($0) }
        let reference = normalised.bytes
        let got = text.withUnsafeBytes { writer.write($0) }
        // The writer also says which texts have a second reading (they become candidates for every shadow rule).
        var out: [UInt8] = [], second = false
        if text.withUnsafeBytes({ writer.append($0, to: &out, secondReading: &second) }) {
            #expect(second == normalised.hasSecondReading, "\(normaliser.layers) \(String(decoding: text, as: UTF8.self).debugDescription)")
            if second {
                var got: [UInt8] = []
                #expect(text.withUnsafeBytes { writer.appendSecondReading($0, to: &got) })
                let expected = text.withUnsafeBytes { normaliser.secondReading($0)?.bytes }
                #expect(got == expected, "\(normaliser.layers) \(String(decoding: text, as: UTF8.self).debugDescription)")
            }
        }
        switch got {
        case .notHandled: return false
        case .identity:
            #expect(reference == text, "\(normaliser.layers) \(String(decoding: text, as: UTF8.self).debugDescription)")
        case .changed(let bytes):
            #expect(bytes == reference, "\(normaliser.layers) \(String(decoding: text, as: UTF8.self).debugDescription) -> \(String(decoding: bytes, as: UTF8.self).debugDescription), reference \(String(decoding: reference, as: UTF8.self).debugDescription)")
            #expect(bytes != text)
        }
        return true
    }

    @Test func writerEqualsReferenceForShippedLayerListsOnRandomTexts() throws {
        let compiled = try CompiledRuleSet(try RuleLoader.load(paths: [Self.rulesDir]))
        #expect(!compiled.normalisers.isEmpty)
        let writers = ShadowWriter.writers(for: compiled.normalisers)
        var rng = SeededRandom(seed: 41)
        var handled = 0, total = 0
        for _ in 0..<4000 {
            let text = Self.randomText(&rng)
            for (w, n) in zip(writers, compiled.normalisers) {
                total += 1
                if Self.check(text, w, n) { handled += 1 }
            }
        }
        // Most texts hold only ASCII and table-handled scalars; the rest fall back (the test must not be vacuous).
        #expect(handled * 10 >= total * 4, "handled \(handled) of \(total)")
    }

    @Test func writerEqualsReferenceForEveryLayerSubset() {
        var rng = SeededRandom(seed: 7)
        let all = NormaliseLayer.allCases
        var handled = 0
        for mask in 0..<(1 << all.count) {
            let layers = all.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element)
            let n = Normaliser(layers: layers)
            let w = ShadowWriter.writers(for: [n])[0]
            for _ in 0..<150 where Self.check(Self.randomText(&rng), w, n) { handled += 1 }
        }
        #expect(handled > 128 * 150 / 4)
    }

    /// Dense texts over a small alphabet, so separator chains, leet tokens and repeats meet and overlap often.
    @Test func writerEqualsReferenceOnDenseSeparatorLeetAndRepeatTexts() {
        let alphabet: [String] = ["a", "a", "b", "A", "i", "I", "s", "x", "X", " ", " ", " ", ".", "-", "_", "*", "/", "4", "@", "3", "1",
                                  "!", "0", "$", "5", "7", "+", "8", "|", "2", "6", "9", "'", "’", ",", "é", "😂", "\u{200B}",
                                  ":", ";", "~", "=", "#", "^", "\\", "•", "·", "❤️", "👍🏽", "€", "%"]
        var rng = SeededRandom(seed: 2024)
        let byteLayers: [NormaliseLayer] = [.casefold, .separators, .leet, .collapseRepeats]
        for mask in 0..<16 {
            let layers = [.nfkc, .stripInvisible, .confusables] + byteLayers.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element)
            let n = Normaliser(layers: layers)
            let w = ShadowWriter.writers(for: [n])[0]
            var handled = 0
            for _ in 0..<2500 {
                let text = Array((0..<rng.int(0...(rng.chance(0.8) ? 24 : 160))).map { _ in rng.pick(alphabet) }.joined().utf8)
                if Self.check(text, w, n) { handled += 1 }
            }
            #expect(handled == 2500)
        }
    }

    /// The vector scan that decides which byte layers to run against its byte-by-byte definition, on texts long
    /// enough to cross its 64-byte blocks.
    @Test func vectorLayerCheckAgreesWithByteByByteCheck() {
        // Mostly bytes of no class, with a few snippets placed near the 64-byte block edges, so each answer
        // depends on a few positions (often across an edge) rather than being set anywhere in a dense text.
        let filler: [UInt8] = Array("'%&\"".utf8) + [0xC3, 0xA9]
        let snippets = ["a", "4", "aa", "aaa", "a4", "4a", "@", "|a", " ", ".", " a ", " a . b . c ", "a b", "x.y.z", "2a", "b!",
                        "a,b,c", "x:y;z", " a ~ b ", "a\\b\\c", "a#b=c^d", ","]
        var rng = SeededRandom(seed: 5)
        var seen: UInt32 = 0
        for _ in 0..<20000 {
            var text = (0..<rng.int(0...200)).map { _ in rng.pick(filler) }
            for _ in 0..<rng.int(0...3) {
                let edge = rng.pick([0, 64, 128, 192])
                let at = min(text.count, max(0, edge + rng.int(-6...3)))
                text.insert(contentsOf: Array(rng.pick(snippets).utf8), at: at)
            }
            let (v, b) = text.withUnsafeBufferPointer {
                (cs_ascii_shadow_needed_layers($0.baseAddress, $0.count, 1), cs_ascii_shadow_needed_layers($0.baseAddress, $0.count, 0))
            }
            #expect(v == b, "\(text)")
            seen |= b
        }
        #expect(seen == 7)
    }

    @Test func rulesShadowEqualsReferenceShadowOnAccentedEmojiAndLeetMessages() throws {
        let rules = RuleKitRules(try CompiledRuleSet(try RuleLoader.load(paths: [Self.rulesDir])))
        var rng = SeededRandom(seed: 99)
        for _ in 0..<2000 {
            let text = Self.randomText(&rng)
            for k in rules.compiled.normalisers.indices {
                let fast = text.withUnsafeBytes { rules.shadow(normaliser: k, text: $0) } ?? text
                let slow = text.withUnsafeBytes { rules.referenceShadow(normaliser: k, text: $0) } ?? text
                #expect(fast == slow)
            }
        }
    }

    @Test func accentedLettersEmojiAndInvisiblesAreHandledWithoutFallback() throws {
        let n = Normaliser(layers: NormaliseLayer.allCases)
        let w = ShadowWriter.writers(for: [n])[0]
        for s in ["Zoë said CAFÉ r\u{0430}pe 😂👍🏽", "Óscar → Lukasz: s . l . a . p\u{200B}!!", "ＲＡＰＥ\u{FEFF} n00b 🇦🇧 ❤️", "ok"] {
            #expect(Self.check(Array(s.utf8), w, n), "\(s) fell back")
        }
        #expect(Array("ZOË".utf8).withUnsafeBytes { w.write($0) } == .changed(Array("zoe".utf8)))
    }

    @Test func malformedUTF8AndUnhandledScalarsFallBack() {
        let n = Normaliser(layers: NormaliseLayer.allCases)
        let w = ShadowWriter.writers(for: [n])[0]
        for bytes: [UInt8] in [[0x61, 0xC3], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0x80], [0xF8, 0x61], [0xE2, 0x82]] {
            #expect(bytes.withUnsafeBytes { w.write($0) } == .notHandled)
        }
        // A combining mark, a tag character, Hangul jamo (they compose with each other), Devanagari, a kana with a
        // combining voiced mark, a halfwidth kana with its voiced mark.
        for s in ["e\u{0301}", "\u{E0067}", "\u{1100}\u{1161}", "क", "д\u{0306}", "か\u{3099}", "ｶﾞ"] {
            #expect(Array(s.utf8).withUnsafeBytes { w.write($0) } == .notHandled, "\(s.debugDescription)")
        }
        // A text with more distinct non-ASCII characters than the letters path has placeholders.
        let many = (0x0400..<0x0400 + 140).map { String(Unicode.Scalar(UInt32($0))!) }.joined(separator: " ")
        #expect(Array(many.utf8).withUnsafeBytes { w.write($0) } == .notHandled)
    }

    /// Words in the scripts whose letters the writer keeps as letters, with the shapes the byte layers look for.
    static let scriptPieces: [String] = [
        "дура", "ДУРА", "Дура", "д у р а", "д.у.р.а", "д-у-р-а", "д•у•р•а", "д😂у😂р😂а", "д,у,р,а", "дуууура", "ДДДД", "д0м", "сук@", "х3р", "шлюха",
        "ё", "Ё", "й", "ß", "STRAẞE", "łódź", "Ł", "ø", "æ", "þ", "ð", "ı", "ǅ", "ŉ",
        "λ", "Λ", "σ", "Σ", "ς", "αβγ", "ΑΒΓ", "λ.λ.λ", "ωωωω", "ά", "ἀ", "µ",
        "ש", "שלום", "ש ל ו ם", "ب", "كلب", "ك.ل.ب", "աբգ", "Աբգ",
        "中文", "你好", "中 文 字", "中.文.字", "好好好好", "ひらがな", "カタカナ", "ｶﾀｶﾅ", "ー", "한국어", "한 국 어", "ㅋㅋㅋ", "ガ",
        "ქართული", "Ⴀ", "ა.ბ.გ", "ሰላም", "ሰ ላ ም", "ⴀ", "Việt Nam", "đệệệ", "ố.ị.ư", "Ỳ",
        "ﬀ", "ﻻ", "ﺏ", "Ⱥ", "ⱥ", "ɐ", "ʰ", "ʼ", "\u{1E9E}", "ḁ", "ṕ",
    ]

    static func scriptText(_ rng: inout SeededRandom) -> [UInt8] {
        var s = ""
        for _ in 0..<rng.int(0...14) {
            s += rng.chance(0.6) ? rng.pick(scriptPieces) : rng.pick(pieces)
            if rng.chance(0.3) { s += rng.pick([" ", ".", "-", " "]) }
        }
        return Array(s.utf8)
    }

    @Test func writerEqualsReferenceOnNonLatinLettersForEveryLayerSubset() throws {
        var rng = SeededRandom(seed: 1917)
        let all = NormaliseLayer.allCases
        var handled = 0, total = 0
        var lists = (0..<(1 << all.count)).map { mask in all.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element) }
        lists += try CompiledRuleSet(try RuleLoader.load(paths: [Self.rulesDir])).normalisers.map(\.layers)
        for layers in lists {
            let n = Normaliser(layers: layers)
            let w = ShadowWriter.writers(for: [n])[0]
            for _ in 0..<200 {
                total += 1
                if Self.check(Self.scriptText(&rng), w, n) { handled += 1 }
            }
        }
        // Texts with a combining mark, CJK, a ligature of two letters or the like still fall back (a text of 14
        // pieces often holds one); about half are handled (not vacuous).
        #expect(handled * 100 >= total * 45, "handled \(handled) of \(total)")
    }

    @Test func nonLatinLettersCountAsOneLetterInTheByteLayers() {
        let n = Normaliser(layers: NormaliseLayer.allCases)
        let w = ShadowWriter.writers(for: [n])[0]
        for s in ["д.у.р.а", "Д У Р А", "дуууура", "с у к @", "λ-λ-λ", "ש ל ו ם", "сук@ блять", "łódź", "ДДДД"] {
            #expect(Self.check(Array(s.utf8), w, n), "\(s) fell back")
        }
        // Mostly letters without a Latin look-alike (у, р, а and capital Б become y, p, a and b; the leet 0 is o).
        #expect(Array("Д.Л.Б.Ж".utf8).withUnsafeBytes { w.write($0) } == .changed(Array("длbж".utf8)))
        #expect(Array("ЖЖЖЖЛ".utf8).withUnsafeBytes { w.write($0) } == .changed(Array("жжл".utf8)))
        #expect(Array("ж0лб".utf8).withUnsafeBytes { w.write($0) } == .changed(Array("жoлб".utf8)))
    }
}
