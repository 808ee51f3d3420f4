import ChatModel
import Foundation

/// Hits and messages-with-hits for one slice (a category, a severity, a rule).
public struct CountPair: Sendable, Equatable, Codable {
    public var hits: Int
    public var messages: Int
    public init(hits: Int = 0, messages: Int = 0) { self.hits = hits; self.messages = messages }
}

/// The numbers for one sender, one chat, or one sender in one chat: what an e-discovery "search term report per
/// custodian" holds, plus severity and a timeline.
public struct GroupStats: Sendable, Equatable {
    /// Sender label (nil for a per-chat group).
    public var sender: String?
    /// Chat label (nil for a per-sender group).
    public var chat: String?
    /// Messages sent (per sender and sender x chat: user messages only, system notices excluded;
    /// per chat: all messages in the chat, system notices included).
    public var messages: Int = 0
    public var hits: Int = 0
    public var hitMessages: Int = 0
    public var byCategory: [String: CountPair] = [:]
    /// Hits of that severity, and messages with at least one hit of it.
    public var bySeverity: [Severity: CountPair] = [:]
    /// Hit messages counted once, by the highest severity among their hits.
    public var messagesByTopSeverity: [Severity: Int] = [:]
    public var byRule: [String: CountPair] = [:]
    public var firstSeen: String?
    public var lastSeen: String?
    /// Hits per timeline period (see `ReportSummary.timelinePeriods`).
    public var timeline: [String: Int] = [:]
    /// Sum of severity weights over hits (info 0, low 1, medium 3, high 9, critical 27).
    public var score: Int = 0

    /// Messages with hits per message sent, nil when the total is unknown or zero.
    public var rate: Double? { messages > 0 ? Double(hitMessages) / Double(messages) : nil }
    public var topSeverity: Severity? { bySeverity.keys.max() }
    /// Rules by hits (ties by rule id).
    public func topRules(_ n: Int = 3) -> [(rule: String, counts: CountPair)] {
        byRule.sorted { $0.value.hits != $1.value.hits ? $0.value.hits > $1.value.hits : $0.key < $1.key }
            .prefix(n).map { ($0.key, $0.value) }
    }
    public func topCategories(_ n: Int = 3) -> [(category: String, counts: CountPair)] {
        byCategory.sorted { $0.value.hits != $1.value.hits ? $0.value.hits > $1.value.hits : $0.key < $1.key }
            .prefix(n).map { ($0.key, $0.value) }
    }

    public static func weight(_ s: Severity) -> Int {
        switch s { case .info: 0; case .low: 1; case .medium: 3; case .high: 9; case .critical: 27 }
    }
}

/// Per-rule counts as in e-discovery search term reports.
public struct RuleStats: Sendable, Equatable {
    public var rule: String
    public var title: String?
    public var category: String
    public var severity: Severity
    public var hits: Int = 0
    /// Messages with at least one hit of the rule.
    public var messages: Int = 0
    /// Messages hit by this rule and by no other rule.
    public var uniqueMessages: Int = 0
}

/// Everything the reports show besides the hit list: per sender, per chat, sender x chat, per rule, timeline,
/// endorsements and the scan totals.
public struct ReportSummary: Sendable {
    public var senders: [GroupStats] = []
    public var chats: [GroupStats] = []
    public var senderChats: [GroupStats] = []
    public var rules: [RuleStats] = []
    public var overall = GroupStats()
    /// `week` (ISO weeks, `2019-W03`) when all hits fall within 120 days, otherwise `month` (`2019-01`).
    public var timelineGranularity = "month"
    /// Every period from the first to the last hit, in order, gaps included.
    public var timelinePeriods: [String] = []
    /// Hits per period and severity over the whole run.
    public var timelineBySeverity: [String: [Severity: Int]] = [:]
    public var endorsements: [Endorsement] = []
    public var totals = ScanTotals()

