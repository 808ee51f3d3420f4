import ChatModel
import Foundation

/// What a scan should write and how: every output file, the context size, and the disclosure settings
/// (redaction, pseudonyms). One `ReportWriter` writes all requested outputs from one run.
public struct ReportOptions: Sendable {
    /// JSON Lines path, `-` for stdout, nil for none.
    public var jsonl: String?
    /// CSV path (Excel-friendly: UTF-8 with BOM, CRLF, RFC 4180 quoting, formula-injection guard).
    public var csv: String?
    /// Self-contained HTML report path.
    public var html: String?
    /// SQLite case database path (created or extended).
    public var db: String?
    /// Manifest JSON path; nil: beside the first output file as `<name>.manifest.json`.
    public var manifest: String?
    /// Messages before and after each hit (same chat) shown in every output.
    public var context: Int
    /// Mask matched words in every output, keeping the first letter (`c***`).
    public var redact: Bool
    /// Replace sender names everywhere with `Sender-<8 hex of HMAC-SHA256(key, name)>`.
    public var pseudonymiseKey: String?
    /// Colour in the terminal summary; nil: only when the stream is a TTY and `NO_COLOR` is unset.
    public var colour: Bool?
    /// Print the terminal summary on stderr (use when JSON Lines go to stdout).
    public var summaryToStderr: Bool
    /// Print the terminal summary at all.
    public var printSummary: Bool
    /// Most hit messages listed in the HTML hit list (the report says when it cut; CSV/JSONL always hold all hits).
    public var htmlHitLimit: Int
    public var run: RunInfo

    public init(jsonl: String? = nil, csv: String? = nil, html: String? = nil, db: String? = nil,
                manifest: String? = nil, context: Int = 0, redact: Bool = false, pseudonymiseKey: String? = nil,
                colour: Bool? = nil, summaryToStderr: Bool = false, printSummary: Bool = true,
                htmlHitLimit: Int = 5000, run: RunInfo) {
        self.jsonl = jsonl; self.csv = csv; self.html = html; self.db = db; self.manifest = manifest
        self.context = max(0, context); self.redact = redact; self.pseudonymiseKey = pseudonymiseKey
        self.colour = colour; self.summaryToStderr = summaryToStderr; self.printSummary = printSummary
        self.htmlHitLimit = max(0, htmlHitLimit); self.run = run
    }

    /// Where the manifest goes: the explicit path, or `<first output without extension>.manifest.json`.
    /// Nil when there is no file output at all (stdout, or only devices such as `/dev/null`) and no explicit path.
    public var manifestPath: String? {
        if let manifest { return manifest }
        let first = [jsonl, csv, html, db].compactMap { $0 }.first { $0 != "-" && !Self.isDevice($0) }
        guard let first else { return nil }
        let slash = first.lastIndex(of: "/")
        let nameStart = slash.map { first.index(after: $0) } ?? first.startIndex
        if let dot = first[nameStart...].lastIndex(of: "."), dot > nameStart {
            return String(first[..<dot]) + ".manifest.json"
        }
        return first + ".manifest.json"
    }

    /// True when an output of this run records the SHA-256 of the inputs: the manifest, the HTML report or the case
    /// database. Otherwise (`--jsonl -` or `--jsonl /dev/null` alone) nothing would show the hashes, and the scan
    /// does not compute them.
    public var recordsEvidenceHashes: Bool { manifestPath != nil || html != nil || db != nil }

    /// True when `path` exists and is not a regular file or directory (`/dev/null`, a FIFO, a terminal): written to
    /// directly, and no manifest is derived from its name.
    static func isDevice(_ path: String) -> Bool {
        var st = stat()
        guard stat(path, &st) == 0 else { return false }
        let type = st.st_mode & S_IFMT
        return type != S_IFREG && type != S_IFDIR
    }

    /// The report options as strings, for the manifest and the database's `runs.options`.
    /// The pseudonymisation key itself is never written, only whether one was used.
    public var recordedOptions: [String: String] {
        var o: [String: String] = [:]
        o["context"] = String(context)
        o["redact"] = String(redact)
        o["pseudonymise"] = String(pseudonymiseKey != nil)
        if let jsonl { o["jsonl"] = jsonl }
        if let csv { o["csv"] = csv }
        if let html { o["html"] = html }
        if let db { o["db"] = db }
        return o
    }
}
