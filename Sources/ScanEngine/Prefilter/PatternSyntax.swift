/// A small PCRE2 syntax tree: just enough structure to derive a Hyperscan-safe superset of a pattern
/// (drop lookarounds and anchors, copy groups for back-references) and to extract required literals.
/// Constructs it does not understand become `.opaque`, which routes the pattern away from Hyperscan.
indirect enum PatternNode: Equatable {
    case empty
    /// One literal character; `caseless` is the case mode in force where it appears.
    case char(Unicode.Scalar, caseless: Bool)
    /// A bracket class: inclusive scalar ranges plus shorthand escapes (`w`, `d`, `s`, `h`, `v` and uppercase).
    case charClass(ranges: [ClosedRange<UInt32>], shorthands: [Character], negated: Bool, caseless: Bool)
    /// A shorthand outside a class: `\w \W \d \D \s \S \h \H \v \V`.
    case shorthand(Character)
    /// `.`; `dotAll` when `(?s)` is in force.
    case dot(dotAll: Bool)
    /// `\b` (true) or `\B` (false).
    case wordBoundary(Bool)
    /// Anchors (`^ $ \A \z \Z \G`) and `\K`: zero-width, dropped in the prefilter form.
    case anchor
    /// Lookahead or lookbehind: dropped in the prefilter form (making the pattern looser).
    case lookaround
    case sequence([PatternNode])
    case alternation([PatternNode])
    /// A group; `capture` is its 1-based number when it captures.
    case group(PatternNode, capture: Int?)
    case repeatNode(PatternNode, min: Int, max: Int?)
    /// A back-reference to group N; `caseless` when it compares without case (matches case variants too).
    case backReference(Int, caseless: Bool)
    /// Something the prefilter cannot represent (`\p{..}`, recursion, conditionals, verbs, ...).
    case opaque(String)
}

/// Flags that change how a pattern is read, as PCRE2 compile options or inline `(?imsx)` settings.
struct PatternModes: Equatable {
    var caseless = false
    var dotAll = false
    var multiline = false
    var extended = false
}

/// Parses PCRE2 pattern text into `PatternNode`s. Never throws: unknown constructs become `.opaque`.
struct PatternParser {
    private let s: [Unicode.Scalar]
    private var i = 0
    private var captureCount = 0
    private var names: [String: Int] = [:]
    private(set) var groups: [Int: PatternNode] = [:]
    private(set) var opaqueReasons: [String] = []

    init(_ pattern: String) { s = Array(pattern.unicodeScalars) }

    /// Parses the whole pattern with the given starting modes.
    mutating func parse(modes: PatternModes) -> PatternNode {
        var m = modes
        // Leading verbs such as (*UTF) or (*CRLF) change semantics in ways the prefilter does not model.
        if s.count >= 2, s[0] == "(", s[1] == "*" { opaqueReasons.append("leading (*VERB)") }
        let node = parseAlternation(&m)
        if i < s.count { opaqueReasons.append("unbalanced ')' at \(i)") }
        return node
    }

