/// The looser forms derived from one PCRE2 pattern: a Hyperscan expression that matches at least everything the
/// pattern matches (when one can be written safely), and required literal atoms (any match contains one of them).
struct DerivedPrefilter: Equatable {
    /// Hyperscan expression for `HS_FLAG_UTF8` (plus `HS_FLAG_CASELESS` when `caseless`), or nil when the pattern's
    /// semantics cannot be mirrored safely (Unicode properties, UCP, caseless non-ASCII, recursion, ...).
    var expression: String?
    var caseless: Bool
    /// Why `expression` is nil (for `--profile` and lint).
    var unsafeReason: String?
    /// Hyperscan expressions, one per required atom; empty when no atom of at least two characters exists.
    var atoms: [String]
    /// The pattern had back-references (never compile those with HS_FLAG_PREFILTER).
    var hadBackReferences: Bool
    /// Length of the shortest required raw literal (0 when there is none): how well Hyperscan can accelerate it.
    var rawLiteralLength: Int
    /// The parsed pattern, for skeleton literal extraction.
    var tree: PatternNode
}

/// Derives prefilter forms from PCRE2 pattern text. Pure and deterministic.
enum PrefilterDeriver {
    static let maxAtomSet = 64

    /// `text`: the forms for raw text, or for text whose whitespace runs were collapsed to one space (shadow texts,
    /// see `CollapsedWhitespace`).
    static func derive(pattern: String, modes: PatternModes, ucp: Bool, text: PrefilterText = .raw) -> DerivedPrefilter {
        var parser = PatternParser(pattern)
        let parsed = parser.parse(modes: modes)
        // Case mode is decided on the pattern as written: the rewrite only adds spaces and case-closed classes.
        let uniform = Emitter(groups: parser.groups).uniformCaseless(parsed)
        let (root, groups) = text.collapsesWhitespace
            ? CollapsedWhitespace(literalSpaces: text == .shadow).rewrite(parsed, groups: parser.groups)
            : (parsed, parser.groups)
        var emitter = Emitter(groups: groups)
        emitter.globalCaseless = uniform ?? false
        var expr: String? = nil
        var reason: String? = nil
        if let r = parser.opaqueReasons.first {
            reason = r
        } else if ucp {
            reason = "PCRE2_UCP semantics"
        } else {
            expr = emitter.emit(root, depth: 0)
            if expr == nil { reason = emitter.failure ?? "not representable" }
        }
        let info = AtomExtractor(groups: groups).info(root)
        var atoms: [String] = []
        let minLen = info.best.flatMap { $0.map(\.count).min() } ?? 0
        if let set = info.best, minLen >= 2 {
            atoms = set.map { Emitter.emitAtom($0) }
        }
        return DerivedPrefilter(expression: expr, caseless: emitter.globalCaseless, unsafeReason: reason,
                                atoms: Array(Set(atoms)).sorted(), hadBackReferences: emitter.sawBackReference || pattern.contains("\\g") || pattern.contains("\\k"),
                                rawLiteralLength: minLen, tree: root)
    }
}

/// One character of a literal atom.
struct AtomChar: Hashable {
    var scalar: Unicode.Scalar
    var caseless: Bool
}

/// Writes a `PatternNode` tree as a Hyperscan expression with the same (or looser) meaning.
struct Emitter {
    let groups: [Int: PatternNode]
    var globalCaseless = false
    var failure: String?
    var sawBackReference = false
    /// Emitting a copy of a group for a caseless back-reference: every element gets its case closure.
    var foldAll = false

    init(groups: [Int: PatternNode]) { self.groups = groups }

    /// True when every case-sensitive element is caseless, false when none is, nil when mixed.
    func uniformCaseless(_ n: PatternNode) -> Bool? {
        var seenOn = false, seenOff = false
        func walk(_ n: PatternNode) {
            switch n {
            case .char(let c, let ci):
                if c.properties.changesWhenCaseMapped { if ci { seenOn = true } else { seenOff = true } }
            case .charClass(_, _, _, let ci): if ci { seenOn = true } else { seenOff = true }
            case .sequence(let xs), .alternation(let xs): xs.forEach(walk)
            case .group(let x, _), .repeatNode(let x, _, _): walk(x)
            default: break
            }
        }
        walk(n)
        if seenOn && seenOff { return nil }
        return seenOn
    }

    static let surrogateFree: [ClosedRange<UInt32>] = [0...0xD7FF, 0xE000...0x10FFFF]

    static func shorthandRanges(_ c: Character) -> [ClosedRange<UInt32>] {
        switch c {
        case "w": return [48...57, 65...90, 95...95, 97...122]
        case "d": return [48...57]
        case "s": return [9...13, 32...32]
        case "h": return [9...9, 32...32, 0xA0...0xA0, 0x1680...0x1680, 0x180E...0x180E, 0x2000...0x200A,
                          0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000]
        case "v": return [10...13, 0x85...0x85, 0x2028...0x2029]
        default: return complement(shorthandRanges(Character(c.lowercased())))
        }
    }

