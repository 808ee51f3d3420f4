import Foundation
/// What a bytes-only shadow writer (the scan engine's prefilter text) does with each non-ASCII scalar under one
/// normaliser, derived from the reference normaliser itself so the writer's bytes equal `Normaliser.normalise`:
///
/// * `keep`: the scalar is inert (`Normaliser.isInert`: emoji, most symbols); it goes through unchanged and later
///   layers see it as opaque bytes, as on the byte fast path.
/// * ASCII text (0–3 bytes): the scalar is context-free under the normaliser's Unicode layers (`nfkc`,
///   `strip_invisible`, `confusables`, `casefold`) and comes out as plain ASCII (`é`→`e`, `Ａ`→`a`, U+200D → nothing),
///   so the byte layers that follow treat it like typed ASCII.
/// * a letter: the scalar comes out as one non-ASCII letter (`д`, `Д`→`д`, `ß`, `ł`, `λ`, `ש`, `中`, `カ`) of a
///   script whose letters never combine with a neighbouring letter under NFKC (`letterScripts`: Latin, IPA, Greek,
///   Cyrillic, Armenian, Hebrew, Arabic, Georgian, Ethiopic, kana, CJK ideographs, Hangul syllables); the writer
///   copies that letter and its byte layers count it as one letter, as the reference's layers do.
/// * a separator: a dot, bullet or emoji (`Units.isSeparatorUncached`) the Unicode layers leave alone; the writer copies it
///   and its byte layers count it as a separator, as the reference's `separators` layer does.
/// * anything else (combining marks, Indic and other scripts, Hangul jamo): the writer must give up and the caller
///   uses the reference normaliser.
///
/// Layout for C: `blocks[v >> 8]` (v < `limit`) is a block number, `entries[block * 256 + (v & 0xFF)]` an entry:
/// 0 = give up, `keepEntry` = keep, `separatorEntry` = separator, `letterKind` in the low byte with the letter's 2-3
/// UTF-8 bytes in bytes 1...3, otherwise `1 + k` in the low byte and k ASCII bytes in bytes 1...k.
public struct ShadowScalarTable: Sendable {
    public static let limit: UInt32 = 0x20000
    public static let keepEntry: UInt32 = 0xFF
    /// Low byte of a letter entry (`CS_SHADOW_LETTER`).
    public static let letterKind: UInt32 = 0xFE
    /// A separator the Unicode layers leave alone (`CS_SHADOW_SEPARATOR`: a dot, bullet or emoji).
    public static let separatorEntry: UInt32 = 0xFD
    /// Where a letter entry's letter may lie: scripts whose letters compose under NFKC only with a following
    /// combining mark (which the writer gives up on), never with a neighbouring letter as Hangul jamo do: Latin,
    /// IPA, Greek, Cyrillic, Armenian, Hebrew, Arabic, Georgian, Ethiopic, kana (without the voiced sound marks), CJK
    /// ideographs and Hangul syllables (whose partners under NFKC, the trailing jamo, give up).
    static let letterScripts: [ClosedRange<UInt32>] = [
        0x00C0...0x02FF, 0x0370...0x03FF, 0x0400...0x052F, 0x0531...0x058F, 0x05D0...0x05F2, 0x0620...0x06FF,
        0x10A0...0x10FF, 0x1200...0x137F, 0x1E00...0x1FFF, 0x2D00...0x2D2F, 0x3041...0x3096, 0x309D...0x309F,
        0x30A1...0x30FA, 0x30FC...0x30FF, 0x4E00...0x9FFF, 0xAC00...0xD7A3,
    ]
    public let blocks: [UInt16]
    public let entries: [UInt32]

    /// The blocks (of 256 scalars) whose inert scalars `InertScalars` keeps as bits: Latin, Greek, Cyrillic,
    /// punctuation, symbols, dingbats, letterlike and enclosed forms, presentation and fullwidth forms,
    /// mathematical letters, emoji.
    static let inertBlocks: [ClosedRange<UInt32>] = [
        0x00...0x2F, 0xA7...0xA7, 0xFB...0xFF, 0x1D4...0x1D7, 0x1F0...0x1FB,
    ]

    /// Scalar ranges worth a table: `inertBlocks`, plus kana, CJK ideographs and Hangul syllables (letters the
    /// writer copies); other blocks give up.
    static let coveredBlocks: [ClosedRange<UInt32>] = inertBlocks + [0x30...0x30, 0x4E...0x9F, 0xAC...0xD7]

