import ChatModel
import Foundation
@testable import Reports

// The String-building renderers (JSON values included) and the String-keyed summary accumulator as they were before the byte-level
// rewrite (commit 507f84c), kept verbatim as the reference the new code must reproduce exactly.

enum LegacyRecords {
    static func jsonLine(_ h: Hit, in item: MessageHits, context: Int) -> String {
        var o = "{"
        var first = true
        func key(_ k: String) { if !first { o += "," }; first = false; o += "\"" + k + "\":" }
        key("file"); o += LegacyJSON.string(h.file)
        key("chat"); o += LegacyJSON.string(item.message.chat)
        key("sender"); o += LegacyJSON.string(item.message.sender)
        key("timestamp"); o += LegacyJSON.string(h.timestamp)
        key("line"); o += LegacyJSON.int(h.line)
        key("message_index"); o += String(h.messageIndex)
        key("rule"); o += LegacyJSON.string(h.rule)
        key("category"); o += LegacyJSON.string(h.category)
        key("severity"); o += LegacyJSON.string(h.severity.rawValue)
        key("match"); o += LegacyJSON.string(h.match)
        key("byte_start"); o += LegacyJSON.int(h.byteStart)
        key("byte_end"); o += LegacyJSON.int(h.byteEnd)
        key("subcategory"); o += LegacyJSON.string(h.subcategory)
        key("pattern"); o += LegacyJSON.string(h.pattern)
        key("score"); o += LegacyJSON.double(h.score)
        key("normalised"); o += "[" + h.normalised.map { LegacyJSON.string($0) }.joined(separator: ",") + "]"
        key("text_start"); o += String(h.textStart)
        key("text_end"); o += String(h.textEnd)
        key("text"); o += LegacyJSON.string(item.message.text)
        if context > 0 {
            key("context")
            let rows = HitRecords.contextRows(item, context: context).map { offset, m in
                "{\"offset\":\(offset),\"sender\":\(LegacyJSON.string(m.sender)),\"timestamp\":\(LegacyJSON.string(m.timestamp)),"
                    + "\"text\":\(LegacyJSON.string(m.text)),\"line\":\(LegacyJSON.int(m.line))}"
            }
            o += "[" + rows.joined(separator: ",") + "]"
        }
        return o + "}"
    }

    static func csvRow(_ h: Hit, in item: MessageHits, context: Int) -> String {
        var cells: [String] = [
            CSV.text(h.file), CSV.text(item.message.chat ?? ""), CSV.text(item.message.sender ?? ""),
            CSV.text(h.timestamp ?? ""), CSV.number(h.line), String(h.messageIndex), CSV.text(h.rule),
            CSV.text(h.category), CSV.text(h.subcategory ?? ""), h.severity.rawValue, CSV.text(h.match),
            CSV.number(h.byteStart), CSV.number(h.byteEnd), String(h.textStart), String(h.textEnd),
            CSV.text(h.pattern ?? ""), h.score.map { LegacyJSON.double($0) } ?? "", CSV.text(h.normalised.joined(separator: ";")),
            CSV.text(item.message.text),
        ]
        if context > 0 {
            let rows = HitRecords.contextRows(item, context: context)
            func fmt(_ m: Message) -> String { "\(m.sender ?? "(system)") [\(m.timestamp ?? "")]: \(m.text)" }
            cells.append(CSV.text(rows.filter { $0.offset < 0 }.map { fmt($0.message) }.joined(separator: "\n")))
            cells.append(CSV.text(rows.filter { $0.offset > 0 }.map { fmt($0.message) }.joined(separator: "\n")))
        }
        return cells.joined(separator: ",")
    }
}

extension GroupStats {
    mutating func legacyAdd(message m: Message, hits: [Hit]) {
        self.hits += hits.count
        hitMessages += 1
        for h in hits {
            byCategory[h.category, default: CountPair()].hits += 1
            bySeverity[h.severity, default: CountPair()].hits += 1
            byRule[h.rule, default: CountPair()].hits += 1
            score += Self.weight(h.severity)
        }
        for c in Set(hits.map(\.category)) { byCategory[c, default: CountPair()].messages += 1 }
        for s in Set(hits.map(\.severity)) { bySeverity[s, default: CountPair()].messages += 1 }
        for r in Set(hits.map(\.rule)) { byRule[r, default: CountPair()].messages += 1 }
        if let top = hits.map(\.severity).max() { messagesByTopSeverity[top, default: 0] += 1 }
        if let t = m.timestamp {
            if firstSeen.map({ t < $0 }) ?? true { firstSeen = t }
            if lastSeen.map({ t > $0 }) ?? true { lastSeen = t }
        }
    }
}

