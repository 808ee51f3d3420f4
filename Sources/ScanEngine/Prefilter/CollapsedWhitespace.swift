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
/// Words joined by `\s+` become words joined by one element, which Hyperscan handles far better than a repeat: the
/// shipped packs scan 100 MB in 0.68 of the time with each single space written `\s` (a superset on collapsed text,
/// which has no other whitespace). With `literalSpaces` they are literal spaces, so the phrases become literal
/// chains: 0.63 of the time, but Hyperscan expands the chains and compiles the packs in 13 s instead of 4 s.
struct CollapsedWhitespace {
    /// W: what `\s` matches (`collapse` is the C kernel `cs_collapse_whitespace_texts`).
    static let whitespace = Emitter.shorthandRanges("s")

    /// What stands for the one space a whitespace run leaves: a literal space, or `\s`.
    let space: PatternNode

    init(literalSpaces: Bool = true) { space = literalSpaces ? .char(" ", caseless: false) : .shorthand("s") }

    /// The pattern tree and its groups rewritten for collapsed text.
    func rewrite(_ root: PatternNode, groups: [Int: PatternNode]) -> (PatternNode, [Int: PatternNode]) {
        // A back-reference repeats its group's text, which may sit anywhere: its copy is rewritten with `left`.
        (rewrite(root, left: false), groups.mapValues { rewrite($0, left: true) })
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
                ? space
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
                    return lo >= 1 && !left ? space : .repeatNode(space, min: 0, max: 1)
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
