import Foundation
import Synchronization

/// A message text after normalisation (the "shadow" text), with a map from every shadow byte back to the
/// original bytes, so a match found in the shadow is reported at its place in the original.
public struct NormalisedText: Sendable {
    /// The shadow text as UTF-8 bytes.
    public let bytes: [UInt8]
    /// The layers this text was produced with.
    public let layers: [NormaliseLayer]
    /// Byte length of the original text.
    public let originalLength: Int
    /// For each shadow byte: index of the unit (output character) it belongs to.
    let unitOfByte: [Int32]
    let unitStart: [Int32]
    let unitEnd: [Int32]
    /// Layers that changed the unit itself (bit = layer order).
    let unitMask: [UInt8]
    /// Layers that removed characters between this unit and the previous one.
    let unitJoin: [UInt8]
    /// The layers that changed something, in pipeline order.
    public let changed: [NormaliseLayer]
    /// The text after each layer that changed something (only when asked for with `recordStages`; for `explain`).
    public let stages: [(layer: NormaliseLayer, text: String)]
    /// True when the `separators` layer joined `a` or `i`, one space and a spelled-out word (`such a f a g` ->
    /// `such afag`): the text has a second reading with that letter kept apart (`Normaliser.secondReading`).
    public var hasSecondReading = false

    public var text: String { String(decoding: bytes, as: UTF8.self) }
    /// True when the shadow text is byte-identical to the original (no layer changed anything).
    public var isIdentity: Bool { changed.isEmpty }

    /// The original byte range that the shadow byte range `r` came from.
    public func originalRange(ofShadow r: Range<Int>) -> Range<Int> {
        if r.isEmpty {
            let p = r.lowerBound < bytes.count ? Int(unitStart[Int(unitOfByte[r.lowerBound])]) : originalLength
            return p..<p
        }
        let a = Int(unitStart[Int(unitOfByte[r.lowerBound])])
        let b = Int(unitEnd[Int(unitOfByte[r.upperBound - 1])])
        return a..<max(a, b)
    }

    /// Layers that changed bytes inside the shadow range `r` (in pipeline order).
    public func steps(inShadow r: Range<Int>) -> [NormaliseLayer] {
        guard !r.isEmpty else { return [] }
        var bits: UInt8 = 0
        let first = Int(unitOfByte[r.lowerBound]), last = Int(unitOfByte[r.upperBound - 1])
        for u in first...last {
            bits |= unitMask[u]
            if u > first { bits |= unitJoin[u] }
        }
        return NormaliseLayer.allCases.filter { bits & (1 << UInt8($0.order)) != 0 }
    }
}

/// Turns a message text into its shadow text for rules that opt into normalisation layers (see rules/SCHEMA.md).
/// Immutable and thread-safe.
public struct Normaliser: Sendable, Hashable {
    public let layers: [NormaliseLayer]

    public init(layers: [NormaliseLayer]) { self.layers = Array(Set(layers)).sorted() }

    /// Cheap byte scan: false guarantees that `normalise` would return the text unchanged (identity map), so the
    /// raw bytes can be matched directly. True means it may change.
    ///
    /// With `ignoringCase`, upper-case ASCII letters are not counted: false then guarantees that the shadow text
    /// is the raw text with A–Z lowered and the same offsets, so a caseless search of the raw bytes finds
    /// exactly what a caseless search of the shadow finds.
    public func mayChange(_ bytes: UnsafeRawBufferPointer, ignoringCase: Bool = false) -> Bool {
        Normaliser.mayChange(bytes, layers: layers, ignoringCase: ignoringCase)
    }

    /// A non-ASCII scalar that no layer changes and that is not a letter (emoji, most symbols and punctuation):
    /// the byte fast path can carry it through as opaque bytes.
    static func isInert(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < InertScalars.limit, let word = InertScalars.bits[Int(v >> 6)] { return word & (1 << (v & 63)) != 0 }
        return isInertUncached(s)
    }

    /// `isInert` from the Unicode properties (what `InertScalars` caches).
    static func isInertUncached(_ s: Unicode.Scalar) -> Bool {
        let p = s.properties
        // Dots, bullets and emoji may be dropped by the `separators` layer (their variation selectors too).
        if s.value >= 0x80 && Units.isSeparatorUncached(s) { return false }
        if (0xFE00...0xFE0D).contains(s.value) { return true }          // variation selectors: NFKC-stable
        return !p.isAlphabetic && p.canonicalCombiningClass.rawValue == 0 && !p.changesWhenNFKCCaseFolded
            && !Units.isInvisible(s.value) && Confusables.map(s) == nil && p.generalCategory != .nonspacingMark
            && !p.changesWhenLowercased
    }

    /// Decodes the scalar starting at byte `i` (valid UTF-8) and returns it with its length.
    static func scalar(at i: Int, in bytes: UnsafeRawBufferPointer) -> (Unicode.Scalar, Int)? {
        let b0 = UInt32(bytes[i])
        let len = UTF8Scan.scalarLength(lead: bytes[i])
        guard i + len <= bytes.count else { return nil }
        var v: UInt32
        switch len {
        case 2: v = b0 & 0x1F
        case 3: v = b0 & 0x0F
        case 4: v = b0 & 0x07
        default: return Unicode.Scalar(b0).map { ($0, 1) }
        }
        for k in 1..<len { v = (v << 6) | (UInt32(bytes[i + k]) & 0x3F) }
        return Unicode.Scalar(v).map { ($0, len) }
    }

