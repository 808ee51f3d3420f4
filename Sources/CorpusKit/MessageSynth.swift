/// What a generated message is; each export writer renders these in its own way.
enum SynthKind: Sendable, Equatable {
    case text, media, deleted, system
}

/// A system event (group changes, the encryption notice); rendered per format.
enum SystemEvent: Sendable, Equatable {
    case encryption
    case added(actor: Int, target: Int)
    case left(Int)
    case renamed(actor: Int, name: String)
}

/// Ground truth for a message that carries a planted phrase or a near-miss.
struct PlantInfo: Sendable, Equatable {
    /// The phrase as the template writes it (canonical form).
    var phrase: String
    /// The phrase as planted (after obfuscation).
    var planted: String
    /// `planted` or `near_miss`.
    var kind: String
    var form: Obfuscation
    var category: String
}

/// One generated message before a format writer renders it.
struct SynthMessage: Sendable {
    var sender: Int = 0
    var kind: SynthKind = .text
    /// UTF-8 body (text messages); may contain `\n` for multi-line messages.
    var text: [UInt8] = []
    var newlines: Int = 0
    var edited = false
    var event: SystemEvent?
    var plant: PlantInfo?
    /// Byte range of a link inside `text` (Telegram renders it as a `link` entity).
    var link: Range<Int>?
    /// Byte range of a bold part inside `text` (Telegram `bold` entity), only for some planted phrases.
    var bold: Range<Int>?

    mutating func reset() {
        kind = .text; text.removeAll(keepingCapacity: true); newlines = 0; edited = false; event = nil
        plant = nil; link = nil; bold = nil
    }
}

/// Rates (per million messages) of each ingredient of a generated chat.
struct SynthRates: Sendable {
    var system = 2_000
    var media = 30_000
    var deleted = 5_000
    var edited = 4_000
    var planted = 5_000
    var nearMiss = 10_000
    var multiLine = 50_000
    var emoji = 80_000
    var link = 15_000
    var comma = 40_000
}

/// Produces an endless, seed-determined stream of realistic chat messages: Zipf-weighted words, a few busy
/// senders, emoji, links, multi-line messages, media placeholders, deletions, system events, planted abusive
/// phrases (plain and obfuscated) and benign near-misses.
struct MessageSynth {
    var rng: CorpusRandom
    var rates = SynthRates()
    let roster: Roster
    private let vocab: PackedWords
    private let zipf: ZipfSampler
    private let senders: WeightedSampler
    private let scratch = ScratchBuffer(capacity: 4096)
    private static let sharedVocab = PackedWords(Vocabulary.words)
    private static let sharedZipf = ZipfSampler(count: Vocabulary.words.count)

    static let emojiList = ["😂", "😂😂", "🤣", "👍", "👍🏽", "❤️", "😍", "🙄", "😭", "🍺", "⚽", "🎉", "🤦‍♂️",
                            "👨‍👩‍👧", "🙏", "😬", "🔥🔥", "💯", "😴", "🤷‍♀️"]
    static let emoji: [[UInt8]] = emojiList.map { Array($0.utf8) }
    private static let flatEmoji = FlatStrings(emojiList)
    private static let endings = FlatStrings([".", "?", "!", " x", " lol", " haha", "...", " xx", "!!", " 😂"])
    private static let linkStems = FlatStrings(["https://www.bbc.co.uk/news/uk-", "https://youtu.be/", "https://maps.google.com/?q=51.",
                                                "https://www.amazon.co.uk/dp/B0", "https://www.instagram.com/p/"])
    private static let groupNames = ["Sunday sesh", "Ibiza 2025", "Lads on tour", "Birthday plans", "Quiz night crew"]

    init(seed: UInt64, roster: Roster = .standard) {
        rng = CorpusRandom(seed: seed)
        self.roster = roster
        vocab = MessageSynth.sharedVocab
        zipf = MessageSynth.sharedZipf
        senders = roster.sampler()
    }

