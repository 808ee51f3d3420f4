import ChatModel
import Foundation
import Testing
@testable import Reports

@Suite struct CaseDatabaseTests {
    func scan(into db: String, _ configure: (inout ReportOptions) -> Void = { _ in }) throws {
        try Fixture.write { $0.db = db; $0.context = 2; configure(&$0) }
    }

    @Test func schemaHasTheCaseTables() throws {
        let path = try Fixture.tempDir().appendingPathComponent("case.sqlite").path
        try scan(into: path)
        let db = try CaseDatabase(path: path)
        let tables = try db.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name")
            .compactMap { $0["name"] ?? nil }
        #expect(tables == ["context", "endorsements", "hits", "messages", "rules", "run_rules", "run_sources", "runs", "sources"])
        let hitColumns = try db.rows("SELECT name FROM pragma_table_info('hits')").compactMap { $0["name"] ?? nil }
        #expect(hitColumns.starts(with: ["id", "run_id", "message_id", "rule_id", "category", "subcategory", "severity", "match"]))
        let indexes = try db.rows("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").compactMap { $0["name"] ?? nil }
        #expect(Set(["context_by_hit_message", "context_by_context_message", "endorsements_by_reply", "endorsements_by_hit",
                     "hits_by_message"]).isSubset(of: Set(indexes)))
    }

    @Test func documentedQueryAnswersHitsPerSenderPerCategory() throws {
        let path = try Fixture.tempDir().appendingPathComponent("case.sqlite").path
        try scan(into: path)
        let rows = try CaseDatabase(path: path).hitsPerSenderPerCategory()
        #expect(rows == [
            .init(sender: "Alice", category: "insult", hits: 1, messages: 1),
            .init(sender: "Bob", category: "insult", hits: 2, messages: 1),
            .init(sender: "Bob", category: "threat", hits: 1, messages: 1),
            .init(sender: "Dave", category: "harassment", hits: 1, messages: 1),
        ])
        #expect(CaseDatabase.hitsPerSenderPerCategorySQL.contains("GROUP BY 1, 2"))
    }

    @Test func secondRunAddsARunWithoutDuplicatingSourcesOrMessages() throws {
        let path = try Fixture.tempDir().appendingPathComponent("case.sqlite").path
        try scan(into: path)
        let db = try CaseDatabase(path: path)
        let before = try db.rows("SELECT (SELECT COUNT(*) FROM sources) s, (SELECT COUNT(*) FROM messages) m")[0]
        try scan(into: path)
        let after = try db.rows("SELECT (SELECT COUNT(*) FROM runs) r, (SELECT COUNT(*) FROM sources) s, (SELECT COUNT(*) FROM messages) m, (SELECT COUNT(*) FROM hits) h")[0]
        #expect(after["r"] == "2")
        #expect(after["s"] == before["s"] && after["s"] == "2")
        #expect(after["m"] == before["m"])
        #expect(after["h"] == "10")
        // The documented query counts only the latest run, so it does not double.
        #expect(try db.hitsPerSenderPerCategory().map(\.hits) == [1, 2, 1, 1])
    }

    @Test func eachRunKeepsTheRuleDefinitionsItUsedWhenALaterRunRedefinesAnId() throws {
        let path = try Fixture.tempDir().appendingPathComponent("case.sqlite").path
        try scan(into: path)
        // The second run's pack redefines insult.idiot (another title, severity and pack version).
        try scan(into: path) { o in
            o.run.rules[0] = RuleSummary(id: "insult.idiot", title: "Idiot (v2)", category: "insult", severity: .high,
                                         pack: "core", packVersion: "2.0.0")
        }
        let db = try CaseDatabase(path: path)
        let defs = try db.rows("""
            SELECT run_id AS r, title AS t, severity AS s, pack_version AS v FROM run_rules
            WHERE rule_id = 'insult.idiot' ORDER BY run_id
            """)
        #expect(defs.map { [$0["r"], $0["t"], $0["s"], $0["v"]] } == [["1", "Idiot", "medium", "1.0.0"], ["2", "Idiot (v2)", "high", "2.0.0"]])
        #expect(try db.rows("SELECT COUNT(*) AS n FROM run_rules")[0]["n"] == "8")
        // The rules table holds the latest definition only.
        #expect(try db.rows("SELECT title AS t FROM rules WHERE id = 'insult.idiot'").map { $0["t"] } == ["Idiot (v2)"])
    }

    @Test func rulesOfPacksSharingAnIdKeepTheFileAndLineTheyCameFrom() throws {
        let path = try Fixture.tempDir().appendingPathComponent("case.sqlite").path
        // Two folders named `core` (no pack.yaml): one pack id, two sources.
        try scan(into: path) { o in
            o.run.rules[0].source = "team/core/insults.yaml:4"
            o.run.rules[2].source = "rules/core/threats.yaml:12"
        }
        let db = try CaseDatabase(path: path)
        let rows = try db.rows("SELECT rule_id || ' ' || pack || ' ' || IFNULL(source, '-') AS r FROM run_rules ORDER BY rule_id")
        let got: [String] = rows.map { ($0["r"] ?? nil) ?? "" }
        #expect(got == ["harass.stalk core -", "insult.idiot core team/core/insults.yaml:4", "insult.moron core -",
                        "threat.hurt core rules/core/threats.yaml:12"])
        #expect(try db.rows("SELECT source FROM rules WHERE id = 'threat.hurt'")[0]["source"] == "rules/core/threats.yaml:12")
    }

    @Test func secondRunPointsItsHitsAndContextAtTheMessagesStoredByTheFirst() throws {
        let path = try Fixture.tempDir().appendingPathComponent("case.sqlite").path
        try scan(into: path)
        try scan(into: path)
        let db = try CaseDatabase(path: path)
        // Every hit and context row of run 2 refers to a message that run 1 stored; no placeholder source is left.
        let orphans = try db.rows("""
            SELECT COUNT(*) AS n FROM hits h LEFT JOIN messages m ON m.id = h.message_id WHERE m.id IS NULL
            """)[0]["n"]
        #expect(orphans == "0")
        let perRun = try db.rows("SELECT run_id AS r, COUNT(DISTINCT message_id) AS n FROM hits GROUP BY run_id ORDER BY run_id")
        #expect(perRun.map { $0["n"]! } == ["4", "4"])
        let shared = try db.rows("""
            SELECT COUNT(*) AS n FROM (SELECT message_id FROM hits WHERE run_id = 1 INTERSECT SELECT message_id FROM hits WHERE run_id = 2)
            """)[0]["n"]
        #expect(shared == "4")
        #expect(try db.rows("SELECT COUNT(*) AS n FROM sources WHERE sha256 LIKE 'pending-%'")[0]["n"] == "0")
        #expect(try db.rows("SELECT COUNT(*) AS n FROM context WHERE run_id = 2")[0]["n"] == (try db.rows("SELECT COUNT(*) AS n FROM context WHERE run_id = 1")[0]["n"]))
        #expect(try db.rows("SELECT COUNT(*) AS n FROM endorsements WHERE run_id = 2")[0]["n"] == "4")
    }

    @Test func abandonedRunLeavesTheDatabaseAsItWas() throws {
        let path = try Fixture.tempDir().appendingPathComponent("case.sqlite").path
        try scan(into: path)
        let counts = "SELECT (SELECT COUNT(*) FROM runs) r, (SELECT COUNT(*) FROM sources) s, (SELECT COUNT(*) FROM messages) m, (SELECT COUNT(*) FROM hits) h"
        let before = try CaseDatabase(path: path).rows(counts)[0]
        do {
            var o = ReportOptions(printSummary: false, run: Fixture.run)
            o.db = path
            let w = try ReportWriter(options: o)
            for i in Fixture.items { try w.consume(i) }
            // The scan fails here: `finish` is never called and the writer goes away.
        }
        #expect(try CaseDatabase(path: path).rows(counts)[0] == before)
    }

    @Test func writerStreamsHitMessagesIntoTheDatabaseInsteadOfHoldingThem() throws {
        let path = try Fixture.tempDir().appendingPathComponent("case.sqlite").path
        var o = ReportOptions(printSummary: false, run: Fixture.run)
        o.db = path
        let w = try ReportWriter(options: o)
        for i in Fixture.items { try w.consume(i) }
        #expect(w.retainedHitMessages == 0)
        try w.finish(totals: Fixture.totals)
        #expect(try CaseDatabase(path: path).rows("SELECT COUNT(*) AS n FROM hits")[0]["n"] == "5")
    }

    @Test func messagesContextAndEndorsementsAreStoredWithProvenance() throws {
        let path = try Fixture.tempDir().appendingPathComponent("case.sqlite").path
        try scan(into: path)
        let db = try CaseDatabase(path: path)
        let ctx = try db.rows("""
            SELECT c."offset" AS o, m.text AS t FROM context c JOIN messages h ON h.id = c.hit_message_id
            JOIN messages m ON m.id = c.context_message_id WHERE h.message_index = 3 AND h.file = ? ORDER BY c."offset"
            """, [Fixture.file])
        #expect(ctx.map { $0["o"]! } == ["-2", "-1", "1", "2"])
        #expect(ctx.map { $0["t"]! } == ["what an idiot, total moron", "Carol joined", "lmao 😂", "no that's not ok"])
        let zipMessage = try db.rows("SELECT s.path AS p, s.sha256 AS h FROM messages m JOIN sources s ON s.id = m.source_id WHERE m.file = ?", [Fixture.fileB])
        #expect(zipMessage.first?["p"] == "/evidence/unit-b.zip")
        #expect(zipMessage.first?["h"] == String(repeating: "b", count: 64))
        #expect(try db.rows("SELECT endorser FROM endorsements ORDER BY endorser").map { $0["endorser"]! } == ["Alice", "Bob", "Carol", "Dave"])
        let run = try db.rows("SELECT tool_version, manifest, hit_count FROM runs")[0]
        #expect(run["tool_version"] == "0.1.0-test" && run["hit_count"] == "5")
        #expect((run["manifest"] ?? nil)?.contains("\"rule_packs\"") == true)
        let rule = try db.rows("SELECT title, pack, pack_version FROM rules WHERE id = 'threat.hurt'")[0]
        #expect(rule == ["title": "Threat to hurt", "pack": "core", "pack_version": "1.0.0"])
    }

    /// The engine names a zip member's input `x.zip!/_chat.txt` (evidence file `x.zip`) and a Messenger thread's input
    /// by its folder (evidence files `message_N.json`, which its messages name): their hit messages must end up under
    /// those hashed inputs, not under unhashed rows of their own.
    @Test func hitMessagesOfZipMembersAndThreadsBelongToTheirHashedInputs() throws {
        let path = try Fixture.tempDir().appendingPathComponent("case.sqlite").path
        let member = "/evidence/unit-c.zip!/_chat.txt", part2 = "/evidence/inbox/unitd_1/message_2.json"
        func digest(_ p: String, _ c: Character) -> FileDigest { FileDigest(path: p, size: 100, sha256: String(repeating: c, count: 64)) }
        var zip = SourceRecord(path: member, size: 100, sha256: String(repeating: "c", count: 64), format: .whatsapp, messages: 3, unparsedLines: 0)
        zip.files = [digest("/evidence/unit-c.zip", "c")]
        var thread = SourceRecord(path: "/evidence/inbox/unitd_1", size: 200, sha256: String(repeating: "d", count: 64), format: .messenger,
                                  messages: 3, unparsedLines: 0)
        thread.files = [digest("/evidence/inbox/unitd_1/message_1.json", "e"), digest(part2, "f")]
        var totals = ScanTotals()
        totals.sources = [zip, thread]
        let zipChat = [Fixture.message(member, "Unit C", "Eve", 0, "ok"), Fixture.message(member, "Unit C", "Eve", 1, "you idiot"),
                       Fixture.message(member, "Unit C", "Finn", 2, "ha")]
        let threadChat = [Fixture.message(part2, "Unit D", "Gus", 0, "fine"), Fixture.message(part2, "Unit D", "Gus", 1, "what a moron"),
                          Fixture.message(part2, "Unit D", "Hal", 2, "yes")]
        let items = [Fixture.item(zipChat, 1) { [Fixture.hit($0, "insult.idiot", "insult", .medium, "idiot")] },
                     Fixture.item(threadChat, 1) { [Fixture.hit($0, "insult.moron", "insult", .medium, "moron")] }]
        try Fixture.write({ $0.db = path; $0.context = 1 }, items: items, totals: totals)
        let db = try CaseDatabase(path: path)
        let owners = try db.rows("SELECT DISTINCT s.path AS p, s.sha256 AS h FROM messages m JOIN sources s ON s.id = m.source_id ORDER BY s.path")
        #expect(owners == [["p": "/evidence/inbox/unitd_1", "h": String(repeating: "d", count: 64)],
                           ["p": member, "h": String(repeating: "c", count: 64)]])
        #expect(try db.rows("SELECT COUNT(*) AS n FROM sources")[0]["n"] == "2")
        #expect(try db.rows("SELECT COUNT(*) AS n FROM messages")[0]["n"] == "6")
    }
}

@Suite struct ReadmeSnippetTests {
    @Test func readmeSnippetHoldsTheSameQueryTheCodeRuns() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/Reports/README-sql.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        #expect(text.contains(CaseDatabase.hitsPerSenderPerCategorySQL))
    }
}
