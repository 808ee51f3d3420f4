import ChatModel
import Foundation

/// The `HitSink` that writes every requested report of a scan in one run: terminal summary, JSON Lines, CSV, HTML,
/// SQLite case database, and the evidence manifest. Files are written atomically (temporary file, then rename in
/// `finish(totals:)`).
///
/// Without redaction and pseudonyms, hit messages are streamed: each one is written to the JSON Lines and CSV
/// temporary files as it arrives and added to running counts; only the messages the HTML lists (the first
/// `htmlHitLimit`) are kept. With redaction or pseudonyms every output must show the same disclosure, and that
/// depends on the whole run (a term matched late is masked in earlier context; sender names seen late are replaced
/// inside earlier chat names), so hit messages are parked in a temporary file (`HitSpill`) while the run collects
/// what disclosure needs, and disclosed and written in `finish`.
/// The case database receives each hit message as it is written (one transaction, committed in `finish`).
public final class ReportWriter: HitSink {
    public let options: ReportOptions
    /// Hit messages parked until `finish` (disclosure needs the whole run), and what disclosure needs from them.
    private var spill: HitSpill?
    private var disclosureInputs = DisclosureInputs()
    /// Scratch for the shared end of one message's JSON lines, and for the lines themselves (see `add`).
    private var jsonTail = LineBuffer()
    private var jsonLines = LineBuffer()
    private let streaming: Bool
    private var jsonlOut: AtomicOutput?
    private var csvOut: AtomicOutput?
    private var accumulator: SummaryAccumulator
    private var endorsements: [Endorsement] = []
    private var listed: [MessageHits] = []
    private var senderLabels = Set<String>()
    private var chatLabels = Set<String>()
    private var databaseRun: CaseDatabaseRun?
    private var hitMessages = 0
    private var hitCount = 0
    /// Hit messages the writer holds in memory right now: those the HTML lists (disclosure parks the others in its
    /// spill file, the case database stores each as it comes).
    var retainedHitMessages: Int { listed.count }
    /// The manifest of the finished run (nil before `finish`).
    public private(set) var manifest: Manifest?
    /// The summary of the finished run (nil before `finish`).
    public private(set) var summary: ReportSummary?
    /// Where the terminal summary goes; defaults to stdout or stderr per options.
    public var terminalOutput: ((String) -> Void)?

    deinit {
        jsonTail.release()
        jsonLines.release()
    }

    public init(options: ReportOptions) throws {
        self.options = options
        streaming = !options.redact && options.pseudonymiseKey == nil
        accumulator = SummaryAccumulator(rules: options.run.rules)
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
        if let path = options.db { databaseRun = try CaseDatabase(path: path).beginRun(options.run, context: options.context) }
    }

    public func consume(_ item: MessageHits) throws {
        guard !item.hits.isEmpty else { return }
        if streaming { try add(item); return }
        if spill == nil { spill = try HitSpill() }
        try spill!.append(item)
        disclosureInputs.add(item)
    }

    /// Writes one (already disclosed) hit message to the line outputs and adds it to the running counts.
    private func add(_ item: MessageHits) throws {
        try openLineOutputs()
        let context = options.context
        if let out = jsonlOut {
            // The message's text and context end every one of its hit lines: rendered once, copied per hit. The
            // lines are assembled in raw memory and handed to the output in one append.
            jsonTail.removeAll()
            HitRecords.appendJSONLineTail(item, context: context, to: &jsonTail)
            jsonLines.removeAll()
            for h in item.hits {
                HitRecords.appendJSONLineHead(h, in: item, to: &jsonLines)
                jsonLines.append(contentsOf: jsonTail.bytes)
                jsonLines.append(0x0A)
            }
            try out.append { bytes in bytes.append(contentsOf: jsonLines.bytes) }
        }
        if let out = csvOut {
            try out.append { bytes in
                for h in item.hits {
                    HitRecords.appendCSVRow(h, in: item, context: context, to: &bytes)
                    bytes.append(0x0D); bytes.append(0x0A)
                }
            }
        }
        accumulator.add(item)
        let found = EndorsementDetector.detect(in: item)
        endorsements += found
        hitMessages += 1
        hitCount += item.hits.count
        if options.html != nil {
            if listed.count < options.htmlHitLimit { listed.append(item) }
            senderLabels.insert(Aggregator.senderLabel(item.message.sender))
            chatLabels.insert(Aggregator.chatLabel(item.message))
        }
        if let databaseRun {
            let replies = item.after.filter { m in found.contains { $0.replyFile == m.file && $0.replyMessageIndex == m.messageIndex } }
            try databaseRun.add(item, replies: replies)
        }
    }

