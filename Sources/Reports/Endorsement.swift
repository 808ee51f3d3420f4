import ChatModel
import Foundation

/// A reply that laughs at or applauds a high or critical hit ("lol", "lmao", "😂", "classic", ...), sent within
/// `EndorsementDetector.window` messages after it in the same chat. A signal for the reviewer, never a hit:
/// Operation Hotton's harm included the "Lmao" under a domestic-violence boast.
public struct Endorsement: Sendable, Equatable {
    /// Who sent the reply ("(no sender)" if unknown).
    public var endorser: String
    public var chat: String
    public var replyFile: String
    public var replyMessageIndex: Int
    public var replyLine: Int?
    public var replyTimestamp: String?
    public var replyText: String
    /// The sender of the endorsed hit message.
    public var endorsedSender: String
    public var hitFile: String
    public var hitMessageIndex: Int
    public var hitLine: Int?
    public var hitTimestamp: String?
    /// Highest severity among the hit message's hits, and the rules of that severity.
    public var severity: Severity
    public var rules: [String]
    public var category: String
    /// 1 = the very next message in the chat.
    public var distance: Int
    /// The reply came from the author of the hit (self-endorsement, e.g. "lol" after one's own line).
    public var sameSender: Bool
}

/// Finds endorsement replies after high and critical hits, using a curated vocabulary of laughter and applause.
///
/// A reply counts when its whole text (ignoring case, punctuation and whitespace) is made of signal tokens and at
/// most a few filler words, is short (≤ 60 characters) and contains at least one signal:
/// - laughter words: lol (lool, lolol), lmao, lmfao, rofl, roflmao, haha (any length, also "ha ha"), hehe,
///   jaja, kek, xd;
/// - applause words: dead, "i'm dead", ded, classic, legend, legendary, brilliant, savage, iconic, true, "so true", facts,
///   based, quality, gold, "well said", "spot on";
/// - emoji: 😂 🤣 💀 😆 😹 😭 👏 💯 🙌 🔥 ☠️ and 😅 (any number, skin tones and variation selectors ignored).
/// Reaction messages (kind `reaction`, e.g. Messenger's "Reacted 😂 to your message") count when their emoji is one
/// of the signal emoji.
/// Filler words that may accompany a signal: omg, oh, my, god, so, mate, bro, man, that's, thats, this, is, proper,
/// absolutely, fucking, ffs, literally, just, too, ha, im, i'm, i, am, a, the.
public enum EndorsementDetector {
    /// How many messages after a hit message are examined.
    public static let window = 3
    /// Minimum severity of the hit being endorsed.
    public static let minimumSeverity: Severity = .high

    static let signalWords: Set<String> = [
        "lol", "lmao", "lmfao", "rofl", "roflmao", "kek", "xd", "jaja", "jajaja",
        "dead", "ded", "classic", "legend", "legendary", "brilliant", "savage", "iconic", "facts", "based",
        "quality", "gold", "true",
    ]
    static let signalPhrases: [[String]] = [["so", "true"], ["well", "said"], ["spot", "on"], ["im", "dead"], ["i", "am", "dead"], ["ha", "ha"]]
    static let fillerWords: Set<String> = [
        "omg", "oh", "my", "god", "so", "mate", "bro", "man", "thats", "this", "is", "proper", "absolutely",
        "fucking", "ffs", "literally", "just", "too", "ha", "im", "i", "am", "a", "the", "well", "said", "spot", "on",
    ]
    static let signalEmoji: Set<Unicode.Scalar> = ["😂", "🤣", "💀", "😆", "😹", "😭", "👏", "💯", "🙌", "🔥", "☠", "😅"]

