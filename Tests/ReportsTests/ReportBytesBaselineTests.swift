import ChatModel
import Foundation
import Testing
@testable import Reports

/// A few hundred synthetic hit messages over three chats and five senders, built so that every disclosure rule
/// that depends on the whole run is exercised: a term matched only near the end of the run also occurs in earlier
/// context messages (redaction masks it there), and a chat name holds a sender name (pseudonymisation rewrites it).
/// The expected SHA-256 digests were computed by the implementation that holds every hit until `finish`
/// (commit 6ca3be5); a streaming `ReportWriter` must reproduce them byte for byte.
enum ReportBytesBaseline {
    static let senders = ["Alice", "Bob", "Carol", "Dave", "Erin"]
    static let chats = [("/evidence/alpha.txt", "Alpha crew"), ("/evidence/bob.txt", "Bob and Carol"), ("/evidence/c.txt", "Night shift")]
    static let early = ["idiot", "moron", "loser", "clown"]
    /// Matched only in the last 40 hit messages, but written into context messages all through the run.
    static let late = "scumbag"

    static func corpus() -> (items: [MessageHits], totals: ScanTotals) {
        var items: [MessageHits] = []
        var totals = ScanTotals()
        for (c, (file, chat)) in chats.enumerated() {
            var messages: [Message] = []
            for i in 0..<330 {
                let sender = i % 37 == 5 ? nil : senders[(i * 7 + c) % senders.count]
                let day = String(format: "2019-%02d-%02d", 1 + (i / 60) % 12, 1 + i % 28)
                var text = "message \(i) in \(chat)"
                if i % 3 == 0 { text += ", \(early[(i + c) % early.count]) again" }
                if i % 5 == 1 { text += " what a \(late), \"quoted\"" }
                if i % 11 == 0 { text = "=SUM(A1) \(text)\nsecond line 😂" }
                messages.append(Fixture.message(file, chat, sender, i, text, day: day, kind: sender == nil ? .system : .text))
                if let sender { totals.messagesBySender[SenderChatKey(chat: chat, sender: sender), default: 0] += 1 }
            }
            totals.messagesByChat[chat] = messages.count
            totals.messages += messages.count
            totals.sources.append(SourceRecord(path: file, size: 33_000, sha256: String(repeating: "\(c)", count: 64),
                                               format: .whatsapp, messages: messages.count, unparsedLines: 0))
            for i in stride(from: 0, to: messages.count, by: 3) where messages[i].sender != nil {
                let m = messages[i]
                var hits = [Fixture.hit(m, "insult.\(early[(i + c) % early.count])", "insult", i % 2 == 0 ? .medium : .low,
                                        early[(i + c) % early.count])]
                if i >= 270, m.text.contains(late) { hits.append(Fixture.hit(m, "insult.late", "insult", .high, late)) }
                if i % 9 == 0 { hits.append(Fixture.hit(m, "threat.again", "threat", .critical, "again")) }
                items.append(MessageHits(message: m, hits: hits, before: Array(messages[max(0, i - 2)..<i]),
                                         after: Array(messages[(i + 1)..<min(messages.count, i + 3)])))
            }
        }
        // Interleave the chats as a multi-threaded scan would hand them over.
        items.sort { ($0.message.messageIndex, $0.message.file) < ($1.message.messageIndex, $1.message.file) }
        totals.bytes = 99_000
        return (items, totals)
    }

    struct Digests: Equatable, CustomStringConvertible {
        var jsonl, csv, html, summary: String
        var description: String { "jsonl \(jsonl)\ncsv \(csv)\nhtml \(html)\nsummary \(summary)" }
    }

    static func digests(redact: Bool, key: String?) throws -> Digests {
        let dir = try Fixture.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (items, totals) = corpus()
        var run = Fixture.run
        run.endedAt = "2026-11-22T00:01:00Z"
        var text = ""
        var o = ReportOptions(jsonl: dir.appendingPathComponent("h.jsonl").path, csv: dir.appendingPathComponent("h.csv").path,
                              html: dir.appendingPathComponent("h.html").path, context: 2, redact: redact,
                              pseudonymiseKey: key, colour: false, htmlHitLimit: 60, run: run)
        o.manifest = dir.appendingPathComponent("m.json").path
        let w = try ReportWriter(options: o)
        w.terminalOutput = { text += $0 }
        for i in items { try w.consume(i) }
        try w.finish(totals: totals)
        func file(_ name: String) throws -> String { sha256Hex(try Data(contentsOf: dir.appendingPathComponent(name))) }
        // The HTML lists the recorded options, output paths included: hash it with the temporary directory named alike.
        let html = try String(contentsOf: dir.appendingPathComponent("h.html"), encoding: .utf8)
            .replacingOccurrences(of: dir.path, with: "OUT")
        return Digests(jsonl: try file("h.jsonl"), csv: try file("h.csv"), html: sha256Hex(Data(html.utf8)),
                       summary: sha256Hex(Data(text.utf8)))
    }
}