struct LegacySummaryAccumulator {
    private let infoByRule: [String: RuleSummary]
    private var senders: [String: GroupStats] = [:]
    private var chats: [String: GroupStats] = [:]
    private var pairs: [SenderChatKey: GroupStats] = [:]
    private var overall = GroupStats()
    private var rules: [String: RuleStats] = [:]
    /// Hits per day (`yyyy-MM-dd` prefix of the timestamp) for each group.
    private var senderDays: [String: [String: Int]] = [:]
    private var chatDays: [String: [String: Int]] = [:]
    private var pairDays: [SenderChatKey: [String: Int]] = [:]
    private var overallDays: [String: Int] = [:]
    private var severityDays: [String: [Severity: Int]] = [:]
    /// Every day with a hit message (the timeline spans them).
    private var days = Set<String>()

    init(rules ruleInfo: [RuleSummary]) {
        infoByRule = Dictionary(ruleInfo.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    mutating func add(_ item: MessageHits) {
        if let ts = item.message.timestamp { days.insert(String(ts.prefix(10))) }
        guard !item.hits.isEmpty else { return }
        let sender = Aggregator.senderLabel(item.message.sender)
        let chat = Aggregator.chatLabel(item.message)
        let pair = SenderChatKey(chat: chat, sender: sender)
        senders[sender, default: GroupStats(sender: sender)].legacyAdd(message: item.message, hits: item.hits)
        chats[chat, default: GroupStats(chat: chat)].legacyAdd(message: item.message, hits: item.hits)
        pairs[pair, default: GroupStats(sender: sender, chat: chat)].legacyAdd(message: item.message, hits: item.hits)
        overall.legacyAdd(message: item.message, hits: item.hits)
        if let ts = item.message.timestamp {
            let day = String(ts.prefix(10))
            let n = item.hits.count
            senderDays[sender, default: [:]][day, default: 0] += n
            chatDays[chat, default: [:]][day, default: 0] += n
            pairDays[pair, default: [:]][day, default: 0] += n
            overallDays[day, default: 0] += n
            for h in item.hits { severityDays[day, default: [:]][h.severity, default: 0] += 1 }
        }
        let ruleIds = Set(item.hits.map(\.rule))
        for h in item.hits {
            let info = infoByRule[h.rule]
            rules[h.rule, default: RuleStats(rule: h.rule, title: info?.title, category: info?.category ?? h.category,
                                             severity: info?.severity ?? h.severity)].hits += 1
        }
        for r in ruleIds {
            rules[r]!.messages += 1
            if ruleIds.count == 1 { rules[r]!.uniqueMessages += 1 }
        }
    }

    /// The summary of everything added, with the scan totals' message counts.
    func summary(totals: ScanTotals, endorsements: [Endorsement]) -> ReportSummary {
        var s = ReportSummary()
        s.totals = totals
        s.endorsements = endorsements
        let (granularity, periods) = Timeline.periods(for: Array(days))
        s.timelineGranularity = granularity
        s.timelinePeriods = periods
        var periodOf: [String: String?] = [:]
        func period(_ day: String) -> String? {
            if let p = periodOf[day] { return p }
            let p = Timeline.period(of: day, granularity: granularity)
            periodOf[day] = p
            return p
        }
        func timeline(_ days: [String: Int]?) -> [String: Int] {
            var out: [String: Int] = [:]
            for (day, n) in days ?? [:] { if let p = period(day) { out[p, default: 0] += n } }
            return out
        }
        var senders = senders, chats = chats, pairs = pairs
        for key in Array(senders.keys) { senders[key]!.timeline = timeline(senderDays[key]) }
        for key in Array(chats.keys) { chats[key]!.timeline = timeline(chatDays[key]) }
        for key in Array(pairs.keys) { pairs[key]!.timeline = timeline(pairDays[key]) }
        s.overall = overall
        s.overall.timeline = timeline(overallDays)
        for (day, bySeverity) in severityDays {
            guard let p = period(day) else { continue }
            for (sev, n) in bySeverity { s.timelineBySeverity[p, default: [:]][sev, default: 0] += n }
        }
        for (key, n) in totals.messagesBySender {
            senders[key.sender, default: GroupStats(sender: key.sender)].messages += n
            pairs[key, default: GroupStats(sender: key.sender, chat: key.chat)].messages += n
        }
        for (chat, n) in totals.messagesByChat { chats[chat, default: GroupStats(chat: chat)].messages += n }
        s.overall.messages = totals.messagesBySender.values.reduce(0, +)
        s.senders = Aggregator.sortGroups(Array(senders.values))
        s.chats = Aggregator.sortGroups(Array(chats.values))
        s.senderChats = Aggregator.sortGroups(Array(pairs.values))
        s.rules = rules.values.sorted { $0.hits != $1.hits ? $0.hits > $1.hits : $0.rule < $1.rule }
        return s
    }
}

/// `EndorsementDetector.isEndorsement` before the ASCII fast path and the early exit.
enum LegacyEndorsement {
    static func isEndorsement(_ text: String) -> Bool {
        guard text.count <= 60 else { return false }
        var words: [String] = []
        var current = ""
        var sawSignalEmoji = false
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.unicodeScalars.append(scalar)
                continue
            }
            if scalar == "'" || scalar == "\u{2019}" { continue }   // "i'm" -> "im", "that's" -> "thats"
            if !current.isEmpty { words.append(current); current = "" }
            if EndorsementDetector.signalEmoji.contains(scalar) { sawSignalEmoji = true; continue }
            if scalar.properties.isWhitespace || scalar.properties.generalCategory.isPunctuationOrSymbolIgnorable
                || isEmojiModifierOrJoiner(scalar) { continue }
            if scalar.properties.isEmojiPresentation || scalar.properties.isEmoji { return false }   // other emoji: not a signal
        }
        if !current.isEmpty { words.append(current) }
        var sawSignalWord = false
        for w in words {
            if isSignalWord(w) { sawSignalWord = true; continue }
            if EndorsementDetector.fillerWords.contains(w) { continue }
            return false
        }
        if !sawSignalWord {
            for phrase in EndorsementDetector.signalPhrases where containsPhrase(words, phrase) { sawSignalWord = true }
        }
        let fillerCount = words.filter { !isSignalWord($0) }.count
        return (sawSignalWord || sawSignalEmoji) && fillerCount <= 4
    }