    /// The table for the Unicode layers of `layers` (the byte layers do not change it).
    public init(layers: [NormaliseLayer]) {
        let unicode = Normaliser(layers: layers.filter { [.nfkc, .stripInvisible, .confusables, .casefold].contains($0) })
        var blocks = [UInt16](repeating: 0, count: Int(ShadowScalarTable.limit >> 8))
        var entries = [UInt32](repeating: 0, count: 256)   // block 0: give up everywhere
        // Each covered block is worked out on its own (about 0.4 ms of Foundation normalisation per block, 28 ms for
        // all of them on one core), spread over the cores; the table is then assembled in block order.
        let covered = ShadowScalarTable.coveredBlocks.flatMap { Array($0) }
        let computed = Parallel.map(covered) { block in
            (0..<256).map { low in ShadowScalarTable.entry(UInt32(block << 8 | UInt32(low)), unicode) }
        }
        for (block, e) in zip(covered, computed) where !e.allSatisfy({ $0 == 0 }) {
            blocks[Int(block)] = UInt16(entries.count / 256)
            entries += e
        }
        self.blocks = blocks
        self.entries = entries
    }

    /// A table from the arrays another table held (`blocks`, `entries`), or nil when they do not fit the layout:
    /// one block number per 256 scalars below `limit`, each naming a whole block of `entries`.
    public init?(blocks: [UInt16], entries: [UInt32]) {
        guard blocks.count == Int(ShadowScalarTable.limit >> 8), !entries.isEmpty, entries.count % 256 == 0,
              blocks.allSatisfy({ Int($0) < entries.count / 256 }) else { return nil }
        self.blocks = blocks
        self.entries = entries
    }

    /// The entry for scalar `v` under the Unicode-layer normaliser `unicode`.
    static func entry(_ v: UInt32, _ unicode: Normaliser) -> UInt32 {
        guard v >= 0x80, let s = Unicode.Scalar(v) else { return 0 }
        if Normaliser.isInert(s) { return keepEntry }
        if Units.isSeparatorUncached(s) {
            // Copied as itself when the Unicode layers leave it alone; otherwise mapped like any other scalar.
            var text = String(Character(s))
            let out = text.withUTF8 { unicode.normalise(UnsafeRawBufferPointer($0)).bytes }
            if out.elementsEqual(text.utf8) { return separatorEntry }
        }
        let p = s.properties
        // Only scalars that stand alone (no clustering with a neighbour, no mark rules) and that some layer can map
        // (letters with diacritics only in the blocks `UnicodeTables` precomputes: elsewhere the lookup would call
        // Foundation per letter, and a scalar left out merely falls back).
        guard p.canonicalCombiningClass.rawValue == 0, p.generalCategory != .nonspacingMark,
              p.generalCategory != .spacingMark, p.generalCategory != .enclosingMark else { return 0 }
        let layers = unicode.layers
        let candidate = (layers.contains(.nfkc) && p.changesWhenNFKCCaseFolded)
            || (layers.contains(.stripInvisible) && Units.isInvisible(v))
            || (layers.contains(.confusables) && (Confusables.map(s) != nil
                                                 || (UnicodeTables.covered(v) && UnicodeTables.base(s) != nil)))
            || (layers.contains(.casefold) && p.changesWhenLowercased)
        // A letter of `letterScripts` that no layer changes may still be one the writer copies as a letter.
        let letter = p.isAlphabetic && letterScripts.contains { $0.contains(v) }
        guard candidate || letter else { return 0 }
        var text = String(Character(s))
        let out = text.withUTF8 { unicode.normalise(UnsafeRawBufferPointer($0)).bytes }
        if candidate, out.count <= 3, out.count <= UTF8.width(s), out.allSatisfy({ $0 < 0x80 }) {
            var e = UInt32(1 + out.count)
            for (k, b) in out.enumerated() { e |= UInt32(b) << (8 * UInt32(k + 1)) }
            return e
        }
        return letterEntry(out, from: s)
    }

    /// The letter entry for `s`, whose text after the Unicode layers is `out`, or 0 (give up) unless `out` is one
    /// letter of `letterScripts` no longer in UTF-8 than `s`.
    static func letterEntry(_ out: [UInt8], from s: Unicode.Scalar) -> UInt32 {
        guard out.count >= 2, out.count <= 3, out.count <= UTF8.width(s) else { return 0 }
        let scalars = Array(String(decoding: out, as: UTF8.self).unicodeScalars)
        guard scalars.count == 1, let letter = scalars.first, letter.properties.isAlphabetic,
              letterScripts.contains(where: { $0.contains(letter.value) }) else { return 0 }
        var e = letterKind
        for (k, b) in out.enumerated() { e |= UInt32(b) << (8 * UInt32(k + 1)) }
        return e
    }

    /// The entry for scalar `v` (0 = give up), as the C writer reads it.
    public func entry(for v: UInt32) -> UInt32 {
        guard v < ShadowScalarTable.limit else { return 0 }
        return entries[Int(blocks[Int(v >> 8)]) * 256 + Int(v & 0xFF)]
    }
}