@Suite struct ReportBytesBaselineTests {
    @Test func corpusHasLateTermInEarlierContextAndSenderNameInChatName() {
        let (items, _) = ReportBytesBaseline.corpus()
        #expect(items.count > 250)
        let firstLate = items.firstIndex { $0.hits.contains { $0.match == ReportBytesBaseline.late } }!
        #expect(items[..<firstLate].contains { $0.before.contains { $0.text.contains(ReportBytesBaseline.late) } })
        #expect(items.contains { $0.message.chat == "Bob and Carol" })
    }

    /// The reason redaction cannot simply be applied per message as hits arrive: the first JSON line already masks
    /// a term whose first hit comes hundreds of messages later.
    @Test func redactionMasksInEarlyContextATermFirstMatchedLateInTheRun() throws {
        let dir = try Fixture.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (items, totals) = ReportBytesBaseline.corpus()
        let path = dir.appendingPathComponent("h.jsonl").path
        try Fixture.write({ $0.jsonl = path; $0.context = 2; $0.redact = true }, items: items, totals: totals)
        let first = try Fixture.read(URL(fileURLWithPath: path)).split(separator: "\n")[0]
        #expect(first.contains("s******"))
        #expect(!first.contains(ReportBytesBaseline.late))
    }

    @Test func writerKeepsOnlyTheHTMLListedMessagesInMemoryAlsoWhenDisclosureNeedsTheWholeRun() throws {
        let dir = try Fixture.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (items, totals) = ReportBytesBaseline.corpus()
        for redact in [false, true] {
            let w = try ReportWriter(options: ReportOptions(
                jsonl: dir.appendingPathComponent("h\(redact).jsonl").path, csv: dir.appendingPathComponent("h\(redact).csv").path,
                html: dir.appendingPathComponent("h\(redact).html").path, redact: redact, printSummary: false,
                htmlHitLimit: 10, run: Fixture.run))
            for i in items { try w.consume(i) }
            #expect(w.retainedHitMessages == (redact ? 0 : 10), "held in a temporary file, not in memory")
            try w.finish(totals: totals)
            #expect(w.manifest?.totals.hitMessages == items.count)
        }
    }

    @Test(arguments: [(false, nil), (true, nil), (false, "case-key"), (true, "case-key")] as [(Bool, String?)])
    func outputsKeepTheBytesOfTheHoldEverythingWriter(redact: Bool, key: String?) throws {
        let got = try ReportBytesBaseline.digests(redact: redact, key: key)
        #expect(got == ReportBytesBaseline.expected[ReportBytesBaseline.mode(redact, key)])
    }
}

extension ReportBytesBaseline {
    static func mode(_ redact: Bool, _ key: String?) -> String { "\(redact ? "redact" : "plain")-\(key == nil ? "names" : "pseudonyms")" }
    /// Computed at commit 6ca3be5 (every hit held until `finish`).
    static let expected: [String: Digests] = [
        "plain-names": Digests(
            jsonl: "a95c416155ec91cdeac4e180d4156c8fe707b3e3651bdcb2610fbb9bdf6dbc70",
            csv: "1b35b8947fdf0bd2c1826adb27febe82d63c62c24c7f632a4339773f70670805",
            html: "c61bf8eb8525066f920d76d2a2f5b7d13c5139d6bdb3ff2a70bdfd972d308f74",
            summary: "9d521a45886cfc780caeb0e0d586948ce137432d63f208206da3cc9d7bfcf0e5"),
        "redact-names": Digests(
            jsonl: "6e862cb99f065334098ad9f1a5cb1390f062a1b04838ae95a25698db432d6159",
            csv: "f72828568447af0498fd47574442bbe4cff712ffd179c6c876284a15f03e7eff",
            html: "37934a32c17d2731fc1c820ba97cb951c2b6d8aa1d35b26a869f1f5dfb785098",
            summary: "9d521a45886cfc780caeb0e0d586948ce137432d63f208206da3cc9d7bfcf0e5"),
        "plain-pseudonyms": Digests(
            jsonl: "2f81d618a1939573f2eed45cc0488e4fe08bb93bac4a5aeaca62f71550551869",
            csv: "60f2ae7f3d948bc687f6bda574773b4ded03569db1ea39b3d4010755f498bb2f",
            html: "2e38b3d36207067b53ce88752e53858c335026882b284ec92d5e6c21383a00a1",
            summary: "db4b1984624b88feff9eb5befadb27d4f5ffc02e32081356de9b8be9963cdb98"),
        "redact-pseudonyms": Digests(
            jsonl: "1a95538d0e7d904762776a8091a070b1902b2d8c8318766d3056168c12ff7b13",
            csv: "6c257e7db99d36e5be05c7e15be88f48b5668be58e08db0142d96b1ef39f5f08",
            html: "ae20f7d94159aef57699d1b22b01edd38fdbfe19ef19fc1579d159c7dbb2b2ff",
            summary: "db4b1984624b88feff9eb5befadb27d4f5ffc02e32081356de9b8be9963cdb98"),
    ]
}
