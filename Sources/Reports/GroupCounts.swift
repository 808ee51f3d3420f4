import ChatModel
import Foundation

/// The hits of one message, tallied once so that adding them to a group costs a few integer-keyed updates:
/// distinct rules and categories (by id, first-seen order) with their hit counts, hits per severity rank, the
/// severity score and the top severity. A message has few hits, so distinct values are found by a linear scan.
struct MessageTally {
    var rules: [(id: Int, hits: Int)] = []
    var categories: [(id: Int, hits: Int)] = []
    /// Hits per `Severity.rank`.
    var severityHits: [Int] = [0, 0, 0, 0, 0]
    var hits = 0
    /// Sum of `GroupStats.weight` over the hits.
    var score = 0
    /// Highest `Severity.rank` among the hits (-1 before the first).
    var top = -1

    mutating func reset() {
        rules.removeAll(keepingCapacity: true)
        categories.removeAll(keepingCapacity: true)
        for i in 0..<5 { severityHits[i] = 0 }
        hits = 0
        score = 0
        top = -1
    }

    mutating func add(rule: Int, category: Int, severity: Severity) {
        hits += 1
        score += GroupStats.weight(severity)
        let rank = severity.rank
        severityHits[rank] += 1
        if rank > top { top = rank }
        if let i = rules.firstIndex(where: { $0.id == rule }) { rules[i].hits += 1 } else { rules.append((rule, 1)) }
        if let i = categories.firstIndex(where: { $0.id == category }) { categories[i].hits += 1 } else {
            categories.append((category, 1))
        }
    }
}

/// Running counts for one sender, chat, sender x chat or the whole run, keyed by rule, category and day ids;
/// `fill` turns them into the `String`-keyed `GroupStats` the reports show.
struct GroupCounts {
    var hits = 0
    var hitMessages = 0
    var score = 0
    /// By rule id (ids are dense: an array, not a dictionary; rules without hits stay zero).
    var byRule: [CountPair] = []
    /// By category id (a run has few categories).
    var byCategory: [CountPair] = []
    /// By `Severity.rank`.
    var bySeverity = [CountPair](repeating: CountPair(), count: 5)
    var messagesByTopSeverity = [Int](repeating: 0, count: 5)
    var firstSeen: String?
    var lastSeen: String?
    /// Hits per day id, except those of `currentDay`, which are still in `currentDayHits` (a group's hit messages
    /// mostly come day after day, so the dictionary is touched once per day, not once per message).
    var days: [Int: Int] = [:]
    var currentDay = -1
    var currentDayHits = 0

    mutating func add(_ t: MessageTally, timestamp: String?, day: Int?) {
        hits += t.hits
        hitMessages += 1
        score += t.score
        for r in t.rules {
            if r.id >= byRule.count { byRule += repeatElement(CountPair(), count: r.id + 1 - byRule.count) }
            byRule[r.id].add(hits: r.hits)
        }
        for c in t.categories {
            if c.id >= byCategory.count { byCategory += repeatElement(CountPair(), count: c.id + 1 - byCategory.count) }
            byCategory[c.id].add(hits: c.hits)
        }
        for rank in 0..<5 where t.severityHits[rank] > 0 { bySeverity[rank].add(hits: t.severityHits[rank]) }
        if t.top >= 0 { messagesByTopSeverity[t.top] += 1 }
        if let ts = timestamp {
            if firstSeen.map({ ts < $0 }) ?? true { firstSeen = ts }
            if lastSeen.map({ ts > $0 }) ?? true { lastSeen = ts }
        }
        if let day {
            if day != currentDay {
                if currentDay >= 0 { days[currentDay, default: 0] += currentDayHits }
                currentDay = day
                currentDayHits = 0
            }
            currentDayHits += t.hits
        }
    }

    /// Writes the counts into `s` under rule ids, category names, severities and timeline periods (`periodOfDay`:
    /// each day id's index in `periods`, or -1 when the day has no period). Days are summed per period index first,
    /// so the `String`-keyed timeline is touched once per period, not once per day.
    func fill(_ s: inout GroupStats, rules: [RuleStats], categories: [String], periodOfDay: [Int], periods: [String]) {
        s.hits = hits
        s.hitMessages = hitMessages
        s.score = score
        for (id, p) in byRule.enumerated() where p.hits > 0 || p.messages > 0 { s.byRule[rules[id].rule] = p }
        for (id, p) in byCategory.enumerated() where p.messages > 0 { s.byCategory[categories[id]] = p }
        for (rank, sev) in Severity.allCases.enumerated() {
            if bySeverity[rank].hits > 0 { s.bySeverity[sev] = bySeverity[rank] }
            if messagesByTopSeverity[rank] > 0 { s.messagesByTopSeverity[sev] = messagesByTopSeverity[rank] }
        }
        s.firstSeen = firstSeen
        s.lastSeen = lastSeen
        var perPeriod = [Int?](repeating: nil, count: periods.count)
        func count(_ day: Int, _ n: Int) {
            let p = periodOfDay[day]
            if p >= 0 { perPeriod[p] = (perPeriod[p] ?? 0) + n }
        }
        for (day, n) in days { count(day, n) }
        if currentDay >= 0 { count(currentDay, currentDayHits) }
        for (p, n) in perPeriod.enumerated() { if let n { s.timeline[periods[p], default: 0] += n } }
    }
}

extension CountPair {
    /// One more message with `hits` hits.
    mutating func add(hits n: Int) {
        hits += n
        messages += 1
    }
}
