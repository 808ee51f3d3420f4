import ChatModel
import Foundation
import GRDB

/// The SQLite case database (GRDB): runs with their manifests, sources with SHA-256, rules, the messages that have
/// hits or are context of hits, hits, context links and endorsement signals. Several runs can go into one database:
/// sources and messages are upserted (a source is the pair sha256+path, a message is source+file+message_index), so
/// a second run adds a `runs` row and its hits without duplicating evidence. A message stored once keeps the text
/// and sender it was first stored with (disclosure settings of later runs do not rewrite it; `runs.options` says
/// which were used). Each run is written in one transaction, so a failed run leaves the database as it was.
public final class CaseDatabase {
    public let path: String
    let queue: DatabaseQueue

    /// "Hits per sender per category" for the latest run: the query documented in the README.
    public static let hitsPerSenderPerCategorySQL = """
        SELECT COALESCE(m.sender, '(no sender)') AS sender,
               h.category                        AS category,
               COUNT(*)                          AS hits,
               COUNT(DISTINCT h.message_id)      AS messages
        FROM hits AS h
        JOIN messages AS m ON m.id = h.message_id
        WHERE h.run_id = (SELECT MAX(id) FROM runs)
        GROUP BY 1, 2
        ORDER BY sender, hits DESC, category;
        """

