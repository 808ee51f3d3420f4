import ChatModel
import Foundation

/// Builds a `ReportSummary` one hit message at a time, holding only counts: per sender, chat, sender x chat and
/// rule, plus hits per calendar day. A timeline period depends only on a timestamp's day, and the timeline's
/// granularity only on the first and last day, so days are bucketed as hits arrive and turned into periods in
/// `summary(totals:endorsements:)`. Memory grows with senders, chats, rules and days, not with hits.
///
/// Per hit message the work is kept small: rule, category, day, sender, chat and sender x chat names are turned
/// into small integer ids once (with a one-entry cache for the sender, chat and day of the previous message), the
/// message's hits are tallied once into a reusable `MessageTally`, and that tally is added to the four groups it
/// belongs to (sender, chat, sender x chat, overall). The `String`-keyed `GroupStats` are built in `summary`.
struct SummaryAccumulator {
    private let infoByRule: [String: RuleSummary]
    private var ruleIds: [String: Int] = [:]
    private var rules: [RuleStats] = []
    /// Category id of the latest hit of each rule: hits of one rule nearly always share their category.
    private var categoryOfRule: [Int] = []
    private var categoryIds: [String: Int] = [:]
    private var categories: [String] = []
    /// Every day with a hit message (`yyyy-MM-dd` prefix of the timestamp; the timeline spans them), by id.
    private var days: [String] = []
    private var dayIds: [String: Int] = [:]
    private var dayIdsByBytes: [DayBytes: Int] = [:]
    private var lastDay: (bytes: DayBytes, id: Int)?
    /// Hits per day id and severity rank (`dayId * 5 + rank`), over the whole run.
    private var severityDays: [Int] = []
    private var senderIds: [String: Int] = [:]
    private var senders: [GroupCounts] = []
    private var senderNames: [String] = []
    private var lastSender: (name: String, id: Int)?
    private var chatIds: [String: Int] = [:]
    private var chats: [GroupCounts] = []
    private var chatNames: [String] = []
    private var lastChat: (name: String, id: Int)?
    /// Sender x chat groups by `senderId << 32 | chatId`.
    private var pairIds: [Int: Int] = [:]
    private var pairs: [GroupCounts] = []
    private var pairKeys: [(sender: Int, chat: Int)] = []
    private var overall = GroupCounts()
    private var tally = MessageTally()

