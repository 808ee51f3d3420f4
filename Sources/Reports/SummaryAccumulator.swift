import ChatModel
import Foundation

/// Builds a `ReportSummary` one hit message at a time, holding only counts: per sender, chat, sender x chat and
/// rule, plus hits per calendar day. A timeline period depends only on a timestamp's day, and the timeline's
/// granularity only on the first and last day, so days are bucketed as hits arrive and turned into periods in
/// `summary(totals:endorsements:)`. Memory grows with senders, chats, rules and days, not with hits.
struct SummaryAccumulator {
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
        senders[sender, default: GroupStats(sender: sender)].add(message: item.message, hits: item.hits, period: nil)
        chats[chat, default: GroupStats(chat: chat)].add(message: item.message, hits: item.hits, period: nil)
        pairs[pair, default: GroupStats(sender: sender, chat: chat)].add(message: item.message, hits: item.hits, period: nil)
        overall.add(message: item.message, hits: item.hits, period: nil)
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
