import ChatModel
import Foundation
import GRDB

/// One run being written into a `CaseDatabase` while the scan goes on, so the writer never holds the run's hit
/// messages: `add` stores each hit message with its hits and context as it arrives, `finish` stores sources,
/// endorsements and the manifest and commits. Everything happens in one transaction, so a failed or interrupted run
/// leaves the database as it was (`abort`, or SQLite's journal after a crash).
///
/// Evidence hashes are known only at the end of a run, while messages belong to a source (SHA-256 and path). Hit
/// messages therefore go under a placeholder source per message file during the run; `finish` moves them to the
/// input they were read from (the input's own path, a zip member's `x.zip!/_chat.txt`, or one of its evidence files,
/// a thread's `message_N.json`), and where a message is already stored there (an earlier run), it keeps the stored
/// row and points this run's hits and context at it.
public final class CaseDatabaseRun {
    let database: CaseDatabase
    private let context: Int
    private let runId: Int64
    private var placeholders: [String: Int64] = [:]
    /// Recently stored message ids by file and index (context windows overlap); cleared when it grows.
    private var recent: [String: Int64] = [:]
    private var open = true

    /// Begins the run: opens the transaction and stores the run row and the rules.
    init(database: CaseDatabase, run: RunInfo, context: Int) throws {
        self.database = database
        self.context = context
        let commandJSON = String(decoding: try JSONSerialization.data(withJSONObject: run.command), as: UTF8.self)
        var id: Int64 = 0
        try database.queue.inDatabase { db in
            try db.beginTransaction(.immediate)
            try db.execute(sql: """
                INSERT INTO runs (tool_version, command, started_at, ended_at, options, manifest, hit_count)
                VALUES (?, ?, ?, NULL, '{}', '', 0)
                """, arguments: [run.toolVersion, commandJSON, run.startedAt])
            id = db.lastInsertedRowID
            for r in run.rules {
                try db.execute(sql: """
                    INSERT INTO rules (id, title, category, subcategory, severity, pack, pack_version, source)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET title = excluded.title, category = excluded.category,
                      subcategory = excluded.subcategory, severity = excluded.severity, pack = excluded.pack,
                      pack_version = excluded.pack_version, source = excluded.source
                    """, arguments: [r.id, r.title, r.category, r.subcategory, r.severity.rawValue, r.pack, r.packVersion,
                                     r.source])
                try db.cachedStatement(sql: """
                    INSERT INTO run_rules (run_id, rule_id, title, category, subcategory, severity, pack, pack_version, source)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(run_id, rule_id) DO NOTHING
                    """).execute(arguments: [id, r.id, r.title, r.category, r.subcategory, r.severity.rawValue, r.pack,
                                           r.packVersion, r.source])
            }
        }
        runId = id
    }

    deinit { abort() }

    /// The source path a message file belongs to (a zip member `x.zip!/chat.txt` belongs to `x.zip`).
    static func sourcePath(of file: String) -> String {
        if let r = file.range(of: "!/") { return String(file[..<r.lowerBound]) }
        return file
    }

    /// The placeholder source of the messages of `file` (a message's `file`), one per file.
    private func placeholder(_ db: Database, for file: String) throws -> Int64 {
        if let id = placeholders[file] { return id }
        try db.cachedStatement(sql: "INSERT INTO sources (path, size, sha256, format) VALUES (?, 0, ?, NULL)")
            .execute(arguments: [file, "pending-run-\(runId)"])
        let id = db.lastInsertedRowID
        placeholders[file] = id
        return id
    }

    /// The index in `sources` of the input each message file belongs to: the input whose path is the file (a
    /// WhatsApp text, a zip member's `x.zip!/_chat.txt`), else the one with the file among its evidence files (each
    /// `message_N.json` of a thread), else the one whose path is the file's archive (`x.zip` for `x.zip!/...`).
    static func sourceIndex(ofMessageFile file: String, in sources: [SourceRecord]) -> Int? {
        sources.firstIndex { $0.path == file } ?? sources.firstIndex { $0.files.contains { $0.path == file } }
            ?? sources.firstIndex { $0.path == sourcePath(of: file) }
    }

