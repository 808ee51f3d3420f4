import Foundation

/// Deterministic SplitMix64 generator for seeded corpora and rule sets.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E3779B97F4A7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
    mutating func pick<T>(_ xs: [T]) -> T { xs[Int.random(in: 0..<xs.count, using: &self)] }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
    mutating func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &self) }
}

/// Words the random rules are built from; the corpus uses them plain, in other cases, obfuscated and glued.
let targetWords = ["slap", "kill", "stab", "rape", "scum", "trash", "idiot", "thug", "skank", "kys", "hate", "punch"]
let fillerWords = ["the", "a", "lol", "ok", "see", "you", "at", "shift", "tomorrow", "essex", "cocktail", "therapist",
                   "skill", "class", "sunday", "ask", "desk", "mask", "pass", "killer", "overkill", "slapped",
                   "café", "naïve", "straße", "Ørsted", "привет", "😂", "👍🏽", "日本", "2024", "999", "x", "_", "a1"]
let oddPieces = ["\u{212A}ill", "\u{17F}lap", "ſcum", "K\u{212A}", "s.l.a.p", "k i l l", "r4pe", "$lap", "sl@p", "kiiilll",
                 "stab-stab", "kill kill", "hate  hate", "SLAP", "Kill", "\u{200B}", "\t", "é", "ÉCOLE", "ǅ", "µ", "ß", "ẞ",
                 // Letters apart by characters of two to four bytes, which `\W`, `\D` and `\S` match.
                 "s😂l😂a😂p", "k•i•l•l", "st\u{212A}ab", "r\u{17F}ape", "h·a·t·e"]

/// A seeded synthetic chat corpus: one message per entry, some multi-line, with plain, cased, obfuscated and
/// non-ASCII forms of the target words and benign near-misses.
func randomMessages(count: Int, seed: UInt64) -> [String] {
    var rng = SeededRandom(seed: seed)
    var out: [String] = []
    for _ in 0..<count {
        let n = rng.int(0...12)
        var words: [String] = []
        for _ in 0..<n {
            let r = rng.int(0...9)
            var w = r < 2 ? rng.pick(targetWords) : r < 3 ? rng.pick(oddPieces) : rng.pick(fillerWords)
            if rng.chance(0.15) { w = w.uppercased() } else if rng.chance(0.1) { w = w.capitalized }
            words.append(w)
        }
        var text = ""
        for (i, w) in words.enumerated() {
            if i > 0 { text += rng.pick([" ", " ", " ", ", ", "! ", ".", "-", "  ", "\n", "?", ""]) }
            text += w
        }
        if rng.chance(0.05) { text = " " + text }
        out.append(text)
    }
    return out
}
