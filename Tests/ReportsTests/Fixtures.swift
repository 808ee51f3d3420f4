import ChatModel
import Foundation
import TestScratch
@testable import Reports

/// A small hand-built investigation: two chats, four senders, five hits in four messages, endorsement replies.
enum Fixture {
    static let file = "/evidence/unit-a.txt"
    static let fileB = "/evidence/unit-b.zip!/_chat.txt"

    static func message(_ file: String, _ chat: String?, _ sender: String?, _ index: Int, _ text: String,
                        day: String = "2019-01-05", kind: MessageKind = .text) -> Message {
        Message(file: file, chat: chat, sender: sender, timestamp: "\(day)T10:\(String(format: "%02d", index)):00", text: text,
                kind: kind, line: index + 1, lineEnd: index + 1, byteStart: index * 100, byteEnd: index * 100 + text.utf8.count + 30,
                messageIndex: index, format: .whatsapp, textOrigin: .verbatim(index * 100 + 30))
    }

    /// A hit on the first occurrence of `match` in the message's text.
    static func hit(_ m: Message, _ rule: String, _ category: String, _ severity: Severity, _ match: String) -> Hit {
        let r = m.text.range(of: match)!
        let start = m.text.utf8.distance(from: m.text.startIndex, to: r.lowerBound)
        let end = start + match.utf8.count
        let file = m.fileRange(ofTextBytes: start..<end)
        return Hit(file: m.file, chat: m.chat, sender: m.sender, timestamp: m.timestamp, line: m.line,
                   messageIndex: m.messageIndex, rule: rule, category: category, severity: severity, match: match,
                   byteStart: file?.lowerBound, byteEnd: file?.upperBound, textStart: start, textEnd: end,
                   pattern: rule + "#0", score: 0.9)
    }

    static var chatA: [Message] {
        [
            message(file, "Unit A", "Alice", 0, "morning all"),
            message(file, "Unit A", "Bob", 1, "what an idiot, total moron"),
            message(file, "Unit A", nil, 2, "Carol joined", kind: .system),
            message(file, "Unit A", "Bob", 3, "I will hurt you tonight"),
            message(file, "Unit A", "Carol", 4, "lmao 😂"),
            message(file, "Unit A", "Alice", 5, "no that's not ok"),
            message(file, "Unit A", "Bob", 6, "haha"),
            message(file, "Unit A", "Alice", 7, "Carol is an idiot", day: "2019-01-20"),
            message(file, "Unit A", "Alice", 8, "see you", day: "2019-01-20"),
        ]
    }

    static var chatB: [Message] {
        [
            message(fileB, "Unit B", "Alice", 0, "new rota is out", day: "2019-03-10"),
            message(fileB, "Unit B", "Dave", 1, "hi", day: "2019-03-10"),
            message(fileB, "Unit B", "Dave", 2, "I know where you live", day: "2019-03-10"),
            message(fileB, "Unit B", "Alice", 3, "classic", day: "2019-03-10"),
            message(fileB, "Unit B", "Dave", 4, "lol", day: "2019-03-10"),
        ]
    }

    static func item(_ chat: [Message], _ index: Int, _ hits: (Message) -> [Hit], window: Int = 3) -> MessageHits {
        let m = chat[index]
        return MessageHits(message: m, hits: hits(m), before: Array(chat[max(0, index - window)..<index]),
                           after: Array(chat[(index + 1)..<min(chat.count, index + 1 + window)]))
    }

    static var items: [MessageHits] {
        let a = chatA, b = chatB
        return [
            item(a, 1) { [hit($0, "insult.idiot", "insult", .medium, "idiot"), hit($0, "insult.moron", "insult", .medium, "moron")] },
            item(a, 3) { [hit($0, "threat.hurt", "threat", .critical, "hurt you")] },
            item(a, 7) { [hit($0, "insult.idiot", "insult", .medium, "idiot")] },
            item(b, 2) { [hit($0, "harass.stalk", "harassment", .high, "know where you live")] },
        ]
    }

    static var totals: ScanTotals {
        var t = ScanTotals()
        t.sources = [
            SourceRecord(path: file, size: 900, sha256: String(repeating: "a", count: 64), format: .whatsapp, messages: 9, unparsedLines: 0),
            SourceRecord(path: "/evidence/unit-b.zip", size: 500, sha256: String(repeating: "b", count: 64), format: .whatsapp, messages: 5, unparsedLines: 1),
        ]
        t.bytes = 1400
        t.messages = 14
        t.messagesBySender = [
            SenderChatKey(chat: "Unit A", sender: "Alice"): 4, SenderChatKey(chat: "Unit A", sender: "Bob"): 3,
            SenderChatKey(chat: "Unit A", sender: "Carol"): 1, SenderChatKey(chat: "Unit B", sender: "Alice"): 2,
            SenderChatKey(chat: "Unit B", sender: "Dave"): 3,
        ]
        t.messagesByChat = ["Unit A": 9, "Unit B": 5]
        t.unparsedLines = 1
        t.issues = [ParseIssue(file: "/evidence/unit-b.zip!/_chat.txt", line: 7, severity: .unparsed, reason: "line belongs to no message")]
        return t
    }

    static var run: RunInfo {
        RunInfo(toolVersion: "0.1.0-test", command: ["chatsieve", "scan", "/evidence"], startedAt: "2026-11-22T00:00:00Z",
                options: ["threads": "2"],
                packs: [RulePackSummary(id: "core", version: "1.0.0", path: "rules/core", sha256: String(repeating: "c", count: 64), rules: 4)],
                rules: [
                    RuleSummary(id: "insult.idiot", title: "Idiot", category: "insult", severity: .medium, pack: "core", packVersion: "1.0.0"),
                    RuleSummary(id: "insult.moron", title: "Moron", category: "insult", severity: .medium, pack: "core", packVersion: "1.0.0"),
                    RuleSummary(id: "threat.hurt", title: "Threat to hurt", category: "threat", severity: .critical, pack: "core", packVersion: "1.0.0"),
                    RuleSummary(id: "harass.stalk", title: "Stalking", category: "harassment", severity: .high, pack: "core", packVersion: "1.0.0"),
                ])
    }

    /// A fresh temporary directory.
    static func tempDir() throws -> URL {
        try TestScratch.directory("reports")
    }

    /// Runs a ReportWriter over the fixture with the given outputs and returns it (summary printing off).
    @discardableResult
    static func write(_ configure: (inout ReportOptions) -> Void, items: [MessageHits] = Fixture.items,
                      totals: ScanTotals = Fixture.totals) throws -> ReportWriter {
        var o = ReportOptions(printSummary: false, run: run)
        configure(&o)
        let w = try ReportWriter(options: o)
        for i in items { try w.consume(i) }
        try w.finish(totals: totals)
        return w
    }

    static func read(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }
}