    private func messageId(_ db: Database, _ m: Message) throws -> Int64 {
        let key = m.runKey
        if let id = recent[key] { return id }
        let src = try placeholder(db, for: m.file)
        try db.cachedStatement(sql: """
            INSERT INTO messages (source_id, file, chat, sender, timestamp, line, message_index, byte_start, byte_end, text, kind)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(source_id, file, message_index) DO NOTHING
            """).execute(arguments: [src, m.file, m.chat, m.sender, m.timestamp, m.line, m.messageIndex, m.byteStart,
                                     m.byteEnd, m.text, m.kind.rawValue])
        let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM messages WHERE source_id = ? AND file = ? AND message_index = ?"),
                                    arguments: [src, m.file, m.messageIndex])!
        if recent.count >= 4096 { recent.removeAll(keepingCapacity: true) }
        recent[key] = id
        return id
    }

    /// Stores one (already disclosed) hit message: the message, its hits, its context links, and the replies that
    /// may be endorsements of it.
    func add(_ item: MessageHits, replies: [Message]) throws {
        try database.queue.inDatabase { db in
            let mid = try messageId(db, item.message)
            for h in item.hits {
                try db.cachedStatement(sql: "INSERT OR IGNORE INTO rules (id, category, severity) VALUES (?, ?, ?)")
                    .execute(arguments: [h.rule, h.category, h.severity.rawValue])
                try db.cachedStatement(sql: """
                    INSERT INTO hits (run_id, message_id, rule_id, category, subcategory, severity, match, pattern,
                      byte_start, byte_end, text_start, text_end, score, normalised)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [runId, mid, h.rule, h.category, h.subcategory, h.severity.rawValue, h.match,
                                             h.pattern, h.byteStart, h.byteEnd, h.textStart, h.textEnd, h.score,
                                             h.normalised.joined(separator: ",")])
            }
            for (offset, c) in HitRecords.contextRows(item, context: context) {
                try db.cachedStatement(sql: "INSERT OR IGNORE INTO context VALUES (?, ?, ?, ?)")
                    .execute(arguments: [runId, mid, try messageId(db, c), offset])
            }
            for r in replies { _ = try messageId(db, r) }
        }
    }

    /// Stores the run's sources, moves its messages to them, stores the endorsements and the manifest, and commits.
    func finish(manifest: Manifest, sources: [SourceRecord], endorsements: [Endorsement]) throws {
        let optionsJSON = String(decoding: try JSONSerialization.data(withJSONObject: manifest.options, options: [.sortedKeys]), as: UTF8.self)
        let manifestJSON = String(decoding: try manifest.json(), as: UTF8.self)
        try database.queue.inDatabase { db in
            // Source row id by message file (see `sourceIndex(ofMessageFile:in:)`).
            var sourceIds: [String: Int64] = [:]
            func sourceId(path: String, size: Int, sha: String, format: String?) throws -> Int64 {
                try db.execute(sql: "INSERT INTO sources (path, size, sha256, format) VALUES (?, ?, ?, ?) ON CONFLICT(sha256, path) DO NOTHING",
                               arguments: [path, size, sha, format])
                return try Int64.fetchOne(db, sql: "SELECT id FROM sources WHERE sha256 = ? AND path = ?", arguments: [sha, path])!
            }
            var ids: [Int64] = []
            for s in sources {
                let id = try sourceId(path: s.path, size: s.size, sha: s.sha256, format: s.format?.rawValue)
                ids.append(id)
                try db.execute(sql: "INSERT OR REPLACE INTO run_sources VALUES (?, ?, ?, ?, ?)",
                               arguments: [runId, id, s.messages, s.unparsedLines, s.error])
            }
            for (file, pending) in placeholders.sorted(by: { $0.key < $1.key }) {
                // Not in the scan totals (should not happen): keep the messages, under an unhashed source row.
                let real = try Self.sourceIndex(ofMessageFile: file, in: sources).map { ids[$0] }
                    ?? sourceId(path: Self.sourcePath(of: file), size: 0, sha: "", format: nil)
                sourceIds[file] = real
                try move(db, from: pending, to: real)
            }
            for e in endorsements {
                func stored(_ file: String, _ index: Int) throws -> Int64? {
                    guard let src = sourceIds[file] ?? Self.sourceIndex(ofMessageFile: file, in: sources).map({ ids[$0] })
                    else { return nil }
                    return try Int64.fetchOne(db, sql: "SELECT id FROM messages WHERE source_id = ? AND file = ? AND message_index = ?",
                                              arguments: [src, file, index])
                }
                guard let reply = try stored(e.replyFile, e.replyMessageIndex), let hit = try stored(e.hitFile, e.hitMessageIndex)
                else { continue }
                try db.execute(sql: "INSERT OR IGNORE INTO endorsements VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               arguments: [runId, reply, hit, e.endorser, e.endorsedSender, e.severity.rawValue,
                                           e.rules.joined(separator: ","), e.distance, e.sameSender])
            }
            try db.execute(sql: "UPDATE runs SET ended_at = ?, options = ?, manifest = ?, hit_count = ? WHERE id = ?",
                           arguments: [manifest.endedAt, optionsJSON, manifestJSON, manifest.totals.hits, runId])
            try db.commit()
        }
        open = false
    }

    /// Moves the messages of placeholder source `pending` to source `real`; a message already stored under `real`
    /// is kept, and this run's hits and context are pointed at it.
    private func move(_ db: Database, from pending: Int64, to real: Int64) throws {
        // `old` is the primary key, so each lookup below is an index search, not a scan of the table.
        try db.execute(sql: """
            CREATE TEMP TABLE moved (old INTEGER PRIMARY KEY, new INTEGER NOT NULL);
            INSERT INTO moved
              SELECT p.id, r.id FROM messages AS p
              JOIN messages AS r ON r.source_id = ? AND r.file = p.file AND r.message_index = p.message_index
              WHERE p.source_id = ?;
            """, arguments: [real, pending])
        try db.execute(sql: """
            UPDATE hits SET message_id = (SELECT new FROM moved WHERE old = hits.message_id)
              WHERE run_id = ? AND message_id IN (SELECT old FROM moved);
            UPDATE context SET hit_message_id = (SELECT new FROM moved WHERE old = context.hit_message_id)
              WHERE run_id = ? AND hit_message_id IN (SELECT old FROM moved);
            UPDATE context SET context_message_id = (SELECT new FROM moved WHERE old = context.context_message_id)
              WHERE run_id = ? AND context_message_id IN (SELECT old FROM moved);
            DELETE FROM messages WHERE id IN (SELECT old FROM moved);
            UPDATE messages SET source_id = ? WHERE source_id = ?;
            DELETE FROM sources WHERE id = ?;
            DROP TABLE moved;
            """, arguments: [runId, runId, runId, real, pending, pending])
    }

    /// Rolls the run back (nothing of it stays in the database).
    public func abort() {
        guard open else { return }
        open = false
        try? database.queue.inDatabase { db in if db.isInsideTransaction { try db.rollback() } }
    }
}
