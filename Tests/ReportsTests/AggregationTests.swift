import ChatModel
import Foundation
import Testing
@testable import Reports

@Suite struct AggregationTests {
    let s = Aggregator.summarise(Fixture.items, totals: Fixture.totals, rules: Fixture.run.rules)

    func sender(_ n: String) -> GroupStats { s.senders.first { $0.sender == n }! }
    func chat(_ n: String) -> GroupStats { s.chats.first { $0.chat == n }! }

    @Test func perSenderCountsHitsHitMessagesAndMessagesSentAcrossChats() {
        let bob = sender("Bob")
        #expect(bob.hits == 3)
        #expect(bob.hitMessages == 2)
        #expect(bob.messages == 3)
        #expect(bob.byCategory["insult"] == CountPair(hits: 2, messages: 1))
        #expect(bob.byCategory["threat"] == CountPair(hits: 1, messages: 1))
        let alice = sender("Alice")
        #expect(alice.messages == 6)            // 4 in Unit A + 2 in Unit B
        #expect(alice.hits == 1)
        #expect(alice.firstSeen == "2019-01-20T10:07:00")
    }

    @Test func sendersWithoutHitsStillListedWithTheirMessageTotals() {
        let carol = sender("Carol")
        #expect(carol.hits == 0)
        #expect(carol.messages == 1)
        #expect(carol.rate == 0)
    }

    @Test func ratesCompareHitMessagesToMessagesSent() {
        #expect(abs(sender("Bob").rate! - 2.0 / 3.0) < 1e-9)
        #expect(abs(sender("Alice").rate! - 1.0 / 6.0) < 1e-9)
        #expect(abs(sender("Dave").rate! - 1.0 / 3.0) < 1e-9)
    }

    @Test func perChatCountsIncludeSystemMessagesInTotalsButNotAsSenders() {
        #expect(chat("Unit A").hits == 4)
        #expect(chat("Unit A").hitMessages == 3)
        #expect(chat("Unit A").messages == 9)
        #expect(chat("Unit B").hits == 1)
        #expect(!s.senders.contains { $0.sender == Aggregator.noSender })
        #expect(s.overall.messages == 13)       // user messages only
    }

    @Test func senderByChatSeparatesTheSameSenderInTwoChats() {
        let aliceA = s.senderChats.first { $0.sender == "Alice" && $0.chat == "Unit A" }!
        let aliceB = s.senderChats.first { $0.sender == "Alice" && $0.chat == "Unit B" }!
        #expect(aliceA.hits == 1 && aliceA.messages == 4)
        #expect(aliceB.hits == 0 && aliceB.messages == 2)
    }

    @Test func severityRollUpCountsHitsPerSeverityAndMessagesByTheirWorstHit() {
        let bob = sender("Bob")
        #expect(bob.bySeverity[.medium] == CountPair(hits: 2, messages: 1))
        #expect(bob.bySeverity[.critical] == CountPair(hits: 1, messages: 1))
        #expect(bob.messagesByTopSeverity == [.critical: 1, .medium: 1])
        #expect(bob.topSeverity == .critical)
        #expect(bob.score == 2 * 3 + 27)
        #expect(s.overall.bySeverity[.high] == CountPair(hits: 1, messages: 1))
        #expect(s.overall.hits == 5)
    }

    @Test func uniqueHitsCountMessagesHitByThatRuleAlone() {
        let idiot = s.rules.first { $0.rule == "insult.idiot" }!
        #expect(idiot.hits == 2 && idiot.messages == 2 && idiot.uniqueMessages == 1)
        let moron = s.rules.first { $0.rule == "insult.moron" }!
        #expect(moron.hits == 1 && moron.uniqueMessages == 0)
        #expect(s.rules.first { $0.rule == "threat.hurt" }!.uniqueMessages == 1)
        #expect(s.rules.first?.rule == "insult.idiot")   // most hits first
        #expect(idiot.title == "Idiot")
    }

    @Test func groupsSortedBySeverityScoreFirst() {
        #expect(s.senders.map(\.sender) == ["Bob", "Dave", "Alice", "Carol"])
    }

    @Test func timelineUsesWeeksForShortSpansAndListsEveryPeriodInBetween() {
        #expect(s.timelineGranularity == "week")
        #expect(s.timelinePeriods.first == "2019-W01")
        #expect(s.timelinePeriods.last == "2019-W10")
        #expect(s.timelinePeriods.count == 10)
        #expect(s.timelineBySeverity["2019-W01"]?[.medium] == 2)
        #expect(sender("Bob").timeline["2019-W01"] == 3)
    }

    @Test func timelineUsesMonthsForLongSpans() {
        let (g, periods) = Timeline.periods(for: ["2018-11-30T10:00:00", "2019-06-01T09:00:00Z"])
        #expect(g == "month")
        #expect(periods == ["2018-11", "2018-12", "2019-01", "2019-02", "2019-03", "2019-04", "2019-05", "2019-06"])
    }

    @Test func topRulesOrderedByHits() {
        #expect(sender("Bob").topRules(2).map(\.rule) == ["insult.idiot", "insult.moron"])
    }
}

@Suite struct ChatLabelAndOptionTests {
    @Test func messagesWithoutAChatAreGroupedUnderTheirFileLikeTheEngineTotals() {
        let m = Message(file: "terms.txt", chat: nil, sender: nil, timestamp: nil, text: "you idiot", kind: .text, line: 4,
                        lineEnd: 4, byteStart: 0, byteEnd: 9, messageIndex: 3, format: .lines)
        var t = ScanTotals()
        t.messagesByChat = ["terms.txt": 10]
        let s = Aggregator.summarise([MessageHits(message: m, hits: [Fixture.hit(m, "insult.idiot", "insult", .medium, "idiot")])], totals: t)
        #expect(s.chats.map(\.chat) == ["terms.txt"])
        #expect(s.chats[0].messages == 10 && s.chats[0].hits == 1)
        #expect(s.senders.map(\.sender) == [Aggregator.noSender])
        #expect(s.timelinePeriods.isEmpty)
    }

    @Test func manifestGoesBesideTheFirstOutputFile() {
        #expect(ReportOptions(jsonl: "out/hits.jsonl", html: "r/report.html", run: Fixture.run).manifestPath == "out/hits.manifest.json")
        #expect(ReportOptions(jsonl: "-", html: "r/report.html", run: Fixture.run).manifestPath == "r/report.manifest.json")
        #expect(ReportOptions(db: "case", run: Fixture.run).manifestPath == "case.manifest.json")
        #expect(ReportOptions(jsonl: "-", run: Fixture.run).manifestPath == nil)
        #expect(ReportOptions(jsonl: "-", manifest: "m.json", run: Fixture.run).manifestPath == "m.json")
    }
}