    static func normalise(_ rs: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        let sorted = rs.sorted { $0.lowerBound < $1.lowerBound }
        var out: [ClosedRange<UInt32>] = []
        for r in sorted {
            if let last = out.last, r.lowerBound <= last.upperBound &+ 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else { out.append(r) }
        }
        return out
    }

    static func complement(_ rs: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var out: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for r in normalise(rs) {
            if r.lowerBound > next { out.append(next...(r.lowerBound - 1)) }
            next = r.upperBound + 1
        }
        if next <= 0x10FFFF { out.append(next...0x10FFFF) }
        return out
    }

    static func removeSurrogates(_ rs: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var out: [ClosedRange<UInt32>] = []
        for r in rs {
            if r.upperBound < 0xD800 || r.lowerBound > 0xDFFF { out.append(r); continue }
            if r.lowerBound < 0xD800 { out.append(r.lowerBound...0xD7FF) }
            if r.upperBound > 0xDFFF { out.append(0xE000...r.upperBound) }
        }
        return out
    }

    /// Adds the other case of ASCII letters, and the two non-ASCII characters PCRE2 folds onto ASCII letters in UTF
    /// mode (U+212A KELVIN SIGN with k, U+017F LONG S with s), in both directions.
    static func caseClosure(_ rs: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var out = rs
        func has(_ v: UInt32) -> Bool { rs.contains { $0.contains(v) } }
        for r in rs {
            let lo = max(r.lowerBound, 65), hi = min(r.upperBound, 90)
            if lo <= hi { out.append((lo + 32)...(hi + 32)) }
            let lo2 = max(r.lowerBound, 97), hi2 = min(r.upperBound, 122)
            if lo2 <= hi2 { out.append((lo2 - 32)...(hi2 - 32)) }
        }
        if has(0x6B) || has(0x4B) || has(0x212A) { out += [0x4B...0x4B, 0x6B...0x6B, 0x212A...0x212A] }
        if has(0x73) || has(0x53) || has(0x17F) { out += [0x53...0x53, 0x73...0x73, 0x17F...0x17F] }
        return normalise(out)
    }

    static func classText(_ rs: [ClosedRange<UInt32>]) -> String {
        var t = "["
        for r in normalise(removeSurrogates(rs)) {
            t += hex(r.lowerBound)
            if r.upperBound != r.lowerBound { t += "-" + hex(r.upperBound) }
        }
        return t + "]"
    }

    static func hex(_ v: UInt32) -> String { "\\x{" + String(v, radix: 16) + "}" }

    static func charText(_ c: Unicode.Scalar) -> String {
        let v = c.value
        if (v >= 48 && v <= 57) || (v >= 65 && v <= 90) || (v >= 97 && v <= 122) { return String(c) }
        return hex(v)
    }

    /// A caseless character as Hyperscan text: plain under a global caseless flag, otherwise a class of its cases.
    func caselessChar(_ c: Unicode.Scalar) -> String? {
        let v = c.value
        if v >= 0x80 && c.properties.changesWhenCaseMapped { return nil }   // Unicode folding: not mirrored
        let closure = Emitter.caseClosure([v...v])
        if closure.count == 1 && closure[0].lowerBound == closure[0].upperBound { return Emitter.charText(c) }
        if globalCaseless, !(closure.contains { $0.contains(0x212A) || $0.contains(0x17F) }) { return Emitter.charText(c) }
        return Emitter.classText(closure)
    }

    mutating func emit(_ n: PatternNode, depth: Int) -> String? {
        switch n {
        case .empty, .anchor, .lookaround: return ""
        case .char(let c, var ci):
            ci = ci || foldAll
            if ci { if let t = caselessChar(c) { return t }; failure = "caseless non-ASCII literal"; return nil }
            if globalCaseless && c.properties.changesWhenCaseMapped {
                if c.value >= 0x80 { failure = "case-sensitive non-ASCII in caseless pattern"; return nil }
                return "(?-i:\(Emitter.charText(c)))"
            }
            return Emitter.charText(c)
        case .charClass(let ranges, let shorthands, let negated, var ci):
            ci = ci || foldAll
            var rs = ranges
            if ci {
                if !negated && ranges.contains(where: { $0.upperBound >= 0x80 && $0 != 0x212A...0x212A && $0 != 0x17F...0x17F }) {
                    failure = "caseless class with non-ASCII members"; return nil
                }
                rs = Emitter.caseClosure(rs)
            }
            for sh in shorthands { rs += Emitter.shorthandRanges(sh) }
            if negated { rs = Emitter.complement(rs) }
            rs = Emitter.normalise(Emitter.removeSurrogates(rs))
            if rs.isEmpty { failure = "empty class"; return nil }
            // Under a global caseless flag Hyperscan would fold the class again: harmless (only widens).
            return Emitter.classText(rs)
        case .shorthand(let c):
            let rs = Emitter.shorthandRanges(c)
            return Emitter.classText(foldAll ? Emitter.caseClosure(rs) : rs)
        case .dot(let all):
            return all ? Emitter.classText(Emitter.surrogateFree) : "[^\\n]"
        case .wordBoundary(let b): return b ? "\\b" : "\\B"
        case .sequence(let xs):
            var t = ""
            for x in xs { guard let e = emit(x, depth: depth) else { return nil }; t += e }
            return t
        case .alternation(let xs):
            var parts: [String] = []
            for x in xs { guard let e = emit(x, depth: depth) else { return nil }; parts.append(e) }
            return "(?:" + parts.joined(separator: "|") + ")"
        case .group(let x, _):
            guard let e = emit(x, depth: depth) else { return nil }
            return "(?:" + e + ")"
        case .repeatNode(let x, let lo, let hi):
            guard let e = emit(x, depth: depth) else { return nil }
            if e.isEmpty { return "" }
            let q: String
            switch (lo, hi) {
            case (0, nil): q = "*"
            case (1, nil): q = "+"
            case (0, 1): q = "?"
            case (let a, nil): q = "{\(a),}"
            case (let a, let b?) where a == b: q = "{\(a)}"
            case (let a, let b?): q = "{\(a),\(b)}"
            }
            return "(?:" + e + ")" + q
        case .backReference(let k, let ci):
            sawBackReference = true
            guard depth < 4, let g = groups[k], !Emitter.refers(g, to: k) else {
                failure = "back-reference \\\(k) not copyable"; return nil
            }
            let saved = foldAll
            foldAll = foldAll || ci
            defer { foldAll = saved }
            guard let e = emit(g, depth: depth + 1) else { return nil }
            return "(?:" + e + ")"
        case .opaque(let r): failure = r; return nil
        }
    }