    public init(path: String) throws {
        self.path = path
        do {
            queue = try DatabaseQueue(path: path)
            try Self.migrator.migrate(queue)
        } catch {
            throw ReportError(path: path, reason: "cannot open case database: \(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, tool_version TEXT NOT NULL, command TEXT NOT NULL,
                  started_at TEXT NOT NULL, ended_at TEXT, options TEXT NOT NULL, manifest TEXT NOT NULL,
                  hit_count INTEGER NOT NULL);
                CREATE TABLE sources (id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT NOT NULL, size INTEGER NOT NULL,
                  sha256 TEXT NOT NULL, format TEXT, UNIQUE(sha256, path));
                CREATE TABLE run_sources (run_id INTEGER NOT NULL REFERENCES runs(id),
                  source_id INTEGER NOT NULL REFERENCES sources(id), messages INTEGER NOT NULL,
                  unparsed_lines INTEGER NOT NULL, error TEXT, PRIMARY KEY (run_id, source_id));
                CREATE TABLE rules (id TEXT PRIMARY KEY, title TEXT, category TEXT NOT NULL, subcategory TEXT,
                  severity TEXT NOT NULL, pack TEXT, pack_version TEXT);
                CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT,
                  source_id INTEGER NOT NULL REFERENCES sources(id), file TEXT NOT NULL, chat TEXT, sender TEXT,
                  timestamp TEXT, line INTEGER, message_index INTEGER NOT NULL, byte_start INTEGER, byte_end INTEGER,
                  text TEXT NOT NULL, kind TEXT NOT NULL, UNIQUE (source_id, file, message_index));
                CREATE TABLE hits (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL REFERENCES runs(id),
                  message_id INTEGER NOT NULL REFERENCES messages(id), rule_id TEXT NOT NULL REFERENCES rules(id),
                  category TEXT NOT NULL, subcategory TEXT, severity TEXT NOT NULL, match TEXT NOT NULL, pattern TEXT,
                  byte_start INTEGER, byte_end INTEGER, text_start INTEGER NOT NULL, text_end INTEGER NOT NULL,
                  score REAL, normalised TEXT NOT NULL);
                CREATE TABLE context (run_id INTEGER NOT NULL REFERENCES runs(id),
                  hit_message_id INTEGER NOT NULL REFERENCES messages(id),
                  context_message_id INTEGER NOT NULL REFERENCES messages(id), "offset" INTEGER NOT NULL,
                  PRIMARY KEY (run_id, hit_message_id, "offset"));
                CREATE TABLE endorsements (run_id INTEGER NOT NULL REFERENCES runs(id),
                  reply_message_id INTEGER NOT NULL REFERENCES messages(id),
                  hit_message_id INTEGER NOT NULL REFERENCES messages(id), endorser TEXT NOT NULL,
                  endorsed_sender TEXT NOT NULL, severity TEXT NOT NULL, rules TEXT NOT NULL, distance INTEGER NOT NULL,
                  same_sender INTEGER NOT NULL, PRIMARY KEY (run_id, reply_message_id));
                CREATE INDEX hits_by_run ON hits(run_id, category);
                CREATE INDEX hits_by_message ON hits(message_id);
                CREATE INDEX messages_by_sender ON messages(sender);
                """)
        }
        return m
    }

    /// Stores one finished run. `items` are the hit messages as disclosed in the other outputs.
    /// Returns the new run id.
    @discardableResult
    public func record(run: RunInfo, manifest: Manifest, items: [MessageHits], rules: [RuleSummary],
                       sources: [SourceRecord], endorsements: [Endorsement], context: Int) throws -> Int64 {
        let optionsJSON = String(decoding: try JSONSerialization.data(withJSONObject: manifest.options, options: [.sortedKeys]), as: UTF8.self)
        let manifestJSON = String(decoding: try manifest.json(), as: UTF8.self)
        let commandJSON = String(decoding: try JSONSerialization.data(withJSONObject: run.command), as: UTF8.self)
        do {
            return try queue.write { db -> Int64 in
                /// Prepared once per SQL text (GRDB's statement cache), then executed per row.
                func exec(_ sql: String, _ arguments: StatementArguments) throws {
                    try db.cachedStatement(sql: sql).execute(arguments: arguments)
                }
                func fetchId(_ sql: String, _ arguments: StatementArguments) throws -> Int64? {
                    try Int64.fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
                }
                try db.execute(sql: """
                    INSERT INTO runs (tool_version, command, started_at, ended_at, options, manifest, hit_count)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [run.toolVersion, commandJSON, run.startedAt, run.endedAt, optionsJSON, manifestJSON,
                                     manifest.totals.hits])
                let runId = db.lastInsertedRowID
                var sourceIds: [String: Int64] = [:]
                func sourceId(path: String, size: Int, sha: String, format: String?) throws -> Int64 {
                    try exec("INSERT INTO sources (path, size, sha256, format) VALUES (?, ?, ?, ?) ON CONFLICT(sha256, path) DO NOTHING",
                             [path, size, sha, format])
                    return try fetchId("SELECT id FROM sources WHERE sha256 = ? AND path = ?", [sha, path])!
                }
                for s in sources {
                    let id = try sourceId(path: s.path, size: s.size, sha: s.sha256, format: s.format?.rawValue)
                    sourceIds[s.path] = id
                    try exec("INSERT OR REPLACE INTO run_sources VALUES (?, ?, ?, ?, ?)",
                             [runId, id, s.messages, s.unparsedLines, s.error])
                }
                func sourceFor(_ file: String) throws -> Int64 {
                    if let id = sourceIds[file] { return id }
                    if let r = file.range(of: "!/"), let id = sourceIds[String(file[..<r.lowerBound])] { return id }
                    // Not in the scan totals (should not happen): keep the message, with an unhashed source row.
                    let id = try sourceId(path: file, size: 0, sha: "", format: nil)
                    sourceIds[file] = id
                    return id
                }
                for r in rules {
                    try db.execute(sql: """
                        INSERT INTO rules (id, title, category, subcategory, severity, pack, pack_version) VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT(id) DO UPDATE SET title = excluded.title, category = excluded.category,
                          subcategory = excluded.subcategory, severity = excluded.severity, pack = excluded.pack,
                          pack_version = excluded.pack_version
                        """, arguments: [r.id, r.title, r.category, r.subcategory, r.severity.rawValue, r.pack, r.packVersion])
                }
                var messageIds: [String: Int64] = [:]
                func messageId(_ m: Message) throws -> Int64 {
                    let key = "\(m.file)\u{0}\(m.messageIndex)"
                    if let id = messageIds[key] { return id }
                    let src = try sourceFor(m.file)
                    try exec("""
                        INSERT INTO messages (source_id, file, chat, sender, timestamp, line, message_index, byte_start, byte_end, text, kind)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(source_id, file, message_index) DO NOTHING
                        """, [src, m.file, m.chat, m.sender, m.timestamp, m.line, m.messageIndex, m.byteStart,
                              m.byteEnd, m.text, m.kind.rawValue])
                    let id = try fetchId("SELECT id FROM messages WHERE source_id = ? AND file = ? AND message_index = ?",
                                         [src, m.file, m.messageIndex])!
                    messageIds[key] = id
                    return id
                }
                for item in items {
                    let mid = try messageId(item.message)
                    for h in item.hits {
                        try exec("INSERT OR IGNORE INTO rules (id, category, severity) VALUES (?, ?, ?)",
                                 [h.rule, h.category, h.severity.rawValue])
                        try exec("""
                            INSERT INTO hits (run_id, message_id, rule_id, category, subcategory, severity, match, pattern,
                              byte_start, byte_end, text_start, text_end, score, normalised)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """, [runId, mid, h.rule, h.category, h.subcategory, h.severity.rawValue, h.match,
                                  h.pattern, h.byteStart, h.byteEnd, h.textStart, h.textEnd, h.score,
                                  h.normalised.joined(separator: ",")])
                    }
                    for (offset, c) in HitRecords.contextRows(item, context: context) {
                        try exec("INSERT OR IGNORE INTO context VALUES (?, ?, ?, ?)", [runId, mid, try messageId(c), offset])
                    }
                }
                let itemByKey = Dictionary(items.map { ("\($0.message.file)\u{0}\($0.message.messageIndex)", $0) },
                                           uniquingKeysWith: { a, _ in a })
                for e in endorsements {
                    guard let hit = itemByKey["\(e.hitFile)\u{0}\(e.hitMessageIndex)"],
                          let reply = hit.after.first(where: { $0.file == e.replyFile && $0.messageIndex == e.replyMessageIndex })
                    else { continue }
                    try exec("INSERT OR IGNORE INTO endorsements VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             [runId, try messageId(reply), try messageId(hit.message), e.endorser, e.endorsedSender,
                              e.severity.rawValue, e.rules.joined(separator: ","), e.distance, e.sameSender])
                }
                return runId
            }
        } catch {
            throw ReportError(path: path, reason: "cannot write case database: \(error)")
        }
    }

    /// One row of `hitsPerSenderPerCategorySQL`.
    public struct SenderCategoryCount: Sendable, Equatable {
        public var sender: String
        public var category: String
        public var hits: Int
        public var messages: Int
    }

    /// Runs the documented "hits per sender per category" query (latest run).
    public func hitsPerSenderPerCategory() throws -> [SenderCategoryCount] {
        try queue.read { db in
            try Row.fetchAll(db, sql: Self.hitsPerSenderPerCategorySQL).map {
                SenderCategoryCount(sender: $0["sender"], category: $0["category"], hits: $0["hits"], messages: $0["messages"])
            }
        }
    }

    /// Any read-only query, every value as text (nil for NULL): for tests and ad-hoc inspection.
    public func rows(_ sql: String, _ arguments: [String] = []) throws -> [[String: String?]] {
        try queue.read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                var d: [String: String?] = [:]
                for (name, value) in row {
                    d[name] = value.isNull ? nil : (String.fromDatabaseValue(value) ?? value.description)
                }
                return d
            }
        }
    }
}
