import Testing
@testable import RuleKit

/// Every field the normaliser returns (shadow bytes, each unit's original range, change and join marks, the layers
/// that changed something, the recorded stages), for thousands of generated texts in many scripts, folded into one
/// digest pinned from the normaliser as it was before its layers learnt to work in place. Any change in any field of
/// any output changes the digest.
@Suite struct NormaliserDigestTests {
    /// Pieces the texts are made of: ASCII letters, digits, leet symbols and separators; Cyrillic, Greek and Latin
    /// letters that are confusable or carry diacritics; case specials (sharp s, dotted and dotless i, DZ digraphs);
    /// compatibility forms (fullwidth, ligatures, Roman numerals, circled digits, script letters); combining marks;
    /// invisible characters; emoji with modifiers and joiners; Arabic, CJK and Hangul jamo.
    static let pieces: [String] = [
        "a", "b", "c", "e", "i", "k", "l", "o", "p", "s", "t", "x", "A", "K", "L", "S", "T", "0", "1", "3", "4", "5", "7",
        "8", "2", "9", "@", "$", "!", "|", "+", ".", "-", "_", "*", "/", " ", "  ", "\t",
        "а", "е", "о", "р", "с", "х", "і", "к", "л", "и", "д", "ж", "Д", "Р", "У", "Г", "й", "ё",
        "α", "ο", "ρ", "τ", "ν", "Κ", "Α", "Λ", "Ω", "ώ",
        "á", "é", "ö", "ñ", "ç", "ø", "ł", "ß", "ẞ", "İ", "ı", "Ǆ", "ǅ", "ǆ", "Ǉ", "ǉ",
        "Ａ", "ｋ", "ｉ", "ｌ", "ﬁ", "ﬃ", "Ⅻ", "①", "ℓ", "ℌ", "㎏", "ｶ", "ﾀ",
        "\u{301}", "\u{308}", "\u{327}", "\u{306}", "\u{30A}",
        "\u{200B}", "\u{AD}", "\u{2060}", "\u{FEFF}", "\u{200D}", "\u{202E}",
        "👍", "🏽", "👨", "👩", "🎉", "🍺",
        "مرحبا", "ك", "日本", "語", "\u{1100}", "\u{1161}", "\u{11A8}", "ʟ", "ɪ", "ѕ", "υ", "ӏ",
    ]

    /// Layer sets as rules name them: the shipped packs' full set, and smaller ones.
    static let layerSets: [[NormaliseLayer]] = [
        [.nfkc, .stripInvisible, .confusables, .casefold, .separators, .leet, .collapseRepeats],
        [.casefold, .leet],
        [.confusables, .casefold],
        [.nfkc, .casefold, .collapseRepeats],
        [.stripInvisible, .separators],
        [.nfkc],
    ]

    /// `count` texts of 1-24 pieces from a seeded generator, with runs of one piece and separator chains.
    static func texts(_ count: Int, seed: UInt64) -> [String] {
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var out: [String] = []
        for _ in 0..<count {
            var text = ""
            let length = 1 + Int(next() % 24)
            for _ in 0..<length {
                let r = next()
                let piece = pieces[Int(r % UInt64(pieces.count))]
                // Now and then a run of one piece (repeats) or a separator chain of single letters (`k.i.l.l`).
                switch (r >> 32) % 16 {
                case 0: text += String(repeating: piece, count: 2 + Int((r >> 40) % 4))
                case 1: text += [piece, ".", pieces[Int((r >> 40) % 12)], ".", piece].joined()
                default: text += piece
                }
            }
            out.append(text)
        }
        return out
    }

    /// The normalisers of `layerSets`, each also forced onto the general path (texts of ASCII too).
    static var normalisers: (fast: [Normaliser], general: [Normaliser]) {
        let fast = layerSets.map { Normaliser(layers: $0) }
        var general = fast
        for k in general.indices { general[k].forceGeneralPath = true }
        return (fast, general)
    }