    static func refers(_ n: PatternNode, to k: Int) -> Bool {
        switch n {
        case .backReference(let j, _): return j == k
        case .sequence(let xs), .alternation(let xs): return xs.contains { refers($0, to: k) }
        case .group(let x, _), .repeatNode(let x, _, _): return refers(x, to: k)
        default: return false
        }
    }

    static func emitAtom(_ a: [AtomChar]) -> String {
        var t = ""
        for c in a {
            if c.caseless {
                let closure = caseClosure([c.scalar.value...c.scalar.value])
                t += (closure.count == 1 && closure[0].lowerBound == closure[0].upperBound) ? charText(c.scalar) : classText(closure)
            } else { t += charText(c.scalar) }
        }
        return t
    }
}

/// What a sub-pattern guarantees about literals: `exact` = it matches exactly one of these strings;
/// `required` = every match contains one of these strings.
struct AtomInfo {
    var exact: [[AtomChar]]?
    var required: [[AtomChar]]?
    var best: [[AtomChar]]? {
        let cands = [exact, required].compactMap { $0 }.filter { !$0.isEmpty }
        return cands.max { AtomInfo.score($0) < AtomInfo.score($1) }
    }
    static func score(_ set: [[AtomChar]]) -> Int { (set.map(\.count).min() ?? 0) * 1000 - set.count }
    static let none = AtomInfo(exact: nil, required: nil)
}

/// Extracts required literal atoms from a `PatternNode` tree.
struct AtomExtractor {
    let groups: [Int: PatternNode]

    func info(_ n: PatternNode) -> AtomInfo {
        switch n {
        case .empty, .anchor, .lookaround, .wordBoundary: return AtomInfo(exact: [[]], required: nil)
        case .char(let c, let ci):
            if ci && c.value >= 0x80 && c.properties.changesWhenCaseMapped { return .none }
            return AtomInfo(exact: [[AtomChar(scalar: c, caseless: ci)]], required: nil)
        case .group(let x, _): return info(x)
        case .repeatNode(let x, let lo, let hi):
            let i = info(x)
            if lo == 1 && hi == 1 { return i }
            if lo >= 1 { return AtomInfo(exact: nil, required: i.best) }
            return .none
        case .alternation(let xs):
            let infos = xs.map(info)
            if infos.allSatisfy({ $0.exact != nil }) {
                let u = infos.flatMap { $0.exact! }
                if u.count <= PrefilterDeriver.maxAtomSet { return AtomInfo(exact: u, required: nil) }
            }
            var union: [[AtomChar]] = []
            for i in infos { guard let b = i.best else { return .none }; union += b }
            return union.count <= PrefilterDeriver.maxAtomSet ? AtomInfo(exact: nil, required: union) : .none
        case .sequence(let xs):
            var run: [[AtomChar]]? = [[]]
            var candidates: [[[AtomChar]]] = []
            var allExact = true
            for x in xs {
                let i = info(x)
                if let e = i.exact, let r = run, r.count * e.count <= PrefilterDeriver.maxAtomSet {
                    run = r.flatMap { a in e.map { a + $0 } }
                    continue
                }
                allExact = false
                if let r = run { candidates.append(r) }
                if let e = i.exact { run = e } else { run = [[]]; if let b = i.best { candidates.append(b) } }
            }
            if allExact, let r = run { return AtomInfo(exact: r, required: nil) }
            if let r = run { candidates.append(r) }
            let best = candidates.filter { !$0.isEmpty }.max { AtomInfo.score($0) < AtomInfo.score($1) }
            return AtomInfo(exact: nil, required: best)
        default: return .none
        }
    }
}