    /// True when the whole message (or nearly) is laughter or applause.
    public static func isEndorsement(_ text: String) -> Bool {
        guard text.utf8.count <= 60 || text.count <= 60 else { return false }   // a Character has at least one byte
        var words: [String] = []
        var current = ""
        var sawSignalEmoji = false
        /// Ends the current word; false when it already decides (neither signal nor filler: not an endorsement).
        func endWord() -> Bool {
            guard !current.isEmpty else { return true }
            if !isSignalWord(current) && !fillerWords.contains(current) { return false }
            words.append(current)
            current = ""
            return true
        }
        for scalar in text.lowercased().unicodeScalars {
            if scalar.value < 0x80 {
                // ASCII without Unicode property look-ups (`asciiScalarIsWordPart`; tests check it against them):
                // letters and digits build words, the apostrophe is dropped, everything else only ends a word.
                if asciiScalarIsWordPart(scalar.value) { current.unicodeScalars.append(scalar); continue }
                if scalar == "'" { continue }
                if !endWord() { return false }
                continue
            }
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.unicodeScalars.append(scalar)
                continue
            }
            if scalar == "\u{2019}" { continue }   // "i'm" -> "im", "that's" -> "thats"
            if !endWord() { return false }
            if signalEmoji.contains(scalar) { sawSignalEmoji = true; continue }
            if scalar.properties.isWhitespace || scalar.properties.generalCategory.isPunctuationOrSymbolIgnorable
                || isEmojiModifierOrJoiner(scalar) { continue }
            if scalar.properties.isEmojiPresentation || scalar.properties.isEmoji { return false }   // other emoji: not a signal
        }
        if !endWord() { return false }
        // Every word is a signal or a filler now.
        var sawSignalWord = words.contains(where: isSignalWord)
        if !sawSignalWord {
            for phrase in signalPhrases where containsPhrase(words, phrase) { sawSignalWord = true }
        }
        let fillerCount = words.filter { !isSignalWord($0) }.count
        return (sawSignalWord || sawSignalEmoji) && fillerCount <= 4
    }

    /// ASCII letters and digits: the ASCII scalars that are alphabetic or numeric. Every other ASCII scalar is
    /// white space, punctuation, a symbol or a control character, none of them a signal or other emoji.
    static func asciiScalarIsWordPart(_ v: UInt32) -> Bool {
        (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A)
    }

    /// Laughter spelled any length: lol/lool/lolol, lmao/lmfaooo, rofl/roflmao, haha/ahah/hahah, hehe, jaja.
    static let laughter = try! NSRegularExpression(pattern:
        "^(?:l+o+l+(?:o+l+)*|l+m+f*a+o+|ro+fl+(?:ma+o+)?|a?(?:ha){2,}h?|(?:ah){2,}a?|(?:he){2,}h?|(?:ja){2,}j?)$")

    /// A letter `laughter` can match: a, e, f, h, j, l, m, o, r.
    static func isLaughterLetter(_ c: UInt8) -> Bool {
        switch c { case 0x61, 0x65, 0x66, 0x68, 0x6A, 0x6C, 0x6D, 0x6F, 0x72: true; default: false }
    }

    /// A reaction message (Messenger: "Reacted 😂 to your message") whose emoji is a laughter or applause signal.
    public static func isEndorsingReaction(_ text: String) -> Bool {
        text.unicodeScalars.contains { signalEmoji.contains($0) }
    }

    static func isSignalWord(_ w: String) -> Bool {
        if signalWords.contains(w) { return true }
        // `laughter` only matches words spelled with these letters: skip the regular expression for any other word.
        guard w.utf8.allSatisfy(isLaughterLetter) else { return false }
        let ns = w as NSString
        return laughter.firstMatch(in: w, range: NSRange(location: 0, length: ns.length)) != nil
    }

    private static func containsPhrase(_ words: [String], _ phrase: [String]) -> Bool {
        guard words.count >= phrase.count else { return false }
        for i in 0...(words.count - phrase.count) where Array(words[i..<(i + phrase.count)]) == phrase { return true }
        return false
    }

    private static func isEmojiModifierOrJoiner(_ s: Unicode.Scalar) -> Bool {
        s.value == 0x200D || s.value == 0xFE0F || s.value == 0xFE0E || (0x1F3FB...0x1F3FF).contains(s.value)
    }

    /// Endorsements among the messages after one hit message (needs `after` filled by the scan engine).
    public static func detect(in item: MessageHits, senderLabel: (String?) -> String = { $0 ?? "(no sender)" },
                              chatLabel: (Message) -> String = Aggregator.chatLabel) -> [Endorsement] {
        var topOrNil: Severity?
        for h in item.hits where topOrNil.map({ h.severity > $0 }) ?? true { topOrNil = h.severity }
        guard let top = topOrNil, top >= minimumSeverity else { return [] }
        let topHits = item.hits.filter { $0.severity == top }
        var rules: [String] = []
        for h in topHits where !rules.contains(h.rule) { rules.append(h.rule) }
        var found: [Endorsement] = []
        for (i, reply) in item.after.prefix(window).enumerated() {
            let endorses = (reply.kind == .text || reply.kind == .edited) ? isEndorsement(reply.text)
                : reply.kind == .reaction ? isEndorsingReaction(reply.text) : false
            guard endorses else { continue }
            found.append(Endorsement(
                endorser: senderLabel(reply.sender), chat: chatLabel(item.message), replyFile: reply.file,
                replyMessageIndex: reply.messageIndex, replyLine: reply.line, replyTimestamp: reply.timestamp,
                replyText: reply.text, endorsedSender: senderLabel(item.message.sender), hitFile: item.message.file,
                hitMessageIndex: item.message.messageIndex, hitLine: item.message.line,
                hitTimestamp: item.message.timestamp, severity: top, rules: rules, category: topHits[0].category,
                distance: i + 1, sameSender: reply.sender != nil && reply.sender == item.message.sender))
        }
        return found
    }
}

extension Unicode.GeneralCategory {
    /// Punctuation and symbols (not emoji) that do not change whether a reply is laughter: "lol!!!", "haha :)".
    var isPunctuationOrSymbolIgnorable: Bool {
        switch self {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol:
            return true
        default:
            return false
        }
    }
}
