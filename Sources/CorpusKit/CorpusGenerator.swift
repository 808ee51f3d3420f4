import Foundation

/// Export formats the generator writes (`chatsieve generate --format …`).
public enum CorpusFormat: String, CaseIterable, Sendable {
    /// WhatsApp Android text export (`WhatsApp Chat with X.txt`).
    case whatsapp
    /// WhatsApp iOS export: `_chat.txt` zipped as `WhatsApp Chat - X.zip`.
    case whatsappIOS = "whatsapp-ios"
    /// Facebook Messenger DYI JSON thread (`messages/inbox/<thread>/message_N.json`).
    case messenger
    /// Instagram DYI JSON thread (`your_instagram_activity/messages/inbox/<thread>/message_N.json`).
    case instagram
    /// Telegram Desktop single-chat export (`ChatExport_…/result.json`).
    case telegram
    /// One message per line, no sender or chat.
    case lines
}

/// What to generate: format, total size, seed, number of files, and where.
public struct CorpusSpec: Sendable {
    public var format: CorpusFormat
    /// Target total size in bytes of the export files (a zip: the uncompressed `_chat.txt`).
    public var bytes: Int
    public var seed: UInt64
    /// Number of export files (WhatsApp, lines), threads (Messenger, Instagram) or chats (Telegram).
    public var files: Int
    public var outDir: URL
    /// Ground-truth file; default `<outDir>/ground-truth.jsonl`.
    public var groundTruth: URL?
    /// Messages per `message_N.json` (Messenger, Instagram).
    public var messagesPerJSONFile: Int
    /// Deflate iOS zips (default); storing is faster for benchmark-sized corpora.
    public var deflate: Bool

    public init(format: CorpusFormat, bytes: Int, seed: UInt64, files: Int = 1, outDir: URL, groundTruth: URL? = nil,
                messagesPerJSONFile: Int = 10_000, deflate: Bool = true) {
        self.format = format; self.bytes = bytes; self.seed = seed; self.files = files; self.outDir = outDir
        self.groundTruth = groundTruth; self.messagesPerJSONFile = messagesPerJSONFile; self.deflate = deflate
    }
}

/// Writes deterministic synthetic chat exports with planted hits, near-misses and a ground-truth file.
///
/// Same spec, same bytes: randomness comes only from `CorpusRandom` seeded with `spec.seed`. Output is streamed,
/// so memory does not grow with the size.
public enum CorpusGenerator {
    static let chatNames = ["Sunday League Lads", "Allotment Society", "Flat 3B", "Book Club", "Uni Reunion",
                            "Five-a-side", "Family 💕", "Quiz Night"]