    /// Fills `m` with the next message of the stream.
    mutating func next(into m: inout SynthMessage) {
        m.reset()
        m.sender = senders.sample(&rng)
        let r = rng.below(1_000_000)
        var edge = rates.system
        if r < edge { makeSystem(&m); return }
        edge += rates.media
        if r < edge { m.kind = .media; return }
        edge += rates.deleted
        if r < edge { m.kind = .deleted; return }
        edge += rates.planted
        if r < edge { plant(&m, from: PlantedPhrases.abusive, kind: "planted"); return }
        edge += rates.nearMiss
        if r < edge { plant(&m, from: PlantedPhrases.nearMisses, kind: "near_miss"); return }
        sentence(&m.text)
        if rng.chance(perMillion: rates.multiLine) {
            let extra = rng.int(in: 1...3)
            for _ in 0..<extra {
                m.text.append(0x0A)
                m.newlines += 1
                if rng.chance(perMillion: 150_000) { m.text.append(0x0A); m.newlines += 1 }
                sentence(&m.text)
            }
        }
        if rng.chance(perMillion: rates.link) {
            m.text.append(0x20)
            let start = m.text.count
            m.text.append(contentsOf: MessageSynth.linkStems[rng.below(MessageSynth.linkStems.count)])
            for _ in 0..<8 { m.text.append(UInt8(0x30 + rng.below(10))) }
            m.link = start..<m.text.count
        }
        m.edited = rng.chance(perMillion: rates.edited)
    }

    /// A sentence of Zipf-weighted words with occasional capitals, commas, emoji and an ending. Each word is one
    /// 16-byte move into a scratch buffer; the sentence is appended once.
    private mutating func sentence(_ out: inout [UInt8]) {
        let shape = rng.below(100)
        let words = shape < 35 ? rng.int(in: 1...3) : (shape < 85 ? rng.int(in: 4...12) : rng.int(in: 13...32))
        let capitalise = rng.below(100) < 40
        let commaBelow = UInt64(rates.comma) * 65_536 / 1_000_000
        let p = scratch.pointer
        var n = 0
        for i in 0..<words {
            let r = rng.next()
            if i > 0 {
                if r & 0xFFFF < commaBelow { p[n] = 0x2C; n += 1 }
                p[n] = 0x20; n += 1
            }
            let len = vocab.copy(zipf.sample(bits: r), to: p + n)
            if i == 0 && capitalise && p[n] >= 0x61 && p[n] <= 0x7A { p[n] -= 0x20 }
            n += len
        }
        out.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        if rng.chance(perMillion: rates.emoji) {
            out.append(0x20)
            out.append(contentsOf: MessageSynth.flatEmoji[rng.below(MessageSynth.flatEmoji.count)])
        } else if rng.below(100) < 45 {
            out.append(contentsOf: MessageSynth.endings[rng.below(MessageSynth.endings.count)])
        }
    }

    private mutating func makeSystem(_ m: inout SynthMessage) {
        m.kind = .system
        switch rng.below(3) {
        case 0: m.event = .added(actor: m.sender, target: rng.below(roster.count))
        case 1: m.event = .left(m.sender)
        default: m.event = .renamed(actor: m.sender, name: rng.pick(MessageSynth.groupNames))
        }
    }

    /// Builds a message from a template, disguising the key word of planted abusive phrases half of the time.
    private mutating func plant(_ m: inout SynthMessage, from templates: [PlantTemplate], kind: String) {
        let t = templates[rng.below(templates.count)]
        var form = Obfuscation.plain
        if kind == "planted", t.key != nil, rng.below(100) >= 50 {
            let forms: [Obfuscation] = [.leet, .dotted, .spaced, .stretched, .zeroWidth, .symbolSeparated]
            form = forms[rng.below(forms.count)]
        }
        let parts = MessageSynth.split(template: t.template)
        var phrase = parts.phrase
        if let key = t.key, form != .plain, let range = phrase.range(of: key) {
            phrase.replaceSubrange(range, with: form.apply(to: key))
        }
        if rng.below(100) < 30 {  // some chatter before the phrase
            sentence(&m.text)
            m.text.append(0x20)
        }
        m.text.append(contentsOf: Array(parts.before.utf8))
        let start = m.text.count
        m.text.append(contentsOf: Array(phrase.utf8))
        if rng.below(100) < 10 { m.bold = start..<m.text.count }
        m.text.append(contentsOf: Array(parts.after.utf8))
        m.plant = PlantInfo(phrase: parts.phrase, planted: phrase, kind: kind, form: form, category: t.category)
    }

    static func split(template: String) -> (before: String, phrase: String, after: String) {
        guard let open = template.firstIndex(of: "{"), let close = template.firstIndex(of: "}") else {
            return ("", template, "")
        }
        return (String(template[..<open]), String(template[template.index(after: open)..<close]),
                String(template[template.index(after: close)...]))
    }
}

/// A fixed-size byte buffer owned by one generator (a sentence is at most 32 words of at most ~20 bytes).
final class ScratchBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<UInt8>
    init(capacity: Int) { pointer = .allocate(capacity: capacity) }
    deinit { pointer.deallocate() }
}