    static func digest(texts count: Int, seed: UInt64) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ v: UInt64) { for k in 0..<8 { h = (h ^ ((v >> (8 * UInt64(k))) & 0xFF)) &* 0x100_0000_01B3 } }
        let (normalisers, general) = Self.normalisers
        for (t, text) in texts(count, seed: seed).enumerated() {
            let n = (t % 3 == 0 ? general : normalisers)[t % normalisers.count]
            let out = Array(text.utf8).withUnsafeBytes { n.normalise($0, recordStages: t % 2 == 0) }
            mix(UInt64(out.bytes.count))
            for b in out.bytes { mix(UInt64(b)) }
            for v in out.unitOfByte { mix(UInt64(UInt32(bitPattern: v))) }
            for (s, e) in zip(out.unitStart, out.unitEnd) { mix(UInt64(UInt32(bitPattern: s)) << 32 | UInt64(UInt32(bitPattern: e))) }
            for (m, j) in zip(out.unitMask, out.unitJoin) { mix(UInt64(m) << 8 | UInt64(j)) }
            mix(UInt64(out.unitStart.count))
            for l in out.changed { mix(UInt64(l.order)) }
            for stage in out.stages { mix(UInt64(stage.layer.order)); for b in stage.text.utf8 { mix(UInt64(b)) } }
            mix(UInt64(out.originalLength))
            // The second reading, where there is one (mixed only then, so texts without one keep their digest).
            if out.hasSecondReading, let second = Array(text.utf8).withUnsafeBytes({ n.secondReading($0) }) {
                mix(0x5EC0_4D)
                for b in second.bytes { mix(UInt64(b)) }
                for (s, e) in zip(second.unitStart, second.unitEnd) { mix(UInt64(UInt32(bitPattern: s)) << 32 | UInt64(UInt32(bitPattern: e))) }
            }
        }
        return h
    }

    @Test func illFormedUTF8BecomesOneReplacementCharacterPerBadByteWithItsOwnRange() {
        // The scan hands over valid UTF-8 only; other callers' bytes are repaired, not trusted.
        var n = Normaliser(layers: [.casefold])
        n.forceGeneralPath = true
        let bytes: [UInt8] = [0x41, 0xFF, 0xD0, 0x94, 0xE2, 0x82, 0x42]
        let out = bytes.withUnsafeBytes { n.normalise($0) }
        // A, FF, Д, a sequence cut short (E2 82), B: each bad byte one U+FFFD of its own range.
        #expect(out.text == "a\u{FFFD}д\u{FFFD}\u{FFFD}b")
        #expect(out.originalRange(ofShadow: 0..<1) == 0..<1)
        #expect(out.originalRange(ofShadow: 1..<4) == 1..<2)
        #expect(out.originalRange(ofShadow: 4..<6) == 2..<4)
        #expect(out.originalRange(ofShadow: 6..<9) == 4..<5)
        #expect(out.originalRange(ofShadow: 9..<12) == 5..<6)
        #expect(out.originalRange(ofShadow: 12..<13) == 6..<7)
        #expect(bytes.withUnsafeBytes { n.shadowBytes($0) } == out.bytes)
    }

    @Test func eachLayersOrderIsItsPlaceInThePipeline() {
        #expect(NormaliseLayer.allCases.map(\.order) == Array(0..<NormaliseLayer.allCases.count))
    }

    @Test func shadowBytesAloneEqualTheFullOutputsBytesAndAreNilExactlyWhenNoLayerChangedAnything() {
        let (fast, general) = Self.normalisers
        var mismatches = 0, unchanged = 0
        for (t, text) in Self.texts(6000, seed: 3).enumerated() {
            for n in [fast[t % fast.count], general[t % general.count]] {
                let (full, alone) = Array(text.utf8).withUnsafeBytes { (n.normalise($0), n.shadowBytes($0)) }
                if full.isIdentity { unchanged += 1 }
                if (alone == nil) != full.isIdentity || (alone ?? Array(text.utf8)) != full.bytes { mismatches += 1 }
            }
        }
        #expect(mismatches == 0)
        // Both kinds occur.
        #expect(unchanged > 500 && unchanged < 11_500)
    }

    @Test func everyFieldOfTheNormalisersOutputsForGeneratedTextsInManyScriptsIsAsPinned() {
        #expect(Self.digest(texts: 6000, seed: 1) == 525_790_609_428_649_554)
        #expect(Self.digest(texts: 6000, seed: 2) == 5_184_428_378_557_948_577)
    }
}
