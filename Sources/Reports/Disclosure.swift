import ChatModel
import Foundation

extension Message {
    /// File and message index, joined by NUL: names one message within a run (the key of every per-message look-up
    /// in the reports: disclosure, the case database, endorsements).
    var runKey: String { Message.runKey(file: file, index: messageIndex) }

    static func runKey(file: String, index: Int) -> String { "\(file)\u{0}\(index)" }
}

/// What disclosure needs to know about the whole run, gathered as hit messages arrive: the matched strings (terms
/// to mask everywhere), each hit message's hit spans, and every sender name seen.
struct DisclosureInputs {
    private(set) var terms: Set<String> = []
    private(set) var spans: [String: [Range<Int>]] = [:]
    private(set) var senders: Set<String> = []

    mutating func add(_ item: MessageHits) {
        spans[item.message.runKey, default: []] += item.hits.map(\.safeTextRange)
        for h in item.hits { terms.insert(h.match) }
        for m in [item.message] + item.before + item.after { if let s = m.sender { senders.insert(s) } }
    }
}

/// The hit messages and totals as every output shows them: senders (and sender names inside chat names)
/// pseudonymised, matched words masked in matches, message texts and context texts. Built once from the whole
/// run's `DisclosureInputs`, then applied to each hit message in turn.
final class Disclosure {
    private(set) var totals: ScanTotals
    private let pseudo: PseudonymCache
    private let redactor: Redactor?
    private let names: NameReplacer
    private let spans: [String: [Range<Int>]]
    private var chatCache: [String: String] = [:]
    /// A context message can surround many hits: each message is redacted and pseudonymised once (the cache is
    /// emptied now and then; it only saves work).
    private var messageCache: [String: (original: Message, disclosed: Message)] = [:]

    init(options: ReportOptions, inputs: DisclosureInputs, totals rawTotals: ScanTotals) {
        pseudo = PseudonymCache(Pseudonymiser(key: options.pseudonymiseKey))
        spans = inputs.spans
        redactor = options.redact ? Redactor(terms: inputs.terms) : nil
        var senderNames = inputs.senders
        senderNames.formUnion(rawTotals.messagesBySender.keys.map(\.sender))
        names = NameReplacer(senders: Array(senderNames).sorted())
        totals = rawTotals
        if pseudo.isActive {
            var t = rawTotals
            t.messagesBySender = [:]
            for (k, n) in rawTotals.messagesBySender {
                let key = SenderChatKey(chat: chat(k.chat) ?? k.chat, sender: pseudo.pseudonym(k.sender))
                t.messagesBySender[key, default: 0] += n
            }
            t.messagesByChat = [:]
            for (c, n) in rawTotals.messagesByChat { t.messagesByChat[chat(c) ?? c, default: 0] += n }
            t.sources = rawTotals.sources.map { var x = $0; x.path = path(x.path); return x }
            t.issues = rawTotals.issues.map { var x = $0; x.file = path(x.file); return x }
            t.skipped = rawTotals.skipped.map { var x = $0; x.file = path(x.file); return x }
            totals = t
        }
    }

    /// Chat names and file paths with sender names inside them replaced (cached per distinct string).
    private func chat(_ c: String?) -> String? {
        guard let c, pseudo.isActive else { return c }
        if let done = chatCache[c] { return done }
        let out = names.replace(in: c, with: pseudo.pseudonym)
        chatCache[c] = out
        return out
    }

    private func path(_ p: String) -> String { chat(p) ?? p }

    private func message(_ m: Message) -> Message {
        let key = m.runKey
        if let done = messageCache[key], done.original.text == m.text, done.original.sender == m.sender,
           done.original.chat == m.chat { return done.disclosed }
        var out = m
        out.sender = pseudo.pseudonym(m.sender)
        out.chat = chat(m.chat)
        out.file = path(m.file)
        if let redactor { out.text = redactor.redact(m.text, spans: spans[key] ?? []) }
        if messageCache.count >= 4096 { messageCache.removeAll(keepingCapacity: true) }
        messageCache[key] = (m, out)
        return out
    }

    /// `item` as the outputs show it.
    func disclose(_ item: MessageHits) -> MessageHits {
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