    /// True when every non-ASCII scalar of the text is inert, so the byte fast path applies.
    static func onlyInertNonASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        while i < bytes.count {
            if bytes[i] < 0x80 { i += 1; continue }
            guard let (s, len) = scalar(at: i, in: bytes), isInert(s) else { return false }
            i += len
        }
        return true
    }

    public static func mayChange(_ bytes: UnsafeRawBufferPointer, layers: [NormaliseLayer], ignoringCase: Bool = false) -> Bool {
        if layers.isEmpty { return false }
        let casefold = layers.contains(.casefold) && !ignoringCase, leet = layers.contains(.leet)
        let seps = layers.contains(.separators), repeats = layers.contains(.collapseRepeats)
        let n = bytes.count
        var singleRun = 0       // consecutive single-letter tokens joined by separators
        var i = 0
        while i < n {
            let b = bytes[i]
            if b >= 0x80 {
                guard let (s, len) = scalar(at: i, in: bytes), isInert(s) else { return true }
                singleRun = 0
                i += len; continue
            }
            let alpha = ASCII.isLetter(b)
            if casefold && b >= 65 && b <= 90 { return true }
            if leet && ASCII.isLeet(b) && ((i > 0 && ASCII.isLetter(bytes[i - 1])) || (i + 1 < n && ASCII.isLetter(bytes[i + 1]))) {
                return true
            }
            if repeats && alpha && i + 2 < n && bytes[i + 1] | 0x20 == b | 0x20 && bytes[i + 2] | 0x20 == b | 0x20 { return true }
            if seps && (alpha || ASCII.isLeet(b)) {
                func glyph(_ k: Int) -> Bool { ASCII.isLetter(bytes[k]) || ASCII.isLeet(bytes[k]) }
                let single = (i == 0 || !glyph(i - 1)) && (i + 1 == n || !glyph(i + 1))
                if single {
                    singleRun += 1
                    if singleRun >= 3 { return true }
                    var j = i + 1
                    while j < n && j - i <= 3 && ASCII.isSeparator(bytes[j]) { j += 1 }
                    if j == i + 1 || j >= n || !glyph(j) { singleRun = 0 }
                    i = j; continue
                } else { singleRun = 0 }
            }
            i += 1
        }
        return false
    }

    public func normalise(_ text: String, recordStages: Bool = false) -> NormalisedText {
        var t = text
        return t.withUTF8 { normalise(UnsafeRawBufferPointer($0), recordStages: recordStages) }
    }

    /// Normalises valid UTF-8 bytes.
    public func normalise(_ bytes: UnsafeRawBufferPointer, recordStages: Bool = false) -> NormalisedText {
        normalise(bytes, recordStages: recordStages, secondReading: false)
    }

    /// The second reading of valid UTF-8 bytes, or nil when there is none (`hasSecondReading` of `normalise`):
    /// the `separators` layer keeps a single `a` or `i` before a spelled-out word apart, as a word of its own
    /// (`such a f a g` -> `such a fag`, `i r a p e d` -> `i raped`), where the first reading joins it to the word
    /// (`a r s e` -> `arse`). Rules run on both readings (see rules/SCHEMA.md).
    public func secondReading(_ bytes: UnsafeRawBufferPointer, recordStages: Bool = false) -> NormalisedText? {
        guard layers.contains(.separators) else { return nil }
        let s = normalise(bytes, recordStages: recordStages, secondReading: true)
        return s.hasSecondReading ? s : nil
    }

    private func normalise(_ bytes: UnsafeRawBufferPointer, recordStages: Bool, secondReading: Bool) -> NormalisedText {
        if takesBytePath(bytes) {
            return normaliseASCII(bytes, recordStages, secondReading: secondReading)
        }
        var u = Units(bytes)
        u.secondReading = secondReading
        var stages: [(NormaliseLayer, String)] = []
        var changedLayers: [NormaliseLayer] = []
        for layer in layers where u.apply(layer) {
            changedLayers.append(layer)
            if recordStages { stages.append((layer, u.text)) }
        }
        return u.finish(layers: layers, changed: changedLayers, stages: stages, originalLength: bytes.count)
    }

    /// The shadow bytes of valid UTF-8 `bytes` alone (`normalise(bytes).bytes`, without the offset maps a match
    /// needs, for the prefilter), or nil when no layer changes anything.
    public func shadowBytes(_ bytes: UnsafeRawBufferPointer) -> [UInt8]? { shadowBytesAndSecondReading(bytes).bytes }

    /// `shadowBytes`, and whether the text has a second reading (`NormalisedText.hasSecondReading`).
    public func shadowBytesAndSecondReading(_ bytes: UnsafeRawBufferPointer) -> (bytes: [UInt8]?, hasSecondReading: Bool) {
        if takesBytePath(bytes) {
            let s = normaliseASCII(bytes, false)
            return (s.isIdentity ? nil : s.bytes, s.hasSecondReading)
        }
        var u = Units(bytes, maps: false)
        var changed = false
        for layer in layers where u.apply(layer) { changed = true }
        return (changed ? u.utf8 : nil, u.hasSecondReading)
    }

    /// Tests set this to compare the byte fast path with the general path.
    var forceGeneralPath = false

    /// Whether `bytes` go the byte fast path: ASCII, possibly with inert non-ASCII scalars.
    private func takesBytePath(_ bytes: UnsafeRawBufferPointer) -> Bool {
        !forceGeneralPath && (!bytes.contains(where: { $0 >= 0x80 }) || Normaliser.onlyInertNonASCII(bytes))
    }

    /// The byte fast path: ASCII text, possibly with inert non-ASCII scalars carried through as opaque bytes.
    func normaliseASCII(_ bytes: UnsafeRawBufferPointer, _ recordStages: Bool, secondReading: Bool = false) -> NormalisedText {
        var u = ASCIIUnits(bytes)
        u.secondReading = secondReading
        var stages: [(NormaliseLayer, String)] = []
        var changedLayers: [NormaliseLayer] = []
        for layer in layers {
            let changed: Bool
            switch layer {
            case .nfkc, .stripInvisible, .confusables: changed = false   // no effect on ASCII
            case .casefold: changed = u.casefold()
            case .separators: changed = u.separators()
            case .leet: changed = u.leet()
            case .collapseRepeats: changed = u.collapseRepeats()
            }
            if changed { changedLayers.append(layer); if recordStages { stages.append((layer, u.text)) } }
        }
        return u.finish(layers: layers, changed: changedLayers, stages: stages, originalLength: bytes.count)
    }

    /// The identity "normalisation" (no layers): shadow = original.
    public static func identity(_ bytes: UnsafeRawBufferPointer) -> NormalisedText {
        Normaliser(layers: []).normalise(bytes)
    }
}