    /// Opens the JSON Lines and CSV temporary files (CSV: BOM and header) unless open already.
    private func openLineOutputs() throws {
        if jsonlOut == nil, let path = options.jsonl { jsonlOut = try AtomicOutput(path: path) }
        if csvOut == nil, let path = options.csv {
            let out = try AtomicOutput(path: path)
            try out.write(Data([0xEF, 0xBB, 0xBF]))
            try out.write(HitRecords.csvHeader(context: options.context).joined(separator: ",") + "\r\n")
            csvOut = out
        }
    }

    public func finish(totals rawTotals: ScanTotals) throws {
        var run = options.run
        var totals = rawTotals
        if !streaming {
            let disclosure = Disclosure(options: options, inputs: disclosureInputs, totals: rawTotals)
            totals = disclosure.totals
            try spill?.forEach { try add(disclosure.disclose($0)) }
            spill = nil
            disclosureInputs = DisclosureInputs()
        }
        try openLineOutputs()
        let summary = accumulator.summary(totals: totals, endorsements: Self.dedupe(endorsements))
        self.summary = summary
        var outputs: [Manifest.Output] = []

        if let out = jsonlOut, let path = options.jsonl {
            outputs.append(.init(kind: "jsonl", path: path, bytes: out.bytesWritten, sha256: out.sha256))
            try out.commit()
        }
        if let out = csvOut, let path = options.csv {
            outputs.append(.init(kind: "csv", path: path, bytes: out.bytesWritten, sha256: out.sha256))
            try out.commit()
        }
        if run.endedAt == nil { run.endedAt = Manifest.now() }
        if let path = options.html {
            let html = HTMLReport(summary: summary, listed: listed, hitMessages: hitMessages, senderLabels: senderLabels,
                                  chatLabels: chatLabels, options: options, run: run).render()
            let (digest, size) = try AtomicOutput.write(Data(html.utf8), to: path)
            outputs.append(.init(kind: "html", path: path, bytes: size, sha256: digest))
        }
        if let path = options.db { outputs.append(.init(kind: "sqlite", path: path, bytes: nil, sha256: nil)) }

        var recorded = run.options
        for (k, v) in options.recordedOptions { recorded[k] = v }
        var manifest = Manifest(
            toolVersion: run.toolVersion, command: run.command, startedAt: run.startedAt, endedAt: run.endedAt ?? "",
            options: recorded, rulePacks: run.packs, rules: run.rules.count, inputs: totals.sources.map(Manifest.Input.init),
            totals: .init(sources: totals.sources.count, bytes: totals.bytes, messages: totals.messages,
                          unparsedLines: totals.unparsedLines, issues: totals.issues.count + totals.skipped.count,
                          hitMessages: hitMessages, hits: hitCount, endorsements: summary.endorsements.count),
            outputs: outputs)
        manifest.workingDirectory = run.workingDirectory
        if let path = options.manifestPath {
            manifest.outputs.append(.init(kind: "manifest", path: path, bytes: nil, sha256: nil))
        }
        if let databaseRun, let path = options.db {
            do {
                try databaseRun.finish(manifest: manifest, sources: totals.sources, endorsements: summary.endorsements)
            } catch {
                throw ReportError(path: path, reason: "cannot write case database: \(error)")
            }
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
            let key = Message.runKey(file: e.replyFile, index: e.replyMessageIndex)
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
