import ChatModel
import Foundation
import Testing
@testable import Reports

/// Opt-in volume runs (not part of `make test`): `CHATSIEVE_REPORTS_BENCH=20000 swift test --filter ReportsBenchmark`
/// (add `-c release` for figures that mean something) writes the outputs for N synthetic hit messages (2 hits each):
/// every output with context 3, redaction and pseudonyms on; and the streaming JSON Lines + CSV + summary path. It
/// prints the time taken and checks the outputs, never the time.
@Suite struct ReportsBenchmark {
    static let size = Int(ProcessInfo.processInfo.environment["CHATSIEVE_REPORTS_BENCH"] ?? "") ?? 0

    /// N hit messages (2 hits each) in chats of 5000 messages, each with 3 messages of context each side, and the
    /// scan totals for them.
    static func corpus(_ n: Int) -> (items: [MessageHits], totals: ScanTotals) {
        let names = ["Alice", "Bob", "Carol", "Dave", "Eve"]
        var chat: [Message] = []
        for i in 0..<(n * 4) {
            let text = i % 4 == 1 ? "you are an idiot and a moron mate \(i)" : (i % 4 == 2 ? "lol" : "normal message number \(i) here")
            chat.append(Fixture.message("/e/big.txt", "Chat \(i / 5000)", names[i % 5], i, text,
                                        day: String(format: "2019-%02d-%02d", (i / 7000) % 12 + 1, (i / 300) % 28 + 1)))
        }
        var items: [MessageHits] = []
        for i in stride(from: 1, to: chat.count, by: 4) {
            let m = chat[i]
            items.append(MessageHits(message: m, hits: [Fixture.hit(m, "insult.idiot", "insult", .high, "idiot"),
                                                        Fixture.hit(m, "insult.moron", "insult", .medium, "moron")],
                                     before: Array(chat[max(0, i - 3)..<i]), after: Array(chat[(i + 1)..<min(chat.count, i + 4)])))
        }
        var totals = ScanTotals()
        for m in chat { totals.messagesBySender[SenderChatKey(chat: m.chat!, sender: m.sender!), default: 0] += 1 }
        return (items, totals)
    }

    @Test(.enabled(if: size > 0, "set CHATSIEVE_REPORTS_BENCH=N to run"))
    func allOutputsForManyHitMessages() throws {
        let n = Self.size
        let (items, totals) = Self.corpus(n)
        let dir = try Fixture.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let start = Date()
        let w = try Fixture.write({ $0.jsonl = dir.appendingPathComponent("h.jsonl").path; $0.csv = dir.appendingPathComponent("h.csv").path
            $0.html = dir.appendingPathComponent("r.html").path; $0.db = dir.appendingPathComponent("c.sqlite").path
            $0.context = 3; $0.redact = true; $0.pseudonymiseKey = "k" }, items: items, totals: totals)
        print("reports: \(n) hit messages, \(2 * n) hits, JSONL+CSV+HTML+SQLite+manifest, context 3, redact, pseudonymise: "
              + String(format: "%.2f s", Date().timeIntervalSince(start)))
        #expect(w.manifest?.totals.hits == 2 * n)
        #expect(try CaseDatabase(path: dir.appendingPathComponent("c.sqlite").path).hitsPerSenderPerCategory().map(\.hits).reduce(0, +) == 2 * n)
    }

    /// The streaming path a plain `scan --jsonl` takes: no redaction, no pseudonyms, no context, hit messages written
    /// as they arrive (JSON Lines + CSV + running summary). Prints the time per hit message spent in `consume`.
    @Test(.enabled(if: size > 0, "set CHATSIEVE_REPORTS_BENCH=N to run"))
    func streamingJSONLCSVAndSummaryForManyHitMessages() throws {
        let n = Self.size
        let (items, totals) = Self.corpus(n)
        let dir = try Fixture.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let w = try ReportWriter(options: ReportOptions(
            jsonl: dir.appendingPathComponent("h.jsonl").path, csv: dir.appendingPathComponent("h.csv").path,
            colour: false, run: Fixture.run))
        var summary = ""
        w.terminalOutput = { summary += $0 }
        let start = Date()
        for item in items { try w.consume(item) }
        let consumed = Date()
        try w.finish(totals: totals)
        let seconds = consumed.timeIntervalSince(start)
        print("reports streaming: \(n) hit messages, \(2 * n) hits, JSONL+CSV+summary, no context: "
              + String(format: "consume %.3f s (%.2f µs per hit message), finish %.3f s", seconds,
                       seconds * 1e6 / Double(max(n, 1)), Date().timeIntervalSince(consumed)))
        #expect(w.manifest?.totals.hits == 2 * n)
        #expect(w.summary?.overall.hits == 2 * n)
        #expect(summary.contains("insult.idiot"))
    }
}
