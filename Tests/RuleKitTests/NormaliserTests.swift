import Testing
@testable import RuleKit

@Suite struct NormaliserTests {
    /// Normalises `text` and returns the shadow text and the original substring behind the shadow substring `sub`.
    func shadow(_ text: String, _ layers: [NormaliseLayer], find sub: String? = nil) -> (String, String?) {
        let n = Normaliser(layers: layers).normalise(text)
        guard let sub, let r = n.text.range(of: sub) else { return (n.text, nil) }
        let lo = n.text.utf8.distance(from: n.text.startIndex, to: r.lowerBound)
        let hi = lo + sub.utf8.count
        let o = n.originalRange(ofShadow: lo..<hi)
        return (n.text, String(decoding: Array(text.utf8)[o], as: UTF8.self))
    }

    @Test func leetInsideWordsMapsBackToOriginalBytes() {
        let (s, orig) = shadow("i'd h4ppily r4pe u", [.leet], find: "rape")
        #expect(s == "i'd happily rape u")
        #expect(orig == "r4pe")
        #expect(shadow("f@g n1gg3r $hit d!ck", [.leet]).0 == "fag nigger shit dick")
    }

    @Test func leetLeavesNumbersTimesAndOrdinalsAlone() {
        #expect(shadow("at 5pm on the 4th, 1st of 2024, 10am b4 90s hi!", [.leet]).0
                == "at 5pm on the 4th, 1st of 2024, 10am b4 90s hi!")
    }

    @Test func spacedLettersAreJoinedAndSpanCoversTheSeparators() {
        let (s, orig) = shadow("gonna r a p e her, s.l.a.p it", [.separators], find: "rape")
        #expect(s == "gonna rape her, slap it")
        #expect(orig == "r a p e")
        #expect(shadow("a b is fine", [.separators]).0 == "a b is fine")
    }

    @Test func repeatedLettersCollapseToTwoAndMapToTheWholeRun() {
        let (s, orig) = shadow("i will kiiiiilllll you", [.collapseRepeats], find: "kiill")
        #expect(s == "i will kiill you")
        #expect(orig == "kiiiiilllll")
        #expect(shadow("cool 2000 bees", [.collapseRepeats]).0 == "cool 2000 bees")
    }

    @Test func zeroWidthAndBidiCharactersAreStripped() {
        let text = "ra\u{200B}p\u{00AD}e\u{202E} you"
        let (s, orig) = shadow(text, [.stripInvisible], find: "rape")
        #expect(s == "rape you")
        #expect(orig == "ra\u{200B}p\u{00AD}e")
        let n = Normaliser(layers: [.stripInvisible]).normalise(text)
        #expect(n.steps(inShadow: 0..<4) == [.stripInvisible])
    }

    @Test func fullWidthAndMathLettersFoldUnderNFKC() {
        let (s, orig) = shadow("ｒａｐｅ and 𝔡𝔞𝔪𝔫", [.nfkc], find: "rape")
        #expect(s == "rape and damn")
        #expect(orig == "ｒａｐｅ")
    }

    @Test func cyrillicLookAlikesBecomeASCIIWithOriginalSpan() {
        let text = "I will \u{0433}\u{0430}\u{0440}\u{0435} you"   // Cyrillic г а р е
        let (s, orig) = shadow(text, [.confusables], find: "rape")
        #expect(s == "I will rape you")
        #expect(orig == "\u{0433}\u{0430}\u{0440}\u{0435}")
        #expect(shadow("r\u{E1}p\u{E9}", [.confusables]).0 == "rape")
    }

    @Test func casefoldLowersUnicodeLetters() {
        #expect(shadow("ÉMILE RAPE", [.casefold]).0 == "émile rape")
    }

    @Test func layersCombineInCanonicalOrderAndRecordStages() {
        let text = "I'D H4PPILY R\u{200B}4\u{200B}P\u{200B}E U"
        let n = Normaliser(layers: [.collapseRepeats, .leet, .casefold, .stripInvisible]).normalise(text, recordStages: true)
        #expect(n.text == "i'd happily rape u")
        #expect(n.stages.map(\.layer) == [.stripInvisible, .casefold, .leet])
        #expect(n.stages[0].text == "I'D H4PPILY R4PE U")
    }

    @Test func mayChangeFalseGuaranteesIdentity() {
        let layers = NormaliseLayer.allCases
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("abcAB 4@3!.-*_05 xyz\u{e9}'😂’")
        for _ in 0..<3000 {
            let s = String((0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            var t = s
            let may = t.withUTF8 { Normaliser.mayChange(UnsafeRawBufferPointer($0), layers: layers) }
            if !may {
                let n = Normaliser(layers: layers).normalise(s)
                #expect(n.isIdentity && n.text == s, "mayChange said no for \(s)")
            }
            let mayBeyondCase = t.withUTF8 { Normaliser.mayChange(UnsafeRawBufferPointer($0), layers: layers, ignoringCase: true) }
            if !mayBeyondCase {
                let n = Normaliser(layers: layers).normalise(s)
                let lowered = s.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
                #expect(n.bytes == lowered, "ignoringCase said no for \(s)")
                #expect((0...n.bytes.count).allSatisfy { n.originalRange(ofShadow: 0..<$0) == 0..<$0 })
            }
        }
        var symbols = "just € plain ± words ¶ here’s"
        #expect(!symbols.withUTF8 { Normaliser.mayChange(UnsafeRawBufferPointer($0), layers: layers) })
        // Emoji may separate spelled-out letters (`k😂i😂l😂l`): not inert, so the check cannot rule them out.
        var emoji = "just 😂😂 plain words"
        #expect(emoji.withUTF8 { Normaliser.mayChange(UnsafeRawBufferPointer($0), layers: layers) })
        var upper = "Just Plain"
        #expect(upper.withUTF8 { Normaliser.mayChange(UnsafeRawBufferPointer($0), layers: layers) })
        #expect(!upper.withUTF8 { Normaliser.mayChange(UnsafeRawBufferPointer($0), layers: layers, ignoringCase: true) })
        var plain = "just some plain words here"
        #expect(!plain.withUTF8 { Normaliser.mayChange(UnsafeRawBufferPointer($0), layers: layers) })
    }
}

@Suite struct ASCIIFastPathTests {
    @Test func asciiFastPathAgreesWithGeneralPathOnRandomText() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("abkiIAB 4@31!.-*_0578+|$ xyzzz'269😂👍🏽’❤️")
        let layerSets: [[NormaliseLayer]] = [NormaliseLayer.allCases, [.leet], [.separators, .collapseRepeats], [.casefold, .leet]]
        for _ in 0..<1500 {
            let s = String((0..<Int.random(in: 0...16, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            for layers in layerSets {
                let fast = Normaliser(layers: layers)
                var slow = Normaliser(layers: layers)
                slow.forceGeneralPath = true
                let a = fast.normalise(s, recordStages: true), b = slow.normalise(s, recordStages: true)
                #expect(a.bytes == b.bytes, "\(s) \(layers)")
                #expect(a.stages.map(\.text) == b.stages.map(\.text), "\(s)")
                guard a.bytes == b.bytes else { continue }
                var mismatch: Range<Int>?
                // Compare at character boundaries (PCRE2 matches in UTF mode never split a character).
                let bounds = [0] + a.text.unicodeScalars.reduce(into: [Int]()) { acc, s in acc.append((acc.last ?? 0) + UTF8.width(s)) }
                for lo in bounds {
                    for hi in bounds where hi >= lo && mismatch == nil {
                        if a.originalRange(ofShadow: lo..<hi) != b.originalRange(ofShadow: lo..<hi)
                            || a.steps(inShadow: lo..<hi) != b.steps(inShadow: lo..<hi) { mismatch = lo..<hi }
                    }
                }
                #expect(mismatch == nil, "\(s) \(layers) differs at \(String(describing: mismatch))")
            }
        }
    }
}

@Suite struct UnicodeTextTests {
    @Test func emojiAndOtherScriptsPassThroughWithExactOffsets() {
        let text = "lol 😂😂 I'd r4pe u 👍🏽 ок"
        let n = Normaliser(layers: NormaliseLayer.allCases).normalise(text)
        #expect(n.text == "lol 😂😂 i'd rape u 👍🏽 ok")
        let s = Array(n.text.utf8)
        let lo = s.firstIndex(of: UInt8(ascii: "r"))!
        let o = n.originalRange(ofShadow: lo..<(lo + 4))
        #expect(String(decoding: Array(text.utf8)[o], as: UTF8.self) == "r4pe")
    }

    @Test func nfkcMapsEveryCompatibilityFormItKnows() {
        let n = Normaliser(layers: [.nfkc])
        #expect(n.normalise("ﬁne ｋｉｌｌ ²").text == "fine kill 2")
        #expect(n.normalise("😂 déjà vu").text == "😂 déjà vu")
        #expect(Array(n.normalise("de\u{301}ja\u{300}").text.unicodeScalars) == Array("d\u{e9}j\u{e0}".unicodeScalars))
    }
}

@Suite struct DocumentedExamplesTests {
    @Test func leetExamplesFromTheSchemaHold() {
        let n = Normaliser(layers: [.leet])
        let cases = ["h0e": "hoe", "ra7": "rat", "$lut": "slut", "|ame": "lame", "s+ab": "stab", "5hit": "shit",
                     "@ss": "ass", "d!ck": "dick", "cun+": "cun+", "hi!": "hi!", "5pm": "5pm", "b4": "b4"]
        for (input, want) in cases { #expect(n.normalise(input).text == want, "\(input)") }
    }

    @Test func separatorAndAsteriskExamplesFromTheSchemaHold() {
        let n = Normaliser(layers: [.separators, .leet])
        #expect(n.normalise("s*l*a*p n*gger f*g").text == "slap n*gger f*g")
        #expect(n.normalise("s.l.a.p r 4 p e").text == "slap rape")
        #expect(Normaliser(layers: [.confusables]).normalise("\u{433}\u{430}\u{440}\u{435} r\u{E1}\u{1E55}\u{E9}").text == "rape rape")
    }

    @Test func dotsBulletsEmojiAndPunctuationBetweenSpelledOutLettersAreSeparators() {
        let n = Normaliser(layers: NormaliseLayer.allCases)
        for s in ["k•i•l•l", "k·i·l·l", "k😂i😂l😂l", "k❤️i❤️l❤️l", "k👍🏽i👍🏽l👍🏽l", "k,i,l,l", "k:i:l:l", "k;i;l;l",
                  "k~i~l~l", "k=i=l=l", "k#i#l#l", "k^i^l^l", "k\\i\\l\\l", "k • i • l • l", "k★i★l★l"] {
            let out = n.normalise(s)
            #expect(out.text == "kill", "\(s)")
            #expect(out.changed.contains(.separators), "\(s)")
            #expect(out.originalRange(ofShadow: 0..<4) == 0..<s.utf8.count, "\(s)")
        }
        // The same separator all along the chain, and separators only between single letters.
        #expect(n.normalise("k😂i❤️l😂l").text == "k😂i❤️l😂l")
        #expect(n.normalise("lol 😂 so 😂 funny").text == "lol 😂 so 😂 funny")
        #expect(n.normalise("4:30, ok").text == "4:30, ok")
        // A pair too short to join leaves its last letter free to start the next chain: a single-letter word
        // before a spelled-out one.
        #expect(n.normalise("of the i 😍 r a p e joke").text == "of the i 😍 rape joke")
        #expect(n.normalise("u, r a p e joke").text == "u, rape joke")
        #expect(n.normalise("such a f.a.g").text == "such a fag")
        #expect(n.normalise("give her a b·a·c·k·h·a·n·d·e·r").text == "give her a backhander")
        #expect(Normaliser(layers: [.separators]).normalise("x.y r a p e").text == "x.yrape")
        // Without the layer an emoji is just an emoji.
        #expect(Normaliser(layers: [.casefold, .leet]).normalise("k😂i😂l😂l").text == "k😂i😂l😂l")
    }

    @Test func aSingleAOrIBeforeASpelledOutWordHasASecondReadingThatKeepsItApart() throws {
        let n = Normaliser(layers: NormaliseLayer.allCases)
        func readings(_ s: String) -> (String, String?) {
            var t = s
            return t.withUTF8 { b in
                let raw = UnsafeRawBufferPointer(b)
                let first = n.normalise(raw)
                let second = n.secondReading(raw)
                #expect(first.hasSecondReading == (second != nil), "\(s)")
                return (first.text, second?.text)
            }
        }
        #expect(readings("stop being such a f a g") == ("stop being such afag", "stop being such a fag"))
        #expect(readings("you're a c u n t") == ("you're acunt", "you're a cunt"))
        #expect(readings("I r a p e d her") == ("iraped her", "i raped her"))
        #expect(readings("a r s e") == ("arse", "a rse"))
        #expect(readings("café, such a f a g") == ("cafe, such afag", "cafe, such a fag"))   // not the byte path
        // No second reading: another separator, too few letters after the `a`, or another first letter.
        #expect(readings("such a f.a.g") == ("such a fag", nil))
        #expect(readings("a b c") == ("abc", nil))
        #expect(readings("u r a p e") == ("urape", nil))
        #expect(readings("a  f a g") == ("a  fag", nil))
        #expect(Array("a f a g".utf8).withUnsafeBytes { Normaliser(layers: [.casefold, .leet]).secondReading($0) } == nil)
        // The second reading's offsets lead back to the original letters.
        let text = "such a f a g"
        let second = try #require(Array(text.utf8).withUnsafeBytes { n.secondReading($0) })
        #expect(second.originalRange(ofShadow: 7..<10) == 7..<12)
    }

    @Test func aLetterJoinedByAnApostropheToAnotherIsPartOfAWordNotASpelledOutLetter() {
        let n = Normaliser(layers: NormaliseLayer.allCases)
        // `x` (a kiss), `u` and `I'm`: three single letters between spaces, but `I` is half of a contraction.
        #expect(n.normalise("love u x I'm going to kill you").text == "love u x i'm going to kill you")
        #expect(n.normalise("see u x I’ll batter her").text == "see u x i’ll batter her")
        #expect(n.normalise("café: u x I’ll").text == "cafe: u x i’ll")    // a letter: not the byte path
        #expect(n.normalise("don't u x").text == "don't u x")
        #expect(n.normalise("it's a b c").text == "it's abc")
        // The letters of a spelled-out word after a contraction still join.
        #expect(n.normalise("I'm a f a g g o t").text == "i'm afaggot")
        #expect(n.normalise("he's k i l l e d").text == "he's killed")
        // An apostrophe with no glyph on its other side does not hold a letter back.
        #expect(n.normalise("r a p e 'n' stuff").text == "rape 'n' stuff")
        #expect(n.normalise("'r a p e'").text == "'rape'")
        #expect(Normaliser(layers: [.separators]).normalise("x I'm").text == "x I'm")
    }
}