    /// Endorsements given, per endorser.
    public var endorsementsBySender: [String: Int] {
        endorsements.reduce(into: [:]) { $0[$1.endorser, default: 0] += 1 }
    }
    /// Endorsements received, per author of the endorsed hit.
    public var endorsementsReceived: [String: Int] {
        endorsements.reduce(into: [:]) { $0[$1.endorsedSender, default: 0] += 1 }
    }
    public var categories: [String] { overall.byCategory.keys.sorted() }
}

/// Builds a `ReportSummary` from the (already pseudonymised) hit messages and the scan totals.
public enum Aggregator {
    public static let noSender = "(no sender)"

    public static func senderLabel(_ s: String?) -> String { s ?? noSender }
    /// The chat a message belongs to; a message without a chat (`lines` format) is labelled with its file, as the
    /// scan engine keys `ScanTotals.messagesByChat`.
    public static func chatLabel(_ m: Message) -> String { m.chat ?? m.file }

    public static func summarise(_ items: [MessageHits], totals: ScanTotals, rules ruleInfo: [RuleSummary] = [],
                                 endorsements: [Endorsement] = []) -> ReportSummary {
        var accumulator = SummaryAccumulator(rules: ruleInfo)
        for item in items { accumulator.add(item) }
        return accumulator.summary(totals: totals, endorsements: endorsements)
    }

    /// Most severe first: by weighted score, then hits, then name (deterministic).
    static func sortGroups(_ groups: [GroupStats]) -> [GroupStats] {
        groups.sorted {
            if $0.score != $1.score { return $0.score > $1.score }
            if $0.hits != $1.hits { return $0.hits > $1.hits }
            if ($0.sender ?? "") != ($1.sender ?? "") { return ($0.sender ?? "") < ($1.sender ?? "") }
            return ($0.chat ?? "") < ($1.chat ?? "")
        }
    }
}

/// Timeline periods from ISO 8601 timestamps (`2019-01-01T11:25:00`, with or without zone).
///
/// Dates are counted in whole days of the proleptic Gregorian calendar (`CivilDay`), which is what Foundation's
/// ISO 8601 calendar computes for years 1600-9999; other years go through `Calendar` (`FoundationTimeline`), whose
/// calendar switches to Julian dates before 1582. Creating a Foundation calendar and date formatter took about a tenth
/// of a small scan's start-up.
public enum Timeline {
    /// Year, month and day of the first ten characters (month 1-12, day 1-31, not checked against the month).
    static func fields(_ ts: String) -> (y: Int, m: Int, d: Int)? {
        let parts = ts.prefix(10).split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        return (y, m, d)
    }

    /// Years whose dates `CivilDay` computes exactly as Foundation's ISO 8601 calendar does.
    static let civilYears = 1600...9999

    /// `2019-01` (month) or `2019-W03` (ISO week).
    public static func period(of ts: String, granularity: String) -> String? {
        guard let (y, m, d) = fields(ts) else { return nil }
        if granularity == "month" { return CivilDay.monthLabel(y, m) }
        guard civilYears.contains(y) else { return FoundationTimeline.period(of: ts, granularity: granularity) }
        return CivilDay(y, m, d).weekLabel
    }

    /// The granularity for these timestamps and every period from the first to the last.
    public static func periods(for timestamps: [String]) -> (String, [String]) {
        var lo = Int.max, hi = Int.min
        for ts in timestamps {
            guard let (y, m, d) = fields(ts) else { continue }
            guard civilYears.contains(y) else { return FoundationTimeline.periods(for: timestamps) }
            let day = CivilDay(y, m, d).number
            lo = min(lo, day); hi = max(hi, day)
        }
        guard lo <= hi else { return ("month", []) }
        let granularity = hi - lo <= 120 ? "week" : "month"
        var out: [String] = []
        if granularity == "week" {
            var d = lo
            while d <= hi || out.isEmpty {
                let p = CivilDay(number: d).weekLabel
                if out.last != p { out.append(p) }
                d += 7
                if out.count > 2000 { break }
            }
            let p = CivilDay(number: hi).weekLabel
            if out.last != p { out.append(p) }
        } else {
            let first = CivilDay(number: lo), last = CivilDay(number: hi)
            var (y, m) = (first.year, first.month)
            while (y, m) <= (last.year, last.month) || out.isEmpty {
                out.append(CivilDay.monthLabel(y, m))
                (y, m) = m == 12 ? (y + 1, 1) : (y, m + 1)
                if out.count > 2000 { break }
            }
            let p = CivilDay.monthLabel(last.year, last.month)
            if out.last != p { out.append(p) }
        }
        return (granularity, out)
    }
}