    private var atEnd: Bool { i >= s.count }
    private func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }

    private mutating func parseAlternation(_ m: inout PatternModes) -> PatternNode {
        var branches: [PatternNode] = []
        var current: [PatternNode] = []
        // Inline flags without a group, like `(?i)`, last until the end of the enclosing group.
        while let c = peek() {
            if c == ")" { break }
            if c == "|" { i += 1; branches.append(.sequence(current)); current = []; continue }
            if let atom = parseAtom(&m) {
                let q = parseQuantifier(atom)
                current.append(q)
            }
        }
        branches.append(.sequence(current))
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func skipExtendedWhitespace(_ m: PatternModes) {
        guard m.extended else { return }
        while let c = peek() {
            if c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0B}" || c == "\u{0C}" { i += 1; continue }
            if c == "#" { while let d = peek(), d != "\n" { i += 1 }; continue }
            break
        }
    }

    /// Parses one atom; returns nil when only flags/whitespace/comments were consumed.
    private mutating func parseAtom(_ m: inout PatternModes) -> PatternNode? {
        skipExtendedWhitespace(m)
        guard let c = peek() else { return nil }
        if c == ")" || c == "|" { return nil }
        i += 1
        switch c {
        case "(": return parseGroup(&m)
        case "[": return parseClass(m)
        case ".": return .dot(dotAll: m.dotAll)
        case "^", "$": return .anchor
        case "\\": return parseEscape(m, inClass: false).node
        case "*", "+", "?":
            opaqueReasons.append("quantifier without operand"); return .opaque("quantifier")
        default:
            return .char(c, caseless: m.caseless)
        }
    }

    private mutating func parseQuantifier(_ atom: PatternNode) -> PatternNode {
        var node = atom
        while true {
            let save = i
            guard let c = peek() else { return node }
            var minR = 0, maxR: Int? = nil
            switch c {
            case "*": i += 1; minR = 0; maxR = nil
            case "+": i += 1; minR = 1; maxR = nil
            case "?": i += 1; minR = 0; maxR = 1
            case "{":
                guard let (lo, hi, len) = scanBraces(at: i) else { return node }
                i += len; minR = lo; maxR = hi
            default: return node
            }
            // Lazy and possessive suffixes do not change which strings can match.
            if let d = peek(), d == "?" || d == "+" { i += 1 }
            if case .anchor = node { continue }
            if case .lookaround = node { continue }
            if case .wordBoundary = node { node = minR == 0 ? .empty : node; continue }
            node = .repeatNode(node, min: minR, max: maxR)
            _ = save
        }
    }

    /// `{n}`, `{n,}`, `{n,m}` (PCRE2 10.42 rules: anything else is a literal brace).
    private func scanBraces(at start: Int) -> (Int, Int?, Int)? {
        var j = start + 1
        var lo = 0, digits = 0
        while j < s.count, ("0"..."9").contains(s[j]) {
            lo = lo * 10 + Int(s[j].value - 48); digits += 1; j += 1
        }
        guard digits > 0, j < s.count else { return nil }
        if s[j] == "}" { return (lo, lo, j - start + 1) }
        guard s[j] == "," else { return nil }
        j += 1
        var hi = 0, hd = 0
        while j < s.count, ("0"..."9").contains(s[j]) { hi = hi * 10 + Int(s[j].value - 48); hd += 1; j += 1 }
        guard j < s.count, s[j] == "}" else { return nil }
        return (lo, hd == 0 ? nil : hi, j - start + 1)
    }

    private mutating func parseGroup(_ m: inout PatternModes) -> PatternNode? {
        var inner = m
        if peek() == "*" { opaqueReasons.append("(*VERB)"); skipToGroupEnd(); return .opaque("verb") }
        guard peek() == "?" else {
            captureCount += 1
            let n = captureCount
            let body = parseAlternation(&inner)
            expectClose()
            groups[n] = body
            return .group(body, capture: n)
        }
        i += 1
        guard let c = peek() else { opaqueReasons.append("truncated group"); return .opaque("group") }
        switch c {
        case ":": i += 1; let b = parseAlternation(&inner); expectClose(); return .group(b, capture: nil)
        case ">": i += 1; let b = parseAlternation(&inner); expectClose(); return .group(b, capture: nil)
        case "=", "!": i += 1; var lm = m; _ = parseAlternation(&lm); expectClose(); return .lookaround
        case "#": while let d = peek(), d != ")" { i += 1 }; expectClose(); return nil
        case "<" where peek(1) == "=" || peek(1) == "!":
            i += 2; var lm = m; _ = parseAlternation(&lm); expectClose(); return .lookaround
        case "<", "'", "P":
            if c == "P" {
                if peek(1) == "<" { i += 1 } else {
                    opaqueReasons.append("(?P=name) or (?P>name)"); skipToGroupEnd(); return .opaque("P")
                }
            }
            let close: Unicode.Scalar = peek() == "'" ? "'" : ">"
            i += 1
            var name = ""
            while let d = peek(), d != close { name.unicodeScalars.append(d); i += 1 }
            i += 1
            captureCount += 1
            let n = captureCount
            names[name] = n
            let body = parseAlternation(&inner)
            expectClose()
            groups[n] = body
            return .group(body, capture: n)
        default:
            // Inline flags: (?imsx-imsx) or (?imsx-imsx:...)
            var on = true
            var flags = m
            while let d = peek(), d != ")" && d != ":" {
                switch d {
                case "-": on = false
                case "i": flags.caseless = on
                case "s": flags.dotAll = on
                case "m": flags.multiline = on
                case "x": flags.extended = on
                case "n", "U", "J", "^":
                    opaqueReasons.append("inline flag \(d)"); skipToGroupEnd(); return .opaque("flag")
                default:
                    opaqueReasons.append("group (?\(d)"); skipToGroupEnd(); return .opaque("group")
                }
                i += 1
            }
            if peek() == ")" { i += 1; m = flags; return nil }
            i += 1
            var scoped = flags
            let b = parseAlternation(&scoped)
            expectClose()
            return .group(b, capture: nil)
        }
    }

    private mutating func expectClose() {
        if peek() == ")" { i += 1 } else { opaqueReasons.append("missing ')'") }
    }

    private mutating func skipToGroupEnd() {
        var depth = 1
        while let c = peek(), depth > 0 {
            i += 1
            if c == "\\" { i += 1 } else if c == "(" { depth += 1 } else if c == ")" { depth -= 1 }
        }
    }

    struct EscapeResult { var node: PatternNode; var scalar: Unicode.Scalar? }

    /// Parses an escape after the backslash. In a class only `scalar` or shorthand nodes are meaningful.
    private mutating func parseEscape(_ m: PatternModes, inClass: Bool) -> EscapeResult {
        guard let c = peek() else { opaqueReasons.append("trailing backslash"); return .init(node: .opaque("\\"), scalar: nil) }
        i += 1
        func lit(_ v: UInt32) -> EscapeResult {
            guard let u = Unicode.Scalar(v) else { return .init(node: .opaque("bad code point"), scalar: nil) }
            return .init(node: .char(u, caseless: m.caseless), scalar: u)
        }
        switch c {
        case "w", "W", "d", "D", "s", "S", "h", "H", "v", "V": return .init(node: .shorthand(Character(c)), scalar: nil)
        case "b" where !inClass: return .init(node: .wordBoundary(true), scalar: nil)
        case "b": return lit(8)
        case "B" where !inClass: return .init(node: .wordBoundary(false), scalar: nil)
        case "A", "z", "Z", "G", "K": return .init(node: .anchor, scalar: nil)
        case "t": return lit(9)
        case "n": return lit(10)
        case "r": return lit(13)
        case "f": return lit(12)
        case "e": return lit(27)
        case "a": return lit(7)
        case "N" where !inClass && peek() != "{": return .init(node: .dot(dotAll: false), scalar: nil)
        case "R" where !inClass:
            let alts: [PatternNode] = [.sequence([.char("\r", caseless: false), .char("\n", caseless: false)]),
                .charClass(ranges: [10...13, 0x85...0x85, 0x2028...0x2029], shorthands: [], negated: false, caseless: false)]
            return .init(node: .group(.alternation(alts), capture: nil), scalar: nil)
        case "x":
            if peek() == "{" {
                i += 1
                var v: UInt32 = 0
                while let d = peek(), d != "}" { v = v &* 16 &+ UInt32(hexValue(d) ?? 0); i += 1 }
                i += 1
                return lit(v)
            }
            var v: UInt32 = 0
            for _ in 0..<2 { if let d = peek(), let h = hexValue(d) { v = v * 16 + UInt32(h); i += 1 } }
            return lit(v)
        case "o" where peek() == "{":
            i += 1
            var v: UInt32 = 0
            while let d = peek(), d != "}" { v = v &* 8 &+ (d.value &- 48); i += 1 }
            i += 1
            return lit(v)
        case "c":
            guard let d = peek() else { return .init(node: .opaque("\\c"), scalar: nil) }
            i += 1
            return lit(Unicode.Scalar(String(d).uppercased())!.value ^ 0x40)
        case "0":
            var v: UInt32 = 0
            var k = 0
            while k < 2, let d = peek(), ("0"..."7").contains(d) { v = v * 8 + (d.value - 48); i += 1; k += 1 }
            return lit(v)
        case "1"..."9":
            var n = Int(c.value - 48)
            while let d = peek(), ("0"..."9").contains(d) { n = n * 10 + Int(d.value - 48); i += 1 }
            if inClass || n >= 10 {
                opaqueReasons.append("ambiguous numeric escape \\\(n)")
                return .init(node: .opaque("numeric escape"), scalar: nil)
            }
            return .init(node: .backReference(n, caseless: m.caseless), scalar: nil)
        case "g" where !inClass:
            return parseGReference(caseless: m.caseless)
        case "k" where !inClass:
            let open = peek()
            let close: Unicode.Scalar = open == "<" ? ">" : open == "'" ? "'" : "}"
            i += 1
            var name = ""
            while let d = peek(), d != close { name.unicodeScalars.append(d); i += 1 }
            i += 1
            if let n = names[name] { return .init(node: .backReference(n, caseless: m.caseless), scalar: nil) }
            opaqueReasons.append("unknown group name \(name)")
            return .init(node: .opaque("\\k"), scalar: nil)
        case "Q":
            var chars: [PatternNode] = []
            while i < s.count {
                if s[i] == "\\", i + 1 < s.count, s[i + 1] == "E" { i += 2; break }
                chars.append(.char(s[i], caseless: m.caseless)); i += 1
            }
            if inClass { opaqueReasons.append("\\Q in class"); return .init(node: .opaque("\\Q"), scalar: nil) }
            return .init(node: .sequence(chars), scalar: nil)
        case "E": return .init(node: .empty, scalar: nil)
        case "p", "P", "X", "C", "N", "u", "U", "L", "l":
            opaqueReasons.append("\\\(c) escape")
            if peek() == "{" { while let d = peek(), d != "}" { i += 1 }; i += 1 } else if c == "p" || c == "P" { i += 1 }
            return .init(node: .opaque("\\\(c)"), scalar: nil)
        default:
            if c.properties.isAlphabetic || ("0"..."9").contains(c) {
                opaqueReasons.append("unknown escape \\\(c)")
                return .init(node: .opaque("escape"), scalar: nil)
            }
            return lit(c.value)
        }
    }

    private mutating func parseGReference(caseless: Bool) -> EscapeResult {
        var text = ""
        if let o = peek(), o == "{" || o == "<" || o == "'" {
            let close: Unicode.Scalar = o == "{" ? "}" : o == "<" ? ">" : "'"
            i += 1
            while let d = peek(), d != close { text.unicodeScalars.append(d); i += 1 }
            i += 1
            if o != "{" { opaqueReasons.append("subroutine call \\g\(o)"); return .init(node: .opaque("\\g"), scalar: nil) }
        } else {
            while let d = peek(), ("0"..."9").contains(d) || (d == "-" && text.isEmpty) || (d == "+" && text.isEmpty) {
                text.unicodeScalars.append(d); i += 1
            }
        }
        if let n = Int(text) {
            let abs = n < 0 ? captureCount + 1 + n : n
            if abs >= 1 && !text.hasPrefix("+") { return .init(node: .backReference(abs, caseless: caseless), scalar: nil) }
        } else if let n = names[text] {
            return .init(node: .backReference(n, caseless: caseless), scalar: nil)
        }
        opaqueReasons.append("back-reference \\g\(text)")
        return .init(node: .opaque("\\g"), scalar: nil)
    }

    private mutating func parseClass(_ m: PatternModes) -> PatternNode {
        var negated = false
        if peek() == "^" { negated = true; i += 1 }
        var ranges: [ClosedRange<UInt32>] = []
        var shorthands: [Character] = []
        var first = true
        while let c = peek() {
            if c == "]" && !first { i += 1; return .charClass(ranges: ranges, shorthands: shorthands, negated: negated, caseless: m.caseless) }
            first = false
            var lo: Unicode.Scalar
            if c == "[" && peek(1) == ":" {
                // POSIX class [:name:] (ASCII in non-UCP mode)
                var j = i + 2
                var name = ""
                while j < s.count, s[j] != ":" { name.unicodeScalars.append(s[j]); j += 1 }
                i = j + 2
                guard let r = PatternParser.posixRanges(name) else {
                    opaqueReasons.append("POSIX class \(name)"); return .opaque("posix")
                }
                ranges += r
                continue
            }
            i += 1
            if c == "\\" {
                let e = parseEscape(m, inClass: true)
                if case .shorthand(let sh) = e.node { shorthands.append(sh); continue }
                guard let u = e.scalar else { return .opaque("class escape") }
                lo = u
            } else {
                lo = c
            }
            if peek() == "-", let nxt = peek(1), nxt != "]" {
                i += 1
                var hi: Unicode.Scalar
                if nxt == "\\" {
                    i += 1
                    let e = parseEscape(m, inClass: true)
                    guard let u = e.scalar else { opaqueReasons.append("class range to shorthand"); return .opaque("class") }
                    hi = u
                } else { hi = nxt; i += 1 }
                guard lo.value <= hi.value else { opaqueReasons.append("reversed range"); return .opaque("class") }
                ranges.append(lo.value...hi.value)
            } else {
                ranges.append(lo.value...lo.value)
            }
        }
        opaqueReasons.append("unterminated class")
        return .opaque("class")
    }

    static func posixRanges(_ name: String) -> [ClosedRange<UInt32>]? {
        switch name {
        case "alpha": return [65...90, 97...122]
        case "digit": return [48...57]
        case "alnum": return [48...57, 65...90, 97...122]
        case "upper": return [65...90]
        case "lower": return [97...122]
        case "space": return [9...13, 32...32]
        case "word": return [48...57, 65...90, 95...95, 97...122]
        case "punct": return [33...47, 58...64, 91...96, 123...126]
        case "xdigit": return [48...57, 65...70, 97...102]
        default: return nil
        }
    }

    private func hexValue(_ c: Unicode.Scalar) -> Int? {
        switch c {
        case "0"..."9": return Int(c.value - 48)
        case "a"..."f": return Int(c.value - 87)
        case "A"..."F": return Int(c.value - 55)
        default: return nil
        }
    }
}