    init(rules ruleInfo: [RuleSummary]) {
        infoByRule = Dictionary(ruleInfo.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    mutating func add(_ item: MessageHits) {
        let day = item.message.timestamp.map { dayId(of: $0) }
        guard !item.hits.isEmpty else { return }
        tally.reset()
        for h in item.hits {
            let rule = ruleId(of: h)
            rules[rule].hits += 1
            var category = categoryOfRule[rule]
            if categories[category] != h.category {
                category = categoryId(of: h.category)
                categoryOfRule[rule] = category
            }
            tally.add(rule: rule, category: category, severity: h.severity)
        }
        for r in tally.rules {
            rules[r.id].messages += 1
            if tally.rules.count == 1 { rules[r.id].uniqueMessages += 1 }
        }
        if let day {
            if severityDays.count < days.count * 5 { severityDays += repeatElement(0, count: days.count * 5 - severityDays.count) }
            for rank in 0..<5 { severityDays[day * 5 + rank] += tally.severityHits[rank] }
        }
        let sender = senderId(of: Aggregator.senderLabel(item.message.sender))
        let chat = chatId(of: Aggregator.chatLabel(item.message))
        let pair = pairId(sender: sender, chat: chat)
        let timestamp = item.message.timestamp
        senders[sender].add(tally, timestamp: timestamp, day: day)
        chats[chat].add(tally, timestamp: timestamp, day: day)
        pairs[pair].add(tally, timestamp: timestamp, day: day)
        overall.add(tally, timestamp: timestamp, day: day)
    }

    // MARK: ids

    private mutating func ruleId(of h: Hit) -> Int {
        if let id = ruleIds[h.rule] { return id }
        let info = infoByRule[h.rule]
        let id = rules.count
        ruleIds[h.rule] = id
        rules.append(RuleStats(rule: h.rule, title: info?.title, category: info?.category ?? h.category,
                               severity: info?.severity ?? h.severity))
        categoryOfRule.append(categoryId(of: h.category))
        return id
    }

    private mutating func categoryId(of category: String) -> Int { Self.intern(category, ids: &categoryIds, names: &categories) }

    /// The id of `name` in `names`, appending it when new.
    private static func intern(_ name: String, ids: inout [String: Int], names: inout [String]) -> Int {
        if let id = ids[name] { return id }
        ids[name] = names.count
        names.append(name)
        return names.count - 1
    }

    /// The id of `String(timestamp.prefix(10))`, found from the first ten bytes when they are plain ASCII.
    private mutating func dayId(of timestamp: String) -> Int {
        if let bytes = DayBytes(timestamp) {
            if let last = lastDay, last.bytes == bytes { return last.id }
            let id: Int
            if let known = dayIdsByBytes[bytes] { id = known } else {
                id = dayId(named: String(timestamp.prefix(10)))
                dayIdsByBytes[bytes] = id
            }
            lastDay = (bytes, id)
            return id
        }
        return dayId(named: String(timestamp.prefix(10)))
    }

    private mutating func dayId(named day: String) -> Int { Self.intern(day, ids: &dayIds, names: &days) }

    private mutating func senderId(of name: String) -> Int {
        Self.id(of: name, ids: &senderIds, names: &senderNames, groups: &senders, last: &lastSender)
    }

    private mutating func chatId(of name: String) -> Int {
        Self.id(of: name, ids: &chatIds, names: &chatNames, groups: &chats, last: &lastChat)
    }

    /// The id of a sender or chat name, adding a new group for a name not seen before (the last name is cached:
    /// consecutive hit messages usually share it).
    private static func id(of name: String, ids: inout [String: Int], names: inout [String], groups: inout [GroupCounts],
                           last: inout (name: String, id: Int)?) -> Int {
        if let last, last.name == name { return last.id }
        let id = intern(name, ids: &ids, names: &names)
        if id == groups.count { groups.append(GroupCounts()) }
        last = (name, id)
        return id
    }

    private mutating func pairId(sender: Int, chat: Int) -> Int {
        let key = sender << 32 | chat
        if let id = pairIds[key] { return id }
        pairIds[key] = pairs.count
        pairs.append(GroupCounts())
        pairKeys.append((sender, chat))
        return pairs.count - 1
    }

    // MARK: summary

    /// The summary of everything added, with the scan totals' message counts.
    func summary(totals: ScanTotals, endorsements: [Endorsement]) -> ReportSummary {
        var s = ReportSummary()
        s.totals = totals
        s.endorsements = endorsements
        let (granularity, periods) = Timeline.periods(for: days)
        s.timelineGranularity = granularity
        s.timelinePeriods = periods
        let periodOfDay = days.map { Timeline.period(of: $0, granularity: granularity) }
        var periodNames: [String] = [], periodIndex: [String: Int] = [:]
        let periodIndexOfDay = periodOfDay.map { p -> Int in
            guard let p else { return -1 }
            if let k = periodIndex[p] { return k }
            periodIndex[p] = periodNames.count
            periodNames.append(p)
            return periodNames.count - 1
        }
        func stats(_ g: GroupCounts, sender: String?, chat: String?) -> GroupStats {
            var out = GroupStats(sender: sender, chat: chat)
            g.fill(&out, rules: rules, categories: categories, periodOfDay: periodIndexOfDay, periods: periodNames)
            return out
        }
        var senders: [String: GroupStats] = [:], chats: [String: GroupStats] = [:], pairs: [SenderChatKey: GroupStats] = [:]
        for (id, name) in senderNames.enumerated() { senders[name] = stats(self.senders[id], sender: name, chat: nil) }
        for (id, name) in chatNames.enumerated() { chats[name] = stats(self.chats[id], sender: nil, chat: name) }
        for (id, key) in pairKeys.enumerated() {
            let sender = senderNames[key.sender], chat = chatNames[key.chat]
            pairs[SenderChatKey(chat: chat, sender: sender)] = stats(self.pairs[id], sender: sender, chat: chat)
        }
        s.overall = stats(overall, sender: nil, chat: nil)
        for day in 0..<min(days.count, severityDays.count / 5) {
            guard let p = periodOfDay[day] else { continue }
            for (rank, sev) in Severity.allCases.enumerated() where severityDays[day * 5 + rank] > 0 {
                s.timelineBySeverity[p, default: [:]][sev, default: 0] += severityDays[day * 5 + rank]
            }
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
        s.rules = rules.sorted { $0.hits != $1.hits ? $0.hits > $1.hits : $0.rule < $1.rule }
        return s
    }
}

/// The first ten UTF-8 bytes of a timestamp, when they are exactly its first ten Characters: all ASCII, no CR
/// (CR LF is one Character), and the eleventh byte, if any, ASCII too (so no combining mark joins the tenth).
struct DayBytes: Hashable {
    var head: UInt64
    var tail: UInt16

    init?(_ timestamp: String) {
        guard let v = RecordBytes.withUTF8(timestamp, { b -> DayBytes? in
            guard b.count >= 10 else { return nil }
            var head: UInt64 = 0
            for i in 0..<8 {
                let c = b[i]
                if c >= 0x80 || c == 0x0D { return nil }
                head |= UInt64(c) << (8 * UInt64(i))
            }
            let c8 = b[8], c9 = b[9]
            if c8 >= 0x80 || c8 == 0x0D || c9 >= 0x80 || c9 == 0x0D { return nil }
            if b.count > 10 && b[10] >= 0x80 { return nil }
            return DayBytes(head: head, tail: UInt16(c8) | UInt16(c9) << 8)
        }) else { return nil }
        self = v
    }

    private init(head: UInt64, tail: UInt16) { self.head = head; self.tail = tail }
}