    static func isSignalWord(_ w: String) -> Bool {
        if EndorsementDetector.signalWords.contains(w) { return true }
        let ns = w as NSString
        return EndorsementDetector.laughter.firstMatch(in: w, range: NSRange(location: 0, length: ns.length)) != nil
    }

    static func containsPhrase(_ words: [String], _ phrase: [String]) -> Bool {
        guard words.count >= phrase.count else { return false }
        for i in 0...(words.count - phrase.count) where Array(words[i..<(i + phrase.count)]) == phrase { return true }
        return false
    }

    static func isEmojiModifierOrJoiner(_ s: Unicode.Scalar) -> Bool {
        s.value == 0x200D || s.value == 0xFE0F || s.value == 0xFE0E || (0x1F3FB...0x1F3FF).contains(s.value)
    }
}

/// `JSON` as it was before the byte-level rewrite: the oracle for `RecordBytes` and `LegacyRecords`.
enum LegacyJSON {
    static func string(_ s: String?) -> String {
        guard let s else { return "null" }
        // Fast path: nothing to escape (0xE2 starts U+2028/U+2029, checked the slow way).
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F || $0 == 0xE2 }) {
            return "\"" + s + "\""
        }
        var o = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": o += "\\\""
            case "\\": o += "\\\\"
            case "\n": o += "\\n"
            case "\r": o += "\\r"
            case "\t": o += "\\t"
            case "\u{2028}": o += "\\u2028"
            case "\u{2029}": o += "\\u2029"
            default:
                if u.value < 0x20 || u.value == 0x7F { o += String(format: "\\u%04x", u.value) } else { o.unicodeScalars.append(u) }
            }
        }
        return o + "\""
    }

    static func int(_ n: Int?) -> String { n.map(String.init) ?? "null" }

    static func double(_ d: Double?) -> String {
        guard let d, d.isFinite else { return "null" }
        return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) + ".0" : "\(d)"
    }
}
