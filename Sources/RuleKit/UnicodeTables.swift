import Foundation

/// Per-scalar results of Foundation's Unicode normalisation for the blocks chat text uses most (Latin-1,
/// Latin Extended-A/B, Greek, Cyrillic, Latin Extended Additional), computed once on first use, so the hot path
/// does not call Foundation for every accented letter.
enum UnicodeTables {
    static let ranges: [ClosedRange<UInt32>] = [0x00A0...0x024F, 0x0370...0x04FF, 0x1E00...0x1EFF]

    static func covered(_ v: UInt32) -> Bool { ranges.contains { $0.contains(v) } }

    /// NFKC of single scalars in the covered ranges, only where it differs from the scalar.
    static let nfkc: [UInt32: [Unicode.Scalar]] = {
        var t: [UInt32: [Unicode.Scalar]] = [:]
        for r in ranges {
            for v in r {
                guard let s = Unicode.Scalar(v) else { continue }
                let out = Array(String(Character(s)).precomposedStringWithCompatibilityMapping.unicodeScalars)
                if out != [s] { t[v] = out }
            }
        }
        return t
    }()

    /// Base ASCII letter of a letter with diacritics (canonical decomposition starts with an ASCII letter).
    static let diacriticBase: [UInt32: Unicode.Scalar] = {
        var t: [UInt32: Unicode.Scalar] = [:]
        for r in ranges {
            for v in r {
                guard let s = Unicode.Scalar(v), s.properties.isAlphabetic else { continue }
                let d = String(Character(s)).decomposedStringWithCanonicalMapping.unicodeScalars
                if d.count > 1, let base = d.first, base.value < 0x80, base.properties.isAlphabetic { t[v] = base }
            }
        }
        return t
    }()

    /// NFKC of one cluster (a base scalar and its combining marks).
    static func nfkc(_ cluster: [Unicode.Scalar]) -> [Unicode.Scalar] {
        if cluster.count == 1, covered(cluster[0].value) { return nfkc[cluster[0].value] ?? cluster }
        var v = String.UnicodeScalarView(); v.append(contentsOf: cluster)
        return Array(String(v).precomposedStringWithCompatibilityMapping.unicodeScalars)
    }

    /// The ASCII base of a letter with diacritics, if it has one.
    static func base(_ s: Unicode.Scalar) -> Unicode.Scalar? {
        if covered(s.value) { return diacriticBase[s.value] }
        guard s.properties.isAlphabetic else { return nil }
        let d = String(Character(s)).decomposedStringWithCanonicalMapping.unicodeScalars
        if d.count > 1, let b = d.first, b.value < 0x80 { return b }
        return nil
    }
}
