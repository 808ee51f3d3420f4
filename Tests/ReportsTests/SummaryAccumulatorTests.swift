import ChatModel
import Foundation
import Testing
@testable import Reports

/// The id-based `SummaryAccumulator` against the String-keyed one it replaced (`LegacySummaryAccumulator`).
@Suite struct SummaryAccumulatorTests {
    static func compare(_ items: [MessageHits], totals: ScanTotals, rules: [RuleSummary] = []) {
        var new = SummaryAccumulator(rules: rules)
        var old = LegacySummaryAccumulator(rules: rules)
        for item in items {
            new.add(item)
            old.add(item)
        }
        let a = new.summary(totals: totals, endorsements: [])
        let b = old.summary(totals: totals, endorsements: [])
        #expect(a.senders == b.senders)
        #expect(a.chats == b.chats)
        #expect(a.senderChats == b.senderChats)
        #expect(a.overall == b.overall)
        #expect(a.rules == b.rules)
        #expect(a.timelineGranularity == b.timelineGranularity)
        #expect(a.timelinePeriods == b.timelinePeriods)
        #expect(a.timelineBySeverity == b.timelineBySeverity)
    }

    @Test func baselineCorpusGivesTheSameSummaryAsTheStringKeyedAccumulator() {
        let (items, totals) = ReportBytesBaseline.corpus()
        Self.compare(items, totals: totals, rules: Fixture.run.rules)
        Self.compare(Fixture.items, totals: Fixture.totals, rules: Fixture.run.rules)
    }

    /// Odd timestamps (short, non-ASCII digits, a combining mark or CR LF at the day boundary, none), hit-less
    /// messages that still widen the timeline, one rule reported under two categories, messages without a chat.
    @Test func oddTimestampsCategoriesAndChatlessMessagesGiveTheSameSummary() {
        let stamps: [String?] = ["2019-01-05T10:00:00", "2019-01-05T11:00:00", "2019-01-06T10:00:00", nil, "2019",
                                 "２０１９-01-07T10:00", "2019-01-08\u{301}T10:00", "2019-01-0\r\nT10", "2019-01-09",
                                 "2019-02-10T10:00:00Z", "2019-03-01T00:00:00+01:00", "garbage-stamp", "2019-01-05T23:59:59"]
        var items: [MessageHits] = []
        var totals = ScanTotals()
        for i in 0..<260 {
            var m = Fixture.message(i % 2 == 0 ? "/e/a.txt" : "/e/b.txt", i % 7 == 0 ? nil : "Chat \(i % 3)",
                                    i % 11 == 0 ? nil : ["Ann", "Bo", "Cy", "Di"][i % 4], i, "a bad word and another bad one")
            m.timestamp = stamps[i % stamps.count]
            var hits: [Hit] = []
            if i % 5 != 4 {
                hits.append(Fixture.hit(m, "r.\(i % 6)", i % 13 == 0 ? "other" : "insult", Severity.allCases[i % 5], "bad"))
                if i % 3 == 0 { hits.append(Fixture.hit(m, "r.\(i % 6)", "insult", .critical, "word")) }
                if i % 4 == 0 { hits.append(Fixture.hit(m, "r.x", "threat", .info, "another")) }
            }
            items.append(MessageHits(message: m, hits: hits, before: [], after: []))
            totals.messagesBySender[SenderChatKey(chat: Aggregator.chatLabel(m), sender: Aggregator.senderLabel(m.sender)), default: 0] += 1
            totals.messagesByChat[Aggregator.chatLabel(m), default: 0] += 1
        }
        Self.compare(items, totals: totals, rules: [RuleSummary(id: "r.1", title: "One", category: "named", severity: .high, pack: "p")])
        // Within 120 days: weekly periods.
        Self.compare(items.filter { $0.message.timestamp?.hasPrefix("2019-01") ?? true }, totals: totals)
    }
}
