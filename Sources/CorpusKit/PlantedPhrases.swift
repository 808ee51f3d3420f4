// CONTENT WARNING: this file holds the abusive phrases planted into synthetic corpora (threats, sexual violence,
// slurs) so that rules and the engine can be measured against known ground truth. It is the only file outside
// rules/ and test fixtures with such text. Nothing here is from real people.

/// One kind of planted text: a message template where `{…}` marks the phrase that ground truth names.
struct PlantTemplate: Sendable {
    /// Message text; the part between `{` and `}` is the planted phrase.
    var template: String
    /// The word inside the phrase that obfuscated variants disguise (nil: the phrase is planted as written).
    var key: String?
    /// Taxonomy category the phrase belongs to (`near-miss` for the benign decoys).
    var category: String
}

/// The abusive phrases and benign near-misses planted into generated corpora, in the style of the abusive police
/// group chats described in the IOPC's Operation Hotton report, and the ordinary police-work language that must not
/// be flagged.
enum PlantedPhrases {
    /// Planted abusive messages (~0.5 % of messages in a generated corpus).
    static let abusive: [PlantTemplate] = [
        .init(template: "honestly {I would happily rape you} lol", key: "rape", category: "sexual-violence"),
        .init(template: "{rape} joke incoming", key: "rape", category: "sexual-violence"),
        .init(template: "bit of {chloroform} in her drink and job done", key: "chloroform", category: "sexual-violence"),
        .init(template: "she was asking to be {raped} tbh", key: "raped", category: "sexual-violence"),
        .init(template: "{I'm going to kill you} when I see you", key: "kill", category: "violence"),
        .init(template: "swear down {I will stab him}", key: "stab", category: "violence"),
        .init(template: "if she back chats me again {I'll slap her}", key: "slap", category: "domestic-abuse"),
        .init(template: "{give her a backhander} and she'll learn", key: "backhander", category: "domestic-abuse"),
        .init(template: "she needs a good {slap}", key: "slap", category: "domestic-abuse"),
        .init(template: "{I'll batter you} mate", key: "batter", category: "violence"),
        .init(template: "{I know where you live} and I'm coming round", key: nil, category: "violence"),
        .init(template: "just {kill yourself} already", key: "kill", category: "harassment"),
        .init(template: "what a {faggot}", key: "faggot", category: "homophobia"),
        .init(template: "stop being such a {fag}", key: "fag", category: "homophobia"),
        .init(template: "he's a proper {retard}", key: "retard", category: "ableism"),
        .init(template: "absolute {spastic} that one", key: "spastic", category: "ableism"),
        .init(template: "{stupid slag} never shuts up", key: "slag", category: "misogyny"),
        .init(template: "she's a {dirty slut}", key: "slut", category: "misogyny"),
        .init(template: "women should {know their place}", key: nil, category: "misogyny"),
        .init(template: "{send them all back to Somalia}", key: nil, category: "racism"),
        .init(template: "another {paki} shop robbed", key: "paki", category: "racism"),
        .init(template: "{bloody muzzies} again", key: "muzzies", category: "religious-hate"),
        .init(template: "{should have gassed the lot of them} lol", key: "gassed", category: "antisemitism"),
        .init(template: "{go back to your own country}", key: nil, category: "racism"),
    ]

    /// Benign near-misses (~1 % of messages): words and idioms that contain or resemble abusive terms.
    static let nearMisses: [PlantTemplate] = [
        .init(template: "moving to {Essex} next month", key: nil, category: "near-miss"),
        .init(template: "anyone fancy a {cocktail} after work", key: nil, category: "near-miss"),
        .init(template: "my {therapist} says I need more sleep", key: nil, category: "near-miss"),
        .init(template: "{Scunthorpe} away on Saturday, who's driving", key: nil, category: "near-miss"),
        .init(template: "{shoot me a text} when you're back", key: nil, category: "near-miss"),
        .init(template: "last one out {kill the lights}", key: nil, category: "near-miss"),
        .init(template: "off for a {fag break} back in 5", key: nil, category: "near-miss"),
        .init(template: "suspect {charged with rape} this morning, CPS happy", key: nil, category: "near-miss"),
        .init(template: "search done, {knife recovered} from the bin", key: nil, category: "near-miss"),
        .init(template: "{hit him up} about the tickets", key: nil, category: "near-miss"),
        .init(template: "reading {Dickens} for book club", key: nil, category: "near-miss"),
        .init(template: "{DV call, partner arrested}, I'm on the paperwork", key: nil, category: "near-miss"),
        .init(template: "{stabbing on the high street}, units attending", key: nil, category: "near-miss"),
        .init(template: "{Middlesex} are batting first", key: nil, category: "near-miss"),
        .init(template: "{grapefruit} juice is grim", key: nil, category: "near-miss"),
        .init(template: "this traffic is {killing me} haha", key: nil, category: "near-miss"),
    ]
}

/// How a planted phrase is disguised.
enum Obfuscation: String, CaseIterable, Sendable {
    /// As written.
    case plain
    /// Letters replaced by look-alike digits and symbols: `r4pe`.
    case leet
    /// A dot between letters: `s.l.a.p`.
    case dotted
    /// A space between letters: `r a p e`.
    case spaced
    /// Vowels and the last letter repeated: `kiiilll`.
    case stretched
    /// A zero-width space (U+200B) inside the word: `ra\u{200B}pe`.
    case zeroWidth = "zero-width"
    /// An emoji, a bullet or a middle dot between letters: `s😂l😂a😂p`, `s·l·a·g` (the mark depends on the word).
    case symbolSeparated = "symbol-separated"

    /// Applies the disguise to one word.
    func apply(to word: String) -> String {
        let letters = Array(word)
        switch self {
        case .plain:
            return word
        case .leet:
            let map: [Character: Character] = ["a": "4", "e": "3", "i": "1", "o": "0", "s": "$", "A": "@", "E": "3"]
            var out = ""
            var replaced = false
            for c in letters {
                if let m = map[c], !(replaced && (c == "s")) { out.append(m); replaced = true } else { out.append(c) }
            }
            return out
        case .dotted:
            return letters.map(String.init).joined(separator: ".")
        case .spaced:
            return letters.map(String.init).joined(separator: " ")
        case .stretched:
            // vowels tripled, and the final letter's run stretched to three
            var out = ""
            for (i, c) in letters.enumerated() {
                out.append(c)
                if "aeiou".contains(c) {
                    out.append(c); out.append(c)
                } else if i == letters.count - 1 {
                    out.append(c)
                    if i == 0 || letters[i - 1] != c { out.append(c) }
                }
            }
            return out
        case .zeroWidth:
            let mid = letters.count / 2
            return String(letters[..<mid]) + "\u{200B}" + String(letters[mid...])
        case .symbolSeparated:
            let marks = ["😂", "•", "🤣", "·"]
            let mark = marks[word.unicodeScalars.reduce(0) { $0 + Int($1.value) } % marks.count]
            return letters.map(String.init).joined(separator: mark)
        }
    }
}
