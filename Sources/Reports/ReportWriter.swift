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
            options: recorded, rulePacks: run.packs, rules: run.rules.count, inputs: disclosed.totals.sources,
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

/// The hit messages and totals as every output shows them: senders (and sender names inside chat names)
/// pseudonymised, matched words masked in matches, message texts and context texts.
struct Disclosure {
    var items: [MessageHits]
    var totals: ScanTotals

    init(options: ReportOptions, items raw: [MessageHits], totals rawTotals: ScanTotals) {
        let pseudo = PseudonymCache(Pseudonymiser(key: options.pseudonymiseKey))
        var spans: [String: [Range<Int>]] = [:]
        for item in raw { spans[Self.key(item.message), default: []] += item.hits.map { $0.textStart..<$0.textEnd } }
        let redactor = options.redact ? Redactor(terms: raw.flatMap { $0.hits.map(\.match) }) : nil
        var senderNames = Set(raw.flatMap { ([$0.message] + $0.before + $0.after).compactMap(\.sender) })
        senderNames.formUnion(rawTotals.messagesBySender.keys.map(\.sender))
        let senders = Array(senderNames).sorted()

        var chatCache: [String: String] = [:]
        let names = NameReplacer(senders: senders)
        /// Chat names and file paths with sender names inside them replaced (cached per distinct string).
        func chat(_ c: String?) -> String? {
            guard let c, pseudo.isActive else { return c }
            if let done = chatCache[c] { return done }
            let out = names.replace(in: c, with: pseudo.pseudonym)
            chatCache[c] = out
            return out
        }
        func path(_ p: String) -> String { chat(p) ?? p }
        // A context message can surround many hits: redact and pseudonymise each message once.
        var messageCache: [String: (original: Message, disclosed: Message)] = [:]
        func message(_ m: Message) -> Message {
            let key = Self.key(m)
            if let done = messageCache[key], done.original.text == m.text, done.original.sender == m.sender,
               done.original.chat == m.chat { return done.disclosed }
            var out = m
            out.sender = pseudo.pseudonym(m.sender)
            out.chat = chat(m.chat)
            out.file = path(m.file)
            if let redactor { out.text = redactor.redact(m.text, spans: spans[key] ?? []) }
            messageCache[key] = (m, out)
            return out
        }
        self.items = raw.map { item in
            var out = MessageHits(message: message(item.message), hits: item.hits,
                                  before: item.before.map(message), after: item.after.map(message))
            out.hits = item.hits.map { h in
                var h = h
                h.sender = pseudo.pseudonym(h.sender)
                h.chat = chat(h.chat)
                h.file = path(h.file)
                if redactor != nil { h.match = Redactor.mask(h.match) }
                return h
            }
            return out
        }
        var totals = rawTotals
        if pseudo.isActive {
            totals.messagesBySender = [:]
            for (k, n) in rawTotals.messagesBySender {
                let key = SenderChatKey(chat: chat(k.chat) ?? k.chat, sender: pseudo.pseudonym(k.sender))
                totals.messagesBySender[key, default: 0] += n
            }
            totals.messagesByChat = [:]
            for (c, n) in rawTotals.messagesByChat { totals.messagesByChat[chat(c) ?? c, default: 0] += n }
            totals.sources = rawTotals.sources.map { var x = $0; x.path = path(x.path); return x }
            totals.issues = rawTotals.issues.map { var x = $0; x.file = path(x.file); return x }
            totals.skipped = rawTotals.skipped.map { var x = $0; x.file = path(x.file); return x }
        }
        self.totals = totals
    }

    static func key(_ m: Message) -> String { "\(m.file)\u{0}\(m.messageIndex)" }
}

/// Computes each sender's pseudonym once (one HMAC per distinct name, not per message).
final class PseudonymCache {
    let base: Pseudonymiser
    private var names: [String: String] = [:]
    init(_ base: Pseudonymiser) { self.base = base }
    var isActive: Bool { base.isActive }
    func pseudonym(_ name: String?) -> String? { name.map(pseudonym) }
    func pseudonym(_ name: String) -> String {
        guard base.isActive else { return name }
        if let p = names[name] { return p }
        let p = base.pseudonym(name)
        names[name] = p
        return p
    }
}