    /// Parses sizes such as `500K`, `10M`, `1G`, `1.5G`, `123456` (decimal: M = 10^6 bytes).
    public static func parseSize(_ text: String) throws -> Int {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        var number = Substring(t)
        var scale = 1.0
        for (suffix, s) in [("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("K", 1e3), ("M", 1e6), ("G", 1e9), ("B", 1)] where t.hasSuffix(suffix) {
            number = t.dropLast(suffix.count)
            scale = s
            break
        }
        guard let v = Double(number), v > 0 else { throw CorpusError("invalid size '\(text)' (use e.g. 10M, 200M, 1G)") }
        return Int((v * scale).rounded())
    }

    /// Generates the corpus and writes `ground-truth.jsonl` and `corpus-stats.json`.
    @discardableResult
    public static func generate(_ spec: CorpusSpec) throws -> CorpusSummary {
        guard spec.files >= 1 else { throw CorpusError("--files must be at least 1") }
        guard spec.bytes >= 1_000 else { throw CorpusError("--bytes must be at least 1K") }
        let fm = FileManager.default
        try fm.createDirectory(at: spec.outDir, withIntermediateDirectories: true)
        let truthURL = spec.groundTruth ?? spec.outDir.appendingPathComponent("ground-truth.jsonl")
        let truth = try ByteSink(path: truthURL.path)
        var summary = CorpusSummary(format: spec.format.rawValue, seed: spec.seed, bytesRequested: spec.bytes,
                                    groundTruth: relative(truthURL, to: spec.outDir))
        let root = CorpusRandom(seed: spec.seed)
        let perFile = spec.bytes / spec.files
        for i in 0..<spec.files {
            let target = i == spec.files - 1 ? spec.bytes - perFile * (spec.files - 1) : perFile
            var fileRng = root.fork(UInt64(i + 1))
            var synth = MessageSynth(seed: fileRng.next())
            let writer = try makeWriter(spec, index: i, seed: synth.rng.next())
            if spec.format == .lines {
                synth.rates.system = 0; synth.rates.media = 0; synth.rates.deleted = 0
                synth.rates.multiLine = 0; synth.rates.edited = 0
            }
            let streamed = try fill(writer, target: target, synth: &synth, truth: truth, summary: &summary)
            let files = try writer.finish()
            summary.files += files
            summary.bytesWritten += spec.format == .whatsappIOS
                ? streamed
                : try files.reduce(0) { $0 + (try exportSize(spec.outDir.appendingPathComponent($1).path)) }
        }
        try truth.close()
        try summary.jsonData().write(to: spec.outDir.appendingPathComponent("corpus-stats.json"))
        return summary
    }

    private static func exportSize(_ path: String) throws -> Int {
        let attrs = try FileManager.default.attributesOfItem(atPath: path)
        return (attrs[.size] as? NSNumber)?.intValue ?? 0
    }

    private static func relative(_ url: URL, to dir: URL) -> String {
        let d = dir.standardizedFileURL.path + "/"
        let p = url.standardizedFileURL.path
        return p.hasPrefix(d) ? String(p.dropFirst(d.count)) : p
    }

    static func chatName(_ i: Int) -> String {
        let base = chatNames[i % chatNames.count]
        return i < chatNames.count ? base : "\(base) \(i / chatNames.count + 1)"
    }

    private static func makeWriter(_ spec: CorpusSpec, index i: Int, seed: UInt64) throws -> ExportWriter {
        let name = chatName(i)
        let slug = name.lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) }
        let threadID = 1_000_000_000 + Int(seed % 8_999_999_999)
        switch spec.format {
        case .whatsapp:
            return try WhatsAppWriter(variant: .android, outDir: spec.outDir, chatName: name, roster: .standard)
        case .whatsappIOS:
            return try WhatsAppWriter(variant: .ios, outDir: spec.outDir, chatName: name, roster: .standard, deflate: spec.deflate)
        case .messenger:
            return try MessengerWriter(variant: .messenger, outDir: spec.outDir, prefix: "", folder: "\(slug)_\(threadID)",
                                       title: name, roster: .standard, maxPerFile: spec.messagesPerJSONFile, seed: seed)
        case .instagram:
            return try MessengerWriter(variant: .instagram, outDir: spec.outDir, prefix: "your_instagram_activity",
                                       folder: "\(slug)_\(threadID)", title: name, roster: .standard,
                                       maxPerFile: spec.messagesPerJSONFile, seed: seed)
        case .telegram:
            return try TelegramWriter(outDir: spec.outDir, folder: "ChatExport_\(slug)", chatName: name, chatID: threadID,
                                      roster: .standard, seed: seed)
        case .lines:
            return try LinesWriter(outDir: spec.outDir, fileName: spec.files == 1 ? "messages.txt" : "messages-\(i + 1).txt")
        }
    }

    /// Streams messages into `writer` until it holds about `target` bytes.
    /// Returns the bytes streamed (before any zipping).
    private static func fill(_ writer: ExportWriter, target: Int, synth: inout MessageSynth, truth: ByteSink,
                             summary: inout CorpusSummary) throws -> Int {
        var clock = ChatClock(year: writer.newestFirst ? 2025 : 2012, month: 1 + synth.rng.below(12),
                              day: 1 + synth.rng.below(28), hour: 8 + synth.rng.below(10), minute: synth.rng.below(60),
                              second: synth.rng.below(60))
        var m = SynthMessage()
        var first = true
        let margin = 60
        while writer.projectedBytes + margin < target {
            if first && !writer.newestFirst {
                m.reset(); m.kind = .system; m.event = .encryption; m.sender = 0
            } else {
                synth.next(into: &m)
            }
            first = false
            let pos = try writer.write(m, clock: clock, millis: synth.rng.below(1000))
            count(m, into: &summary)
            if let p = m.plant {
                let record = GroundTruthRecord(file: pos.file, line: pos.line, messageIndex: pos.index, phrase: p.phrase,
                                               planted: p.planted, kind: p.kind, form: p.form.rawValue, category: p.category,
                                               sender: synth.roster.plainNames[m.sender], timestamp: clock.isoString)
                try truth.write(record.jsonLine)
            }
            let step = gap(&synth.rng)
            if writer.newestFirst { clock.retreat(step) } else { clock.advance(step) }
        }
        return writer.projectedBytes
    }

    /// Seconds between messages: mostly a quick back-and-forth, sometimes a pause of minutes or an hour.
    private static func gap(_ rng: inout CorpusRandom) -> Int {
        let r = rng.below(100)
        if r < 85 { return rng.int(in: 1...20) }
        if r < 99 { return rng.int(in: 20...180) }
        return rng.int(in: 180...3600)
    }

    private static func count(_ m: SynthMessage, into s: inout CorpusSummary) {
        s.messages += 1
        switch m.kind {
        case .system: s.systemMessages += 1
        case .media: s.mediaMessages += 1; s.userMessages += 1
        case .deleted: s.deletedMessages += 1; s.userMessages += 1
        case .text: s.userMessages += 1
        }
        if let p = m.plant {
            if p.kind == "planted" { s.planted += 1 } else { s.nearMisses += 1 }
        }
    }
}
