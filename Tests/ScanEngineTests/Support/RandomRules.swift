import Foundation

/// Generates random PCRE2 patterns in the shapes real rule packs use (literals, leet classes, spacing-tolerant
/// letters, alternations, gaps) plus the constructs a prefilter must handle with care: lookarounds, back-references,
/// anchors, atomic groups, possessive quantifiers, inline flags, Unicode properties and non-ASCII literals.
struct RandomRuleGenerator {
    var rng: SeededRandom

    init(seed: UInt64) { rng = SeededRandom(seed: seed) }

    static let leet: [Character: String] = ["a": "[a4@]", "e": "[e3]", "i": "[i1!]", "o": "[o0]", "s": "[s5$]", "l": "[l1]", "t": "[t7]"]

    mutating func word() -> String {
        let w = rng.pick(targetWords + ["skill", "class", "essex", "café", "straße", "привет", "ask", "ok"])
        switch rng.int(0...9) {
        case 0, 1, 2: return NSRegularExpression.escapedPattern(for: w)
        case 3: return w.map { c in RandomRuleGenerator.leet[c].map { $0 + "+" } ?? String(c) }.joined()
        case 4: return w.map { String($0) }.joined(separator: "\\W?")
        case 5: return w.map { String($0) + "+" }.joined()
        case 6: return "(?:" + w + "|" + rng.pick(targetWords) + ")"
        case 7: return String(w.prefix(2)) + "[a-z]{0,3}"
        case 8: return w.uppercased()
        default: return w.map { c in c == "k" ? "[kq]" : c == "s" ? "[sz]" : String(c) }.joined()
        }
    }

    mutating func pattern() -> String {
        var parts: [String] = []
        let n = rng.int(1...3)
        for i in 0..<n {
            if i > 0 { parts.append(rng.pick(["\\s+", " ", "\\W+", ".{0,10}", "\\s*", "[ ,.!-]?", "\\W{1,3}"])) }
            parts.append(word())
        }
        var p = parts.joined()
        switch rng.int(0...25) {
        case 0: p = "\\b" + p + "\\b"
        case 1: p = "\\b" + p
        case 2: p = p + "(?!\\w)"
        case 3: p = "(?<![a-z])" + p
        case 4: p = "(?<=\\s)" + p
        case 5: p = "\\b(" + word() + ")\\W+\\1\\b"
        case 6: p = "(\\w{3,})\\s+\\1"
        case 7: p = "^" + p
        case 8: p = p + "$"
        case 9: p = "(?>" + p + ")"
        case 10: p = p.replacingOccurrences(of: "+", with: "++")
        case 11: p = "(?i)" + p
        case 12: p = "\\p{L}" + p
        case 13: p = p + "\\b(?=[^\\n]*!)"
        case 14: p = "\\A" + p + "\\z"
        case 15: p = "(?-i:" + p + ")"
        case 16: p = "(?<w>" + word() + ")\\s\\k<w>"
        case 17: p = "\\bs\\w*k\\b"
        case 18: p = "[^\\W\\d]{4}\\s\\d"
        case 19: p = "\\Bill\\b"
        case 20: p = "(?s)" + word() + ".{1,20}" + word()
        case 21: p = "é|ø|ß"
        case 22: p = "[a-z]+\\x{212A}?"
        case 23: p = "(?:a|)" + word()
        default: break
        }
        return p
    }
}
