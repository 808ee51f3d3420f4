/// A small PCRE2 syntax scanner for lint: it parses escapes, character classes, groups, alternation and
/// quantifiers well enough to find the longest required literal (for prefiltering) and risky quantifier shapes.
/// It never decides whether a pattern is valid: PCRE2 itself does that.
public enum PatternAnalysis {
    /// Parsed pattern element.
    indirect enum Atom {
        case literal(Character)
        case charClass(ClassKind) // [...], \w, \d, \s, \p{..}
        case dot
        case group(kind: GroupKind, branches: [[Item]])
        case assertion            // ^ $ \b \B \A \z \Z \G
        case backref
    }
    enum GroupKind { case capture, nonCapture, atomic, lookaround, option }
    /// What a character class can match, as far as the backtracking check needs to know.
    enum ClassKind { case space, digit, word, other }
    struct Item {
        var atom: Atom
        var min = 1
        var max: Int? = 1          // nil = unbounded
        var lazy = false
        var possessive = false
        var offset = 0
    }

    /// Result of analysing one pattern.
    public struct Report: Sendable, Equatable {
        /// Longest literal every match must contain (each alternative of a top-level alternation counted separately:
        /// the shortest branch wins). Empty when there is none.
        public var requiredLiteralLength: Int
        /// Byte offsets of groups with an unbounded quantifier around an unbounded quantifier, like `(a+)+`.
        public var nestedQuantifiers: [Int]
        /// Byte offsets of greedy unbounded `.*` / `.+`.
        public var greedyDotStars: [Int]
    }

    public static func analyse(_ pattern: String, extended: Bool = false) -> Report {
        var p = Parser(chars: Array(pattern), extended: extended)
        let branches = p.parseAlternation()
        var nested: [Int] = []
        var dots: [Int] = []
        walk(branches, insideUnbounded: false, nested: &nested, dots: &dots)
        return Report(requiredLiteralLength: quality(branches), nestedQuantifiers: nested, greedyDotStars: dots)
    }

    /// Minimum over branches of the best literal inside each branch.
    static func quality(_ branches: [[Item]]) -> Int {
        branches.map(sequenceQuality).min() ?? 0
    }

    static func sequenceQuality(_ items: [Item]) -> Int {
        var best = 0, run = 0
        for item in items {
            switch item.atom {
            case .literal:
                if item.min >= 1 { run += 1; best = max(best, run) }
                if item.min != 1 || item.max != 1 { run = 0 }
            case .group(let kind, let branches) where kind != .lookaround:
                if branches.count == 1 && item.min == 1 && item.max == 1 {
                    // Flatten a single-branch group: its literals continue the run.
                    for inner in branches[0] {
                        if case .literal = inner.atom, inner.min >= 1 {
                            run += 1; best = max(best, run)
                            if inner.min != 1 || inner.max != 1 { run = 0 }
                        } else {
                            run = 0
                            if item.min >= 1 { best = max(best, sequenceQuality([inner])) }
                        }
                    }
                } else {
                    run = 0
                    if item.min >= 1 { best = max(best, quality(branches)) }
                }
            case .assertion:
                continue   // zero-width: does not break a literal run
            default:
                run = 0
            }
        }
        return best
    }

    static func containsUnbounded(_ branches: [[Item]]) -> Bool {
        for b in branches {
            for item in b {
                if item.max == nil && !item.possessive { return true }
                if case .group(let kind, let inner) = item.atom, kind != .atomic, containsUnbounded(inner) { return true }
            }
        }
        return false
    }

    static func walk(_ branches: [[Item]], insideUnbounded: Bool, nested: inout [Int], dots: inout [Int]) {
        for b in branches {
            for item in b {
                if case .dot = item.atom, item.max == nil, !item.lazy, !item.possessive { dots.append(item.offset) }
                if case .group(let kind, let inner) = item.atom {
                    let unbounded = (item.max == nil || (item.max ?? 0) > 10) && !item.possessive && kind != .atomic
                    if unbounded && kind != .lookaround && containsUnbounded(inner) && !isGuarded(inner) {
                        nested.append(item.offset)
                    }
                    walk(inner, insideUnbounded: insideUnbounded || unbounded, nested: &nested, dots: &dots)
                }
            }
        }
    }

    /// True when every branch starts with a fixed character that no unbounded repeat inside can consume
    /// (like `(?:all\s+|just\s+)*`): each iteration is then decided by one character, no exponential blow-up.
    static func isGuarded(_ branches: [[Item]]) -> Bool {
        var guards: [Character] = []
        for b in branches {
            guard let first = b.first, case .literal(let c) = first.atom, first.min == 1, first.max == 1 else { return false }
            guards.append(c)
        }
        func canConsume(_ item: Item, _ c: Character) -> Bool {
            switch item.atom {
            case .literal(let l): return l == c
            case .charClass(let k):
                switch k {
                case .space: return c.isWhitespace
                case .digit: return c.isNumber
                case .word, .other: return true
                }
            case .dot: return true
            case .group(_, let inner): return inner.contains { $0.contains { canConsume($0, c) } }
            case .assertion, .backref: return false
            }
        }
        func unboundedItems(_ bs: [[Item]]) -> [Item] {
            bs.flatMap { $0.flatMap { item -> [Item] in
                var out: [Item] = item.max == nil && !item.possessive ? [item] : []
                if case .group(_, let inner) = item.atom { out += unboundedItems(inner) }
                return out
            } }
        }
        return unboundedItems(branches).allSatisfy { item in !guards.contains { canConsume(item, $0) } }
    }

    /// The pattern with a caret under byte `offset`, for `help:` lines.
    public static func pointer(_ pattern: String, at offset: Int) -> String {
        let prefix = String(decoding: Array(pattern.utf8).prefix(offset), as: UTF8.self)
        return "\(pattern)\n          " + String(repeating: " ", count: prefix.count) + "^ here"
    }

