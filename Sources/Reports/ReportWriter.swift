import ChatModel
import Foundation

/// The `HitSink` that writes every requested report of a scan in one run: terminal summary, JSON Lines, CSV, HTML,
/// SQLite case database, and the evidence manifest. Hit messages are collected as the engine streams them; all
/// outputs are rendered in `finish(totals:)`, after redaction and pseudonymisation have been applied once, so that
/// every output shows the same disclosure level. Files are written atomically (temporary file, then rename).
public final class ReportWriter: HitSink {
    public let options: ReportOptions
    private var items: [MessageHits] = []
    /// The manifest of the finished run (nil before `finish`).
    public private(set) var manifest: Manifest?
    /// The summary of the finished run (nil before `finish`).
    public private(set) var summary: ReportSummary?
    /// Where the terminal summary goes; defaults to stdout or stderr per options.
    public var terminalOutput: ((String) -> Void)?

    public init(options: ReportOptions) throws {
        self.options = options
        let files = [options.jsonl, options.csv, options.html, options.db, options.manifestPath].compactMap { $0 }.filter { $0 != "-" }
        let canonical = files.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        if let dup = canonical.first(where: { p in canonical.filter { $0 == p }.count > 1 }) {
            throw ReportError(path: dup, reason: "named for two outputs; give each output its own file")
        }
        for path in [options.jsonl, options.csv, options.html, options.db, options.manifestPath].compactMap({ $0 })
        where path != "-" {
            let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
            do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                throw ReportError(path: path, reason: "cannot create directory \(dir): \(error.localizedDescription)")
            }
        }
    }

    public func consume(_ item: MessageHits) throws {
        guard !item.hits.isEmpty else { return }
        items.append(item)
    }

    public func finish(totals: ScanTotals) throws {
        var run = options.run
        let disclosed = Disclosure(options: options, items: items, totals: totals)
        let endorsements = disclosed.items.flatMap { EndorsementDetector.detect(in: $0) }
        let summary = Aggregator.summarise(disclosed.items, totals: disclosed.totals, rules: run.rules,
                                           endorsements: Self.dedupe(endorsements))
        self.summary = summary
        var outputs: [Manifest.Output] = []

        if let path = options.jsonl {
            let out = try AtomicOutput(path: path)
            for item in disclosed.items {
                for h in item.hits { try out.write(HitRecords.jsonLine(h, in: item, context: options.context) + "\n") }
            }
            outputs.append(.init(kind: "jsonl", path: path, bytes: out.bytesWritten, sha256: out.sha256))
            try out.commit()
        }
        if let path = options.csv {
            let out = try AtomicOutput(path: path)
            try out.write(Data([0xEF, 0xBB, 0xBF]))
            try out.write(HitRecords.csvHeader(context: options.context).joined(separator: ",") + "\r\n")
            for item in disclosed.items {
                for h in item.hits { try out.write(HitRecords.csvRow(h, in: item, context: options.context) + "\r\n") }
            }
            outputs.append(.init(kind: "csv", path: path, bytes: out.bytesWritten, sha256: out.sha256))
            try out.commit()
        }
        if run.endedAt == nil { run.endedAt = Manifest.now() }
        if let path = options.html {
            let html = HTMLReport(summary: summary, items: disclosed.items, options: options, run: run).render()
            let (digest, size) = try AtomicOutput.write(Data(html.utf8), to: path)
            outputs.append(.init(kind: "html", path: path, bytes: size, sha256: digest))
        }
        if let path = options.db { outputs.append(.init(kind: "sqlite", path: path, bytes: nil, sha256: nil)) }

        var recorded = run.options
        for (k, v) in options.recordedOptions { recorded[k] = v }
        let hits = disclosed.items.reduce(0) { $0 + $1.hits.count }
        var manifest = Manifest(
            toolVersion: run.toolVersion, command: run.command, startedAt: run.startedAt, endedAt: run.endedAt ?? "",
            options: recorded, rulePacks: run.packs, rules: run.rules.count, inputs: disclosed.totals.sources.map(Manifest.Input.init),
            totals: .init(sources: totals.sources.count, bytes: totals.bytes, messages: totals.messages,
                          unparsedLines: totals.unparsedLines, issues: totals.issues.count,
                          hitMessages: disclosed.items.count, hits: hits, endorsements: summary.endorsements.count),
            outputs: outputs)
        if let path = options.manifestPath {
            manifest.outputs.append(.init(kind: "manifest", path: path, bytes: nil, sha256: nil))
        }
        if let path = options.db {
            let db = try CaseDatabase(path: path)
            try db.record(run: run, manifest: manifest, items: disclosed.items, rules: run.rules,
                          sources: disclosed.totals.sources, endorsements: summary.endorsements, context: options.context)
        }
        if let path = options.manifestPath { try AtomicOutput.write(manifest.json(), to: path) }
        self.manifest = manifest

        if options.printSummary {
            let toStderr = options.summaryToStderr || options.jsonl == "-"
            let fd = toStderr ? STDERR_FILENO : STDOUT_FILENO
            let colour = options.colour ?? TerminalSummary.shouldColour(fd: fd)
            let text = TerminalSummary.render(summary, colour: colour)
            if let terminalOutput { terminalOutput(text) } else {
                (toStderr ? FileHandle.standardError : FileHandle.standardOutput).write(Data(text.utf8))
            }
        }
    }

    /// One endorsement per reply message: when a reply follows several hit messages, it is attributed to the
    /// nearest one before it.
    static func dedupe(_ list: [Endorsement]) -> [Endorsement] {
        var best: [String: Endorsement] = [:]
        var order: [String] = []
        for e in list {
            let key = "\(e.replyFile)\u{0}\(e.replyMessageIndex)"
            if let old = best[key] {
                if e.distance < old.distance { best[key] = e }
            } else {
                best[key] = e
                order.append(key)
            }
        }
        return order.map { best[$0]! }
    }
}
