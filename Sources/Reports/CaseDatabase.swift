import ChatModel
import Foundation
import GRDB

/// The SQLite case database (GRDB): runs with their manifests, sources with SHA-256, rules, the messages that have
/// hits or are context of hits, hits, context links and endorsement signals. Several runs can go into one database:
/// sources and messages are upserted (a source is the pair sha256+path, a message is source+file+message_index), so
/// a second run adds a `runs` row and its hits without duplicating evidence. A message stored once keeps the text
/// and sender it was first stored with (disclosure settings of later runs do not rewrite it; `runs.options` says
/// which were used). Each run is written in one transaction while the scan goes on (`beginRun`), so a failed run
/// leaves the database as it was.
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
            var config = Configuration()
            // A run's transaction stays open across the scan (`CaseDatabaseRun`).
            config.allowsUnsafeTransactions = true
            queue = try DatabaseQueue(path: path, configuration: config)
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
        m.registerMigration("v2") { db in
            // Every column that refers to a message is indexed: a re-run that finds a message already stored
            // deletes its placeholder row, and SQLite checks each such reference when it does.
            try db.execute(sql: """
                CREATE INDEX IF NOT EXISTS context_by_hit_message ON context(hit_message_id);
                CREATE INDEX IF NOT EXISTS context_by_context_message ON context(context_message_id);
                CREATE INDEX IF NOT EXISTS endorsements_by_reply ON endorsements(reply_message_id);
                CREATE INDEX IF NOT EXISTS endorsements_by_hit ON endorsements(hit_message_id);
                """)
        }
        m.registerMigration("v3") { db in
            // `rules` holds each id's latest definition; a later run with an edited pack (or another pattern file
            // whose first rule is also P-1) replaces it. Each run's own definitions are kept beside it.
            try db.execute(sql: """
                CREATE TABLE run_rules (run_id INTEGER NOT NULL REFERENCES runs(id), rule_id TEXT NOT NULL,
                  title TEXT, category TEXT NOT NULL, subcategory TEXT, severity TEXT NOT NULL, pack TEXT,
                  pack_version TEXT, PRIMARY KEY (run_id, rule_id));
                """)
        }
        m.registerMigration("v4") { db in
            // Where each rule is defined (`path:line`): packs from folders of the same name share an id.
            try db.execute(sql: """
                ALTER TABLE rules ADD COLUMN source TEXT;
                ALTER TABLE run_rules ADD COLUMN source TEXT;
                """)
        }
        return m
    }

    /// Begins a run that is written while the scan goes on (see `CaseDatabaseRun`).
    public func beginRun(_ run: RunInfo, context: Int) throws -> CaseDatabaseRun {
        do { return try CaseDatabaseRun(database: self, run: run, context: context) } catch {
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
