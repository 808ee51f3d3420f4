import Testing
@testable import RuleKit

/// The per-scalar table the engine's bytes-only shadow writer uses, and the cached inert check.
@Suite struct ShadowScalarTableTests {
    /// The ASCII text of an entry, nil for "give up" and "keep".
    func ascii(_ e: UInt32) -> String? {
        guard e != 0, e != ShadowScalarTable.keepEntry, e & 0xFF != ShadowScalarTable.letterKind else { return nil }
        let k = Int(e & 0xFF) - 1
        return String(decoding: (0..<k).map { UInt8(truncatingIfNeeded: e >> (8 * UInt32($0 + 1))) }, as: UTF8.self)
    }

    /// The letter of a letter entry, nil for any other entry.
    func letter(_ e: UInt32) -> String? {
        guard e & 0xFF == ShadowScalarTable.letterKind else { return nil }
        return String(decoding: (1...3).map { UInt8(truncatingIfNeeded: e >> (8 * UInt32($0))) }.filter { $0 != 0 }, as: UTF8.self)
    }

    @Test func accentedConfusableFullwidthAndInvisibleScalarsMapToASCIIUnderAllLayers() {
        let t = ShadowScalarTable(layers: [.nfkc, .stripInvisible, .confusables, .casefold])
        #expect(ascii(t.entry(for: 0xE9)) == "e")        // é
        #expect(ascii(t.entry(for: 0xC9)) == "e")        // É
        #expect(ascii(t.entry(for: 0x0430)) == "a")      // Cyrillic а
        #expect(ascii(t.entry(for: 0x03BF)) == "o")      // Greek ο
        #expect(ascii(t.entry(for: 0xFF32)) == "r")      // fullwidth Ｒ
        #expect(ascii(t.entry(for: 0x200D)) == "")       // zero-width joiner: removed
        #expect(ascii(t.entry(for: 0x202F)) == " ")      // narrow no-break space: NFKC space
        #expect(t.entry(for: 0x1F602) == ShadowScalarTable.separatorEntry)   // 😂: may stand between spelled-out letters
        #expect(t.entry(for: 0xFE0F) == ShadowScalarTable.separatorEntry)    // emoji variation selector
        #expect(t.entry(for: 0x2022) == ShadowScalarTable.separatorEntry)    // • bullet
        #expect(t.entry(for: 0x20AC) == ShadowScalarTable.keepEntry)         // € goes through unchanged
        #expect(letter(t.entry(for: 0xDF)) == "ß")       // ß stays a non-ASCII letter
        #expect(letter(t.entry(for: 0x0141)) == "ł")     // Ł casefolds to ł after the confusables layer
        #expect(letter(t.entry(for: 0x0434)) == "д")     // Cyrillic д: no look-alike, stays itself
        #expect(letter(t.entry(for: 0x0414)) == "д")     // Д casefolds to д
        #expect(letter(t.entry(for: 0x03BB)) == "λ")     // Greek λ
        #expect(letter(t.entry(for: 0xB5)) == "μ")       // micro sign: NFKC case folding gives Greek μ
        #expect(t.entry(for: 0x0301) == 0)               // combining mark: depends on its neighbour
        #expect(letter(t.entry(for: 0x4E2D)) == "中")     // CJK ideograph
        #expect(letter(t.entry(for: 0xFF76)) == "カ")     // halfwidth katakana: NFKC gives the katakana letter
        #expect(t.entry(for: 0xFF9E) == 0)               // halfwidth voiced mark: NFKC gives a combining mark
        #expect(letter(t.entry(for: 0xD55C)) == "한")     // Hangul syllable
        #expect(t.entry(for: 0x0E01) == 0)               // Thai: not among the letter scripts
        #expect(ascii(t.entry(for: 0x1EC7)) == "e")      // Vietnamese ệ: its base letter, outside UnicodeTables' blocks
        #expect(letter(t.entry(for: 0x10D0)) == "ა")     // Georgian
        #expect(letter(t.entry(for: 0x10A0)) == "ⴀ")     // Georgian capital: casefolds to the small letter
        #expect(t.entry(for: 0x1100) == 0)               // Hangul jamo: composes with the next jamo under NFKC
        #expect(t.entry(for: 0xFFA1) == 0)               // halfwidth Hangul: NFKC gives a jamo
        #expect(t.entry(for: 0x0915) == 0)               // Devanagari: not among the letter scripts
    }

    @Test func entriesFollowTheLayersPresent() {
        let caseOnly = ShadowScalarTable(layers: [.casefold])
        #expect(letter(caseOnly.entry(for: 0xE9)) == "é") // é stays é: a non-ASCII letter
        #expect(caseOnly.entry(for: 0x200D) == 0)        // ZWJ: kept by the reference, but not inert (it is invisible)
        let confusablesOnly = ShadowScalarTable(layers: [.confusables])
        #expect(ascii(confusablesOnly.entry(for: 0xC9)) == "E")
        #expect(ascii(confusablesOnly.entry(for: 0x200B)) == nil)   // not stripped without strip_invisible
    }

    @Test func inertBitsReadFromAnyTableEqualTheBitsWorkedOutFromUnicodeProperties() {
        let computed = InertScalars.computed()
        #expect(computed.contains { ($0 ?? 0) != 0 })
        for layers: [NormaliseLayer] in [[.casefold], [.confusables], [.nfkc, .stripInvisible, .confusables, .casefold], [.stripInvisible]] {
            let derived = InertScalars.derived(from: ShadowScalarTable(layers: layers))
            #expect(derived.count == computed.count)
            let differing = zip(derived, computed).enumerated().filter { $0.element.0 != $0.element.1 }.map { $0.offset << 6 }
            #expect(differing.isEmpty, "\(layers): words at U+\(differing.prefix(4).map { String($0, radix: 16) })")
        }
    }

    @Test func cachedInertCheckAgreesWithUnicodeProperties() {
        for v in stride(from: UInt32(0x80), to: 0x20000, by: 7) {
            guard let s = Unicode.Scalar(v) else { continue }
            #expect(Normaliser.isInert(s) == Normaliser.isInertUncached(s), "U+\(String(v, radix: 16))")
        }
    }
}
