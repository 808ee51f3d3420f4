import CScanKernels

/// The "skeleton" of a text: a lossy normal form used only to find candidates for obfuscation-tolerant patterns
/// (letter-substitution classes like `[a4@]+`, optional separators like `s\W?l\W?a\W?p`), which have no literal in
/// the raw text and make Hyperscan run slow NFAs. Every character maps to one lower-case letter, digit or `_`, or
/// is deleted; runs of the same output character are squeezed to one.
///
/// A pattern gets skeleton literals when any text it matches must, once skeletonised, contain one of them
/// (`SkeletonExtractor`); the literals are then found with Hyperscan's literal matchers over the skeleton buffer,
/// and PCRE2 confirms the candidate messages on their raw text as always. The skeleton buffers are written by the C
/// kernels in `CScanKernels` from `tablePointers`; the tests hold the character-by-character definition.
public enum SkeletonKind: Int, Codable, Sendable, CaseIterable {
    /// Digits and the symbols `@ $ ! | +` read as letters (`4`→a, `@`→a, `$`→s, ...); all other non-word characters deleted.
    case leet = 0
    /// Digits read as letters; every non-word character (including `@ $ !`) deleted.
    case plain = 1

    /// Output byte for each input byte below 0x80; 0 means deleted.
    static let tables: [[UInt8]] = SkeletonKind.allCases.map { kind in
        (0..<128).map { b -> UInt8 in
            switch b {
            case 65...90: return UInt8(b + 32)
            case 97...122, 95: return UInt8(b)
            case 48...57: return Array("oi2eas6tbg".utf8)[b - 48]
            default:
                guard kind == .leet else { return 0 }
                switch b {
                case 0x40: return 0x61   // @ a
                case 0x24: return 0x73   // $ s
                case 0x21: return 0x69   // ! i
                case 0x7C: return 0x6C   // | l
                case 0x2B: return 0x74   // + t
                default: return 0
                }
            }
        }
    }

    /// Image of one character: an output byte, or nil when deleted. The two non-ASCII characters that PCRE2 folds
    /// onto ASCII letters (KELVIN SIGN, LONG S) map to those letters.
    func image(_ v: UInt32) -> UInt8? {
        if v < 128 { let o = SkeletonKind.tables[rawValue][Int(v)]; return o == 0 ? nil : o }
        if v == 0x212A { return 0x6B }
        if v == 0x17F { return 0x73 }
        return nil
    }

    /// Which loop writes the skeletons on this processor (`--profile`, benchmark notes): the figures of a run depend on it.
    public static var writerDescription: String {
        switch cs_skeleton_vectorised() {
        case 2: return "AVX-512 VBMI2, 64-byte blocks"
        case 1: return "AVX2, 32-byte blocks"
        default: return "scalar"
        }
    }

    /// The tables as raw pointers (allocated once, never freed) for the hot loop.
    static let tablePointers: [UnsafeMutablePointer<UInt8>] = tables.map { t in
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 128)
        p.initialize(from: t, count: 128)
        return p
    }
}

/// Derives skeleton literals from a `PatternNode` tree (see `SkeletonKind`).
struct SkeletonExtractor {
    let kind: SkeletonKind
    static let maxSet = 64
    static let maxClassImages = 4

    /// `exact`: the sub-pattern's skeleton is exactly one of these strings (before squeezing);
    /// `required`: every match's skeleton contains one of these (already squeezed).
    /// `bridge`: a repeat `x+` of a small set S of output letters: a run ends with one of S and a new run starts with
    /// one of S (the last repetition), since the squeezed skeleton of the repeat itself is not one string.
    struct Info { var exact: [[UInt8]]?; var required: [[UInt8]]?; var bridge: [[UInt8]]? = nil }

    static func squeeze(_ s: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for b in s where out.last != b { out.append(b) }
        return out
    }

    static func quality(_ set: [[UInt8]]) -> Int { (set.map(\.count).min() ?? 0) * 1000 - set.count }

    static func finish(_ set: [[UInt8]]) -> [[UInt8]] { Array(Set(set.map(squeeze))).sorted { $0.lexicographicallyPrecedes($1) } }

    /// The best literal set for the whole pattern, squeezed, or nil.
    func literals(_ n: PatternNode) -> [[UInt8]]? {
        let i = info(n)
        let cands = [i.exact.map(SkeletonExtractor.finish), i.required].compactMap { $0 }.filter { !$0.isEmpty }
        return cands.max { SkeletonExtractor.quality($0) < SkeletonExtractor.quality($1) }
    }

