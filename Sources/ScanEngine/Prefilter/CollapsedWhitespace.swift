/// Rewrites a parsed pattern for text whose whitespace runs were each collapsed to one space (`collapse`, the form
/// in which normalised shadow texts are scanned). PCRE2's `\s` (no UCP) is the six characters W = `\t \n \v \f \r`
/// and space; `collapse` keeps the first character of every run of W as a space and drops the rest.
///
/// The rewritten tree must match `collapse(s)` for every string `s` the pattern matches (a superset; confirmation
/// stays exact). Within `s`, `collapse` deletes exactly the W characters that follow another W character, and turns
/// the first of each run into a space. So, walking the tree with `left` = "the character just before this point of
/// the match may be in W":
/// * a one-character element that cannot match W is kept as it is (never deleted, never changed);
/// * one that can: its W members become a space; when `left` holds it may have been deleted, so it becomes optional;
/// * a repeat of a W-only character (`\s+`, `[ \t]*`) leaves one space or nothing: a plain space when at least one
///   is required and `left` does not hold, else an optional space; a repeat of a character that may or may not be
///   in W (`\W+`) keeps its maximum and needs at least one character only when it did and `left` does not hold;
/// * `\B` is dropped (a deleted run can turn a non-boundary into a boundary); `\b` is kept (word characters are never
///   deleted, and the character beside one is a run's first, kept, character).
/// The single spaces turn words joined by `\s+` into literal chains: the shipped packs' shadow database scans about
/// 1.7 times as fast, and takes about 3 times as long to compile (Hyperscan expands the chains; 4 s -> 13 s for the
/// shipped packs, paid once per rule set: the database is cached).
struct CollapsedWhitespace {
    /// W: what `\s` matches (`collapse` is the C kernel `cs_collapse_whitespace_texts`).
    static let whitespace = Emitter.shorthandRanges("s")

    /// The pattern tree and its groups rewritten for collapsed text.
    static func rewrite(_ root: PatternNode, groups: [Int: PatternNode]) -> (PatternNode, [Int: PatternNode]) {
        let c = CollapsedWhitespace()
        // A back-reference repeats its group's text, which may sit anywhere: its copy is rewritten with `left`.
        return (c.rewrite(root, left: false), groups.mapValues { c.rewrite($0, left: true) })
    }

    /// The characters a one-character element matches (case closure included), nil for other nodes.
    static func characters(_ n: PatternNode) -> [ClosedRange<UInt32>]? {
        switch n {
        case .char(let c, let ci):
            return ci ? Emitter.caseClosure([c.value...c.value]) : [c.value...c.value]
        case .charClass(let ranges, let shorthands, let negated, let ci):
            var rs = ci ? Emitter.caseClosure(ranges) : ranges
            for sh in shorthands { rs += Emitter.shorthandRanges(sh) }
            return Emitter.normalise(negated ? Emitter.complement(rs) : rs)
        case .shorthand(let c): return Emitter.normalise(Emitter.shorthandRanges(c))
        case .dot(let dotAll): return dotAll ? [0...0x10FFFF] : Emitter.complement([10...10])
        default: return nil
        }
    }

    static func overlapsWhitespace(_ rs: [ClosedRange<UInt32>]) -> Bool {
        rs.contains { r in whitespace.contains { $0.overlaps(r) } }
    }

    static func withinWhitespace(_ rs: [ClosedRange<UInt32>]) -> Bool {
        !rs.isEmpty && rs.allSatisfy { r in whitespace.contains { $0.contains(r.lowerBound) && $0.contains(r.upperBound) } }
    }

    /// `rs` without W, plus the space.
    static func collapsedClass(_ rs: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var out: [ClosedRange<UInt32>] = []
        for r in rs {
            var lo = r.lowerBound
            for w in whitespace where lo <= r.upperBound && w.overlaps(lo...r.upperBound) {
                if w.lowerBound > lo { out.append(lo...(w.lowerBound - 1)) }
                lo = max(lo, w.upperBound + 1)
            }
            if lo <= r.upperBound { out.append(lo...r.upperBound) }
        }
        return Emitter.normalise(out + [32...32])
    }

