import ChatModel
import Foundation
import Reports

extension ScanOutput {
    /// What the sink writing every report `chatsieve scan` was asked for needs: terminal summary, `--jsonl`, `--csv`,
    /// `--html`, `--db` and the evidence manifest, with `--context`, `--redact` and `--pseudonymise` applied.
    static func reportOptions(command c: ScanCommand, loaded: LoadedRules, started: Date) -> ReportOptions {
        var recorded: [String: String] = [:]
        if let f = c.format { recorded["format"] = f }
        if let d = c.dateOrder { recorded["date_order"] = d }
        if let s = c.minSeverity { recorded["min_severity"] = s }
        if !c.patterns.isEmpty { recorded["patterns"] = c.patterns.joined(separator: ",") }
        if !c.keywords.isEmpty { recorded["keywords"] = c.keywords.joined(separator: ",") }
        if !c.rules.isEmpty { recorded["rules"] = c.rules.joined(separator: ",") }
        if c.ignoreCase { recorded["ignore_case"] = "true" }
        // Every --patterns and --keywords file is among the packs already: the loader lists each with its hash.
        let run = RunInfo(toolVersion: ChatSieveVersion.string, command: CommandLine.arguments,
                          startedAt: UTCTimestamp.string(secondsSince1970: started.timeIntervalSince1970), options: recorded,
                          packs: loaded.packs,
                          rules: loaded.summaries, workingDirectory: FileManager.default.currentDirectoryPath)
        return ReportOptions(jsonl: c.jsonl, csv: c.csv, html: c.html, db: c.db, context: c.context,
                             redact: c.redact, pseudonymiseKey: c.pseudonymise,
                             summaryToStderr: c.jsonl == "-", printSummary: !c.quiet, run: run)
    }

    /// The first output of `options` (the manifest included) that is one of `evidence`, the files the scan reads:
    /// the same file on disk, whatever the path or link that names it. Writing it would overwrite the evidence.
    static func outputOverwritingEvidence(_ options: ReportOptions, evidence: [String]) -> (option: String, output: String, evidence: String)? {
        func identity(_ path: String) -> [UInt64]? {
            var st = stat()
            guard stat(path, &st) == 0 else { return nil }
            return [UInt64(st.st_dev), UInt64(st.st_ino)]
        }
        let outputs = [("--jsonl", options.jsonl), ("--csv", options.csv), ("--html", options.html), ("--db", options.db),
                       ("the manifest", options.manifestPath)].compactMap { o, p in p.map { (o, $0) } }.filter { $0.1 != "-" }
        let existing = outputs.compactMap { o, p in identity(p).map { (o, p, $0) } }
        guard !existing.isEmpty else { return nil }
        for e in evidence {
            guard let id = identity(e) else { continue }
            if let hit = existing.first(where: { $0.2 == id }) { return (hit.0, hit.1, e) }
        }
        return nil
    }
}
