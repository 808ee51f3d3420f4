import ChatModel
import Foundation

/// The hit messages and totals as every output shows them: senders (and sender names inside chat names)
/// pseudonymised, matched words masked in matches, message texts and context texts.
struct Disclosure {
    var items: [MessageHits]
    var totals: ScanTotals

    init(options: ReportOptions, items raw: [MessageHits], totals rawTotals: ScanTotals) {
        let pseudo = PseudonymCache(Pseudonymiser(key: options.pseudonymiseKey))
        var spans: [String: [Range<Int>]] = [:]
        for item in raw { spans[Self.key(item.message), default: []] += item.hits.map(\.safeTextRange) }
        let redactor = options.redact ? Redactor(terms: raw.flatMap { $0.hits.map(\.match) }) : nil
        var senderNames = Set(raw.flatMap { ([$0.message] + $0.before + $0.after).compactMap(\.sender) })
        senderNames.formUnion(rawTotals.messagesBySender.keys.map(\.sender))
        let senders = Array(senderNames).sorted()

        var chatCache: [String: String] = [:]
        let names = NameReplacer(senders: senders)
        /// Chat names and file paths with sender names inside them replaced (cached per distinct string).
        func chat(_ c: String?) -> String? {
            guard let c, pseudo.isActive else { return c }
            if let done = chatCache[c] { return done }
            let out = names.replace(in: c, with: pseudo.pseudonym)
            chatCache[c] = out
            return out
        }
        func path(_ p: String) -> String { chat(p) ?? p }
        // A context message can surround many hits: redact and pseudonymise each message once.
        var messageCache: [String: (original: Message, disclosed: Message)] = [:]
        func message(_ m: Message) -> Message {
            let key = Self.key(m)
            if let done = messageCache[key], done.original.text == m.text, done.original.sender == m.sender,
               done.original.chat == m.chat { return done.disclosed }
            var out = m
            out.sender = pseudo.pseudonym(m.sender)
            out.chat = chat(m.chat)
            out.file = path(m.file)
            if let redactor { out.text = redactor.redact(m.text, spans: spans[key] ?? []) }
            messageCache[key] = (m, out)
            return out
        }
        self.items = raw.map { item in
            var out = MessageHits(message: message(item.message), hits: item.hits,
                                  before: item.before.map(message), after: item.after.map(message))
            out.hits = item.hits.map { h in
                var h = h
                h.sender = pseudo.pseudonym(h.sender)
                h.chat = chat(h.chat)
                h.file = path(h.file)
                if redactor != nil { h.match = Redactor.mask(h.match) }
                return h
            }
            return out
        }
        var totals = rawTotals
        if pseudo.isActive {
            totals.messagesBySender = [:]
            for (k, n) in rawTotals.messagesBySender {
                let key = SenderChatKey(chat: chat(k.chat) ?? k.chat, sender: pseudo.pseudonym(k.sender))
                totals.messagesBySender[key, default: 0] += n
            }
            totals.messagesByChat = [:]
            for (c, n) in rawTotals.messagesByChat { totals.messagesByChat[chat(c) ?? c, default: 0] += n }
            totals.sources = rawTotals.sources.map { var x = $0; x.path = path(x.path); return x }
            totals.issues = rawTotals.issues.map { var x = $0; x.file = path(x.file); return x }
            totals.skipped = rawTotals.skipped.map { var x = $0; x.file = path(x.file); return x }
        }
        self.totals = totals
    }

    static func key(_ m: Message) -> String { "\(m.file)\u{0}\(m.messageIndex)" }
}

/// Computes each sender's pseudonym once (one HMAC per distinct name, not per message).
final class PseudonymCache {
    let base: Pseudonymiser
    private var names: [String: String] = [:]
    init(_ base: Pseudonymiser) { self.base = base }
    var isActive: Bool { base.isActive }
    func pseudonym(_ name: String?) -> String? { name.map(pseudonym) }
    func pseudonym(_ name: String) -> String {
        guard base.isActive else { return name }
        if let p = names[name] { return p }
        let p = base.pseudonym(name)
        names[name] = p
        return p
    }
}