    /// True when the node can match the empty string (conservatively true when unsure).
    func nullable(_ n: PatternNode) -> Bool {
        switch n {
        case .char, .charClass, .shorthand, .dot: return false
        case .sequence(let xs): return xs.allSatisfy(nullable)
        case .alternation(let xs): return xs.contains(where: nullable)
        case .group(let x, _): return nullable(x)
        case .repeatNode(let x, let lo, _): return lo == 0 || nullable(x)
        default: return true
        }
    }

    /// True when a match of the node may end with a W character (conservatively true when unsure).
    func canEndWithWhitespace(_ n: PatternNode) -> Bool {
        switch n {
        case .char, .charClass, .shorthand, .dot: return CollapsedWhitespace.overlapsWhitespace(CollapsedWhitespace.characters(n)!)
        case .empty, .anchor, .lookaround, .wordBoundary: return false
        case .sequence(let xs):
            for x in xs.reversed() {
                if canEndWithWhitespace(x) { return true }
                if !nullable(x) { return false }
            }
            return false
        case .alternation(let xs): return xs.contains(where: canEndWithWhitespace)
        case .group(let x, _): return canEndWithWhitespace(x)
        case .repeatNode(let x, _, let hi): return hi != 0 && canEndWithWhitespace(x)
        case .backReference, .opaque: return true
        }
    }

    func rewrite(_ n: PatternNode, left: Bool) -> PatternNode {
        switch n {
        case .char, .charClass, .shorthand, .dot:
            let rs = CollapsedWhitespace.characters(n)!
            guard CollapsedWhitespace.overlapsWhitespace(rs) else { return n }
            let one: PatternNode = CollapsedWhitespace.withinWhitespace(rs)
                ? .char(" ", caseless: false)
                : .charClass(ranges: CollapsedWhitespace.collapsedClass(rs), shorthands: [], negated: false, caseless: false)
            return left ? .repeatNode(one, min: 0, max: 1) : one
        case .wordBoundary(false): return .empty
        case .sequence(let xs):
            var l = left
            var out: [PatternNode] = []
            for x in xs {
                out.append(rewrite(x, left: l))
                l = canEndWithWhitespace(x) || (nullable(x) && l)
            }
            return .sequence(out)
        case .alternation(let xs): return .alternation(xs.map { rewrite($0, left: left) })
        case .group(let x, let capture): return .group(rewrite(x, left: left), capture: capture)
        case .repeatNode(let x, let lo, let hi):
            if hi == 0 { return n }
            if let rs = CollapsedWhitespace.characters(CollapsedWhitespace.ungrouped(x)), CollapsedWhitespace.overlapsWhitespace(rs) {
                if CollapsedWhitespace.withinWhitespace(rs) {
                    return lo >= 1 && !left ? .char(" ", caseless: false) : .repeatNode(.char(" ", caseless: false), min: 0, max: 1)
                }
                // A repeated character that may be whitespace (`\W+`, `[^.?!]{0,80}`): any of its characters but
                // the first may have been deleted (the first too when `left` holds), none added.
                let one = rewrite(CollapsedWhitespace.ungrouped(x), left: false)
                return .repeatNode(one, min: lo >= 1 && !left ? 1 : 0, max: hi)
            }
            // Every iteration after the first follows the previous one: `left` for all of them (conservative).
            return .repeatNode(rewrite(x, left: left || canEndWithWhitespace(x)), min: lo, max: hi)
        case .empty, .wordBoundary, .anchor, .lookaround, .backReference, .opaque: return n
        }
    }

    /// The node inside any non-capturing or capturing group wrappers.
    static func ungrouped(_ n: PatternNode) -> PatternNode {
        if case .group(let x, _) = n { return ungrouped(x) }
        return n
    }
}