/// `Normaliser.isInert` precomputed (once, on first use) for the blocks chat text uses most, one bit per scalar,
/// so the per-message checks do not look up Unicode properties for every emoji or accented letter. Working the bits
/// out costs about 2 ms of Unicode property lookups; a shadow scalar table (usually read from the engine's cache)
/// holds the same answers, so when one is offered before the first use the bits are read from it instead.
public enum InertScalars {
    static let limit: UInt32 = 0x20000
    /// Per 64 scalars below `limit`: the inert bits, or nil when the block is not precomputed.
    static let bits: [UInt64?] = offered.withLock { $0 } ?? computed()
    private static let offered = Mutex<[UInt64?]?>(nil)

    /// The bits from the Unicode properties.
    static func computed() -> [UInt64?] {
        words { v in Unicode.Scalar(v).map(Normaliser.isInertUncached) == true }
    }

    /// The bits read from `table`: whatever its layers, a scalar from U+0080 up in a covered block is `keep` there
    /// exactly when it is inert (`ShadowScalarTable.entry` asks `isInert` first); the ASCII words are worked out.
    static func derived(from table: ShadowScalarTable) -> [UInt64?] {
        words { v in
            v < 0x80 ? Unicode.Scalar(v).map(Normaliser.isInertUncached) == true
                     : table.entry(for: v) == ShadowScalarTable.keepEntry
        }
    }

    /// One word of 64 bits per 64 scalars of `ShadowScalarTable.inertBlocks` (nil elsewhere), a bit set where
    /// `inert` holds for the scalar value.
    private static func words(_ inert: (UInt32) -> Bool) -> [UInt64?] {
        var words = [UInt64?](repeating: nil, count: Int(limit >> 6))
        for block in ShadowScalarTable.inertBlocks.joined() {
            for w in Int(block << 2)..<Int(block << 2 + 4) {
                var word: UInt64 = 0
                for k in 0..<64 where inert(UInt32(w << 6 + k)) { word |= 1 << UInt64(k) }
                words[w] = word
            }
        }
        return words
    }

    /// Offers `table`'s answers for the first use of `bits` (ignored once `bits` is set, or after an earlier offer).
    public static func offer(_ table: ShadowScalarTable) {
        offered.withLock { if $0 == nil { $0 = derived(from: table) } }
    }
}

/// Byte classes shared by the scans over ASCII text.
enum ASCII {
    static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 97 && (b | 0x20) <= 122 }
    static func isLeet(_ b: UInt8) -> Bool {
        switch b { case 0x30, 0x31, 0x33, 0x34, 0x35, 0x37, 0x38, 0x40, 0x24, 0x21, 0x2B, 0x7C: true; default: false }
    }
    /// ASCII separators of the `separators` layer: space and `. - _ * / , : ; ~ = # ^ \`.
    static func isSeparator(_ b: UInt8) -> Bool {
        switch b {
        case 0x20, 0x2E, 0x2D, 0x5F, 0x2A, 0x2F, 0x2C, 0x3A, 0x3B, 0x7E, 0x3D, 0x23, 0x5E, 0x5C: true
        default: false
        }
    }
}