    /// Images of a set of code points given as ranges (nil member = deleted). KELVIN SIGN and LONG S are left out:
    /// the writer reads them as k and s, so a set such as `\W` that holds them could also leave a k or an s, and
    /// spacing-tolerant patterns would need every spelling with a k or an s in every gap (the 42 rules of the benchmark
    /// set's plain skeleton had 987 literals). Literals are derived for texts without them instead; a text that holds
    /// one is a candidate for every skeleton rule (the writer flags it, `cs_skeleton_gathered`).
    func images(_ ranges: [ClosedRange<UInt32>]) -> Set<UInt8?> {
        var out = Set<UInt8?>()
        for r in ranges {
            if r.lowerBound <= 127 { for v in r.lowerBound...min(r.upperBound, 127) { out.insert(kind.image(v)) } }
            if r.upperBound >= 128 {
                let lo = max(r.lowerBound, 128)
                if !(lo...r.upperBound).allSatisfy({ $0 == 0x212A || $0 == 0x17F }) { out.insert(nil) }
            }
        }
        return out
    }

    func charSet(_ imgs: Set<UInt8?>) -> Info {
        guard imgs.count <= SkeletonExtractor.maxClassImages else { return Info(exact: nil, required: nil) }
        return Info(exact: imgs.map { $0.map { [$0] } ?? [] }, required: nil)
    }

    func info(_ n: PatternNode) -> Info {
        switch n {
        case .empty, .anchor, .lookaround, .wordBoundary: return Info(exact: [[]], required: nil)
        case .char(let c, let ci):
            var rs: [ClosedRange<UInt32>] = [c.value...c.value]
            if ci { rs = Emitter.caseClosure(rs) }
            return charSet(images(rs))
        case .charClass(let ranges, let shorthands, let negated, let ci):
            var rs = ci ? Emitter.caseClosure(ranges) : ranges
            for s in shorthands { rs += Emitter.shorthandRanges(s) }
            if negated { rs = Emitter.complement(rs) }
            return charSet(images(rs))
        case .shorthand(let c): return charSet(images(Emitter.shorthandRanges(c)))
        case .group(let x, _): return info(x)
        case .repeatNode(let x, let lo, let hi):
            let i = info(x)
            guard let e = i.exact else { return Info(exact: nil, required: lo >= 1 ? i.required : nil) }
            let single = e.allSatisfy { $0.count <= 1 }
            let letters = Set(e.filter { !$0.isEmpty })
            if single && (letters.count <= 1 || hi == 1) {
                // Squeezing makes x{1,} of one output letter the same as x.
                return Info(exact: lo == 0 ? Array(Set(e + [[]])) : e, required: nil)
            }
            if hi == 1 { return Info(exact: lo == 0 ? Array(Set(e + [[]])) : e, required: nil) }
            if single && lo >= 1 && !e.contains([]) { return Info(exact: nil, required: best(i), bridge: e) }
            return Info(exact: nil, required: lo >= 1 ? best(i) : nil)
        case .alternation(let xs):
            let infos = xs.map(info)
            if infos.allSatisfy({ $0.exact != nil }) {
                let u = Array(Set(infos.flatMap { $0.exact! }))
                if u.count <= SkeletonExtractor.maxSet { return Info(exact: u, required: nil) }
            }
            var union: [[UInt8]] = []
            for i in infos { guard let b = best(i) else { return Info(exact: nil, required: nil) }; union += b }
            return union.count <= SkeletonExtractor.maxSet ? Info(exact: nil, required: Array(Set(union))) : Info(exact: nil, required: nil)
        case .sequence(let xs):
            var run: [[UInt8]] = [[]]
            var cands: [[[UInt8]]] = []
            var allExact = true
            for x in xs {
                let i = info(x)
                if let e = i.exact, run.count * e.count <= SkeletonExtractor.maxSet {
                    run = Array(Set(run.flatMap { a in e.map { a + $0 } }))
                    continue
                }
                allExact = false
                if let b = i.bridge, run.count * b.count <= SkeletonExtractor.maxSet {
                    cands.append(SkeletonExtractor.finish(run.flatMap { a in b.map { a + $0 } }))
                    run = b
                    continue
                }
                cands.append(SkeletonExtractor.finish(run))
                if let e = i.exact { run = e } else { run = [[]]; if let b = i.required { cands.append(b) } }
            }
            if allExact { return Info(exact: run, required: nil) }
            cands.append(SkeletonExtractor.finish(run))
            return Info(exact: nil, required: cands.filter { !$0.isEmpty }.max { SkeletonExtractor.quality($0) < SkeletonExtractor.quality($1) })
        default: return Info(exact: nil, required: nil)
        }
    }

    func best(_ i: Info) -> [[UInt8]]? {
        let cands = [i.exact.map(SkeletonExtractor.finish), i.required].compactMap { $0 }.filter { !$0.isEmpty }
        return cands.max { SkeletonExtractor.quality($0) < SkeletonExtractor.quality($1) }
    }

    /// A Hyperscan expression matching one skeleton literal exactly.
    static func expression(_ lit: [UInt8]) -> String {
        lit.map { b in (b >= 97 && b <= 122) || (b >= 48 && b <= 57) ? String(UnicodeScalar(b)) : "\\x" + (b < 16 ? "0" : "") + String(b, radix: 16) }.joined()
    }
}