    struct Parser {
        var chars: [Character]
        var extended: Bool
        var i = 0
        var byteOffset = 0

        mutating func next() -> Character? {
            guard i < chars.count else { return nil }
            let c = chars[i]; i += 1; byteOffset += c.utf8.count
            return c
        }
        func peek(_ k: Int = 0) -> Character? { i + k < chars.count ? chars[i + k] : nil }

        mutating func parseAlternation() -> [[Item]] {
            var branches: [[Item]] = [[]]
            while let c = peek() {
                if c == ")" { break }
                if c == "|" { _ = next(); branches.append([]); continue }
                if extended && (c == " " || c == "\t" || c == "\n") { _ = next(); continue }
                if extended && c == "#" { while let d = next(), d != "\n" {}; continue }
                let start = byteOffset
                guard var item = parseAtom() else { continue }
                item.offset = start
                parseQuantifier(&item)
                branches[branches.count - 1].append(item)
            }
            return branches
        }

        mutating func parseAtom() -> Item? {
            guard let c = next() else { return nil }
            switch c {
            case "(":
                var kind = GroupKind.capture
                if peek() == "?" {
                    _ = next()
                    switch peek() {
                    case ":": _ = next(); kind = .nonCapture
                    case ">": _ = next(); kind = .atomic
                    case "=", "!": _ = next(); kind = .lookaround
                    case "<" where peek(1) == "=" || peek(1) == "!": _ = next(); _ = next(); kind = .lookaround
                    case "<", "P", "'":
                        while let d = next(), d != ">" && d != "'" {}   // named group
                        kind = .capture
                    case "#":
                        while let d = next(), d != ")" {}
                        return nil
                    default:
                        // inline options (?i) or (?i:...)
                        while let d = peek(), d != ")" && d != ":" {
                            if d == "x" { extended = true }
                            _ = next()
                        }
                        if next() == ")" { return nil }
                        kind = .option
                    }
                } else if peek() == "*" {
                    while let d = next(), d != ")" {}   // (*VERB)
                    return nil
                }
                let inner = parseAlternation()
                _ = next()   // ")"
                return Item(atom: .group(kind: kind, branches: inner))
            case "[":
                if peek() == "^" { _ = next() }
                if peek() == "]" { _ = next() }
                while let d = next() {
                    if d == "\\" { _ = next(); continue }
                    if d == "[" && peek() == ":" { while let e = next(), e != "]" {}; continue }
                    if d == "]" { break }
                }
                return Item(atom: .charClass(.other))
            case ".": return Item(atom: .dot)
            case "^", "$": return Item(atom: .assertion)
            case "\\": return parseEscape()
            default: return Item(atom: .literal(Character(c.lowercased())))
            }
        }

        mutating func parseEscape() -> Item? {
            guard let e = next() else { return nil }
            switch e {
            case "b", "B", "A", "z", "Z", "G", "K": return Item(atom: .assertion)
            case "s", "h", "v", "R": return Item(atom: .charClass(.space))
            case "d": return Item(atom: .charClass(.digit))
            case "w": return Item(atom: .charClass(.word))
            case "W", "D", "S", "H", "V", "N", "X", "C": return Item(atom: .charClass(.other))
            case "p", "P":
                if peek() == "{" { while let d = next(), d != "}" {} } else { _ = next() }
                return Item(atom: .charClass(.other))
            case "Q":
                var items: [Item] = []
                while let d = next() {
                    if d == "\\" && peek() == "E" { _ = next(); break }
                    items.append(Item(atom: .literal(Character(d.lowercased()))))
                }
                return Item(atom: .group(kind: .nonCapture, branches: [items]))
            case "E": return nil
            case "x", "o":
                if peek() == "{" { while let d = next(), d != "}" {} } else { _ = next(); _ = next() }
                return Item(atom: .charClass(.other))
            case "g", "k":
                if let d = peek(), "{<'".contains(d) { while let f = next(), f != "}" && f != ">" && f != "'" {} }
                else { while let d = peek(), d.isNumber || d == "-" { _ = next() } }
                return Item(atom: .backref)
            case "1", "2", "3", "4", "5", "6", "7", "8", "9":
                while let d = peek(), d.isNumber { _ = next() }
                return Item(atom: .backref)
            case "n", "t", "r", "f": return Item(atom: .charClass(.space))
            case "e", "a", "0": return Item(atom: .charClass(.other))
            default:
                return Item(atom: .literal(Character(e.lowercased())))
            }
        }

        mutating func parseQuantifier(_ item: inout Item) {
            while extended, let c = peek(), c == " " { _ = next() }
            guard let c = peek() else { return }
            switch c {
            case "*": _ = next(); item.min = 0; item.max = nil
            case "+": _ = next(); item.min = 1; item.max = nil
            case "?": _ = next(); item.min = 0; item.max = 1
            case "{":
                var j = i + 1, digits = ""
                while j < chars.count, chars[j] != "}" { digits.append(chars[j]); j += 1 }
                guard j < chars.count else { return }
                let parts = digits.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
                guard parts.count <= 2, let lo = parts[0].isEmpty ? 0 : Int(parts[0]) else { return }
                if parts.count == 2 {
                    if parts[1].isEmpty { item.max = nil } else if let hi = Int(parts[1]) { item.max = hi } else { return }
                } else { item.max = lo }
                if parts.count == 1 && parts[0].isEmpty { return }
                item.min = lo
                while i <= j { _ = next() }
            default: return
            }
            if peek() == "?" { _ = next(); item.lazy = true } else if peek() == "+" { _ = next(); item.possessive = true }
        }
    }
}