/// A date as a day number of the proleptic Gregorian calendar (0 = 1970-01-01), with its ISO week.
struct CivilDay {
    let number: Int
    let year: Int, month: Int, day: Int

    /// Day `d` of month `m` of year `y`; a day past the month's end runs on into the next month (as `Calendar` does).
    init(_ y: Int, _ m: Int, _ d: Int) {
        self.init(number: Self.daysFromCivil(y, m, 1) + d - 1)
    }

    init(number: Int) {
        self.number = number
        // H. Hinnant's civil_from_days.
        let z = number + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// H. Hinnant's days_from_civil.
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// `2019-W03`: the ISO week (Monday first; week 1 holds the year's first Thursday) and the year it belongs to.
    var weekLabel: String {
        let weekday = ((number + 3) % 7 + 7) % 7 + 1        // 1 = Monday (1970-01-01 was a Thursday)
        let thursday = CivilDay(number: number - weekday + 4)
        let week = (thursday.number - Self.daysFromCivil(thursday.year, 1, 1)) / 7 + 1
        return Self.pad(thursday.year, 4) + "-W" + Self.pad(week, 2)
    }

    /// `2019-01`.
    static func monthLabel(_ y: Int, _ m: Int) -> String { pad(y, 4) + "-" + pad(m, 2) }

    static func pad(_ n: Int, _ width: Int) -> String { DecimalText.zeroPadded(n, width: width) }
}

/// The Foundation calendar version of `Timeline`, for years outside `Timeline.civilYears` (and the reference the
/// tests compare `Timeline` with).
enum FoundationTimeline {
    static func date(_ ts: String) -> DateComponents? {
        guard let (y, m, d) = Timeline.fields(ts) else { return nil }
        return DateComponents(year: y, month: m, day: d)
    }

    static var calendar: Calendar {
        var c = Calendar(identifier: .iso8601)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }

    static func period(of ts: String, granularity: String) -> String? {
        guard let dc = date(ts) else { return nil }
        if granularity == "month" { return String(format: "%04d-%02d", dc.year!, dc.month!) }
        guard let d = calendar.date(from: dc) else { return nil }
        let w = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: d)
        return String(format: "%04d-W%02d", w.yearForWeekOfYear!, w.weekOfYear!)
    }

    static func periods(for timestamps: [String]) -> (String, [String]) {
        let cal = calendar
        let dates = timestamps.compactMap { date($0) }.compactMap { cal.date(from: $0) }
        guard let lo = dates.min(), let hi = dates.max() else { return ("month", []) }
        let days = cal.dateComponents([.day], from: lo, to: hi).day ?? 0
        let granularity = days <= 120 ? "week" : "month"
        var out: [String] = []
        var d = lo
        let step: Calendar.Component = granularity == "week" ? .weekOfYear : .month
        if granularity == "month" { d = cal.date(from: cal.dateComponents([.year, .month], from: lo))! }
        while d <= hi || out.isEmpty {
            let ts = ISO8601DateFormatter.string(from: d, timeZone: cal.timeZone, formatOptions: [.withFullDate])
            if let p = period(of: ts, granularity: granularity), out.last != p { out.append(p) }
            guard let next = cal.date(byAdding: step, value: 1, to: d) else { break }
            d = next
            if out.count > 2000 { break }
        }
        let last = ISO8601DateFormatter.string(from: hi, timeZone: cal.timeZone, formatOptions: [.withFullDate])
        if let p = period(of: last, granularity: granularity), out.last != p { out.append(p) }
        return (granularity, out)
    }
}
