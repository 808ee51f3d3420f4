import Foundation

/// Writes a Facebook Messenger or Instagram "Download Your Information" thread: `message_1.json` (newest messages),
/// `message_2.json`, … in `<prefix>/messages/inbox/<folder>/`, pretty-printed like Facebook's files, every
/// non-ASCII character written as Latin-1 mojibake (`\u00c3\u00a9` for `é`).
final class MessengerWriter: ExportWriter {
    enum Variant { case messenger, instagram }

    private let variant: Variant
    private let roster: Roster
    private let threadDir: URL
    private let relativeDir: String
    private let threadPath: String
    private let title: String
    private let maxPerFile: Int
    private var sink: ByteSink?
    private var fileNumber = 0
    private var indexInFile = 0
    private var closedBytes = 0
    private var files: [String] = []
    private var rng: CorpusRandom
    let newestFirst = true

    /// - Parameters:
    ///   - prefix: folder above `messages/` (empty, or `your_instagram_activity` and the like).
    init(variant: Variant, outDir: URL, prefix: String, folder: String, title: String, roster: Roster,
         maxPerFile: Int, seed: UInt64) throws {
        self.variant = variant
        self.roster = roster
        self.title = title
        self.maxPerFile = maxPerFile
        relativeDir = (prefix.isEmpty ? "" : prefix + "/") + "messages/inbox/" + folder
        threadPath = "inbox/" + folder
        threadDir = outDir.appendingPathComponent(relativeDir)
        rng = CorpusRandom(seed: seed)
        try FileManager.default.createDirectory(at: threadDir, withIntermediateDirectories: true)
    }

    private var currentName: String { "message_\(fileNumber).json" }
    private static let trailerEstimate = 400

    var projectedBytes: Int { closedBytes + (sink?.total ?? 0) + MessengerWriter.trailerEstimate }

    private func openNext() throws {
        if sink != nil { try closeCurrent() }
        fileNumber += 1
        indexInFile = 0
        let s = try ByteSink(path: threadDir.appendingPathComponent(currentName).path)
        sink = s
        try s.write("{"); try s.newline()
        try s.write("  \"participants\": ["); try s.newline()
        for (i, name) in roster.plainNames.enumerated() {
            try s.write("    {"); try s.newline()
            try s.write("      \"name\": \""); try JSONText.write(name, mojibake: true, to: s); try s.write("\""); try s.newline()
            try s.write(i == roster.count - 1 ? "    }" : "    },"); try s.newline()
        }
        try s.write("  ],"); try s.newline()
        try s.write("  \"messages\": [")
    }

    private func closeCurrent() throws {
        guard let s = sink else { return }
        try s.newline()
        try s.write("  ],"); try s.newline()
        try s.write("  \"title\": \""); try JSONText.write(title, mojibake: true, to: s); try s.write("\","); try s.newline()
        try s.write("  \"is_still_participant\": true,"); try s.newline()
        try s.write(variant == .messenger ? "  \"thread_type\": \"RegularGroup\"," : "  \"thread_type\": \"Regular\","); try s.newline()
        try s.write("  \"thread_path\": \"\(threadPath)\","); try s.newline()
        try s.write("  \"magic_words\": []"); try s.newline()
        try s.write("}"); try s.newline()
        try s.close()
        closedBytes += s.total
        files.append(relativeDir + "/" + currentName)
        sink = nil
    }

    func write(_ m: SynthMessage, clock: ChatClock, millis: Int) throws -> MessagePosition {
        if sink == nil || indexInFile >= maxPerFile { try openNext() }
        let s = sink!
        if indexInFile > 0 { try s.byte(0x2C) }
        try s.newline()
        let pos = MessagePosition(file: relativeDir + "/" + currentName, line: s.line, index: indexInFile)
        indexInFile += 1
        let ms = clock.epochSeconds * 1000 + millis
        try s.write("    {"); try s.newline()
        try s.write("      \"sender_name\": \""); try JSONText.write(roster.plainNames[m.sender], mojibake: true, to: s)
        try s.write("\","); try s.newline()
        try s.write("      \"timestamp_ms\": "); try s.decimal(ms); try s.byte(0x2C); try s.newline()
        switch m.kind {
        case .text:
            try s.write("      \"content\": \""); try JSONText.write(m.text, mojibake: true, to: s); try s.write("\",")
            try s.newline()
            if let link = m.link {
                try s.write("      \"share\": {"); try s.newline()
                try s.write("        \"link\": \""); try s.write(m.text[link]); try s.write("\""); try s.newline()
                try s.write("      },"); try s.newline()
            }
            if rng.below(100) < 4 {
                let emoji = MessageSynth.emoji[rng.below(MessageSynth.emoji.count)]
                try s.write("      \"reactions\": ["); try s.newline()
                try s.write("        {"); try s.newline()
                try s.write("          \"reaction\": \""); try JSONText.write(emoji, mojibake: true, to: s); try s.write("\",")
                try s.newline()
                try s.write("          \"actor\": \""); try JSONText.write(roster.plainNames[rng.below(roster.count)], mojibake: true, to: s)
                try s.write("\""); try s.newline()
                try s.write("        }"); try s.newline()
                try s.write("      ],"); try s.newline()
            }
        case .media:
            try s.write("      \"photos\": ["); try s.newline()
            try s.write("        {"); try s.newline()
            try s.write("          \"uri\": \"\(relativeDir)/photos/\(ms / 7)_\(ms % 100_000).jpg\","); try s.newline()
            try s.write("          \"creation_timestamp\": "); try s.decimal(ms / 1000); try s.newline()
            try s.write("        }"); try s.newline()
            try s.write("      ],"); try s.newline()
        case .deleted:
            try s.write("      \"is_unsent\": true,"); try s.newline()
        case .system:
            try s.write("      \"content\": \""); try JSONText.write(systemText(m.event!), mojibake: true, to: s)
            try s.write("\","); try s.newline()
        }
        try s.write("      \"is_geoblocked_for_viewer\": false"); try s.newline()
        try s.write("    }")
        return pos
    }

    private func systemText(_ e: SystemEvent) -> String {
        let names = roster.plainNames
        switch e {
        case .encryption: return "\(names[0]) created the group."
        case .added(let a, let t): return "\(names[a]) added \(names[t]) to the group."
        case .left(let a): return "\(names[a]) left the group."
        case .renamed(let a, let name): return "\(names[a]) named the group \(name)."
        }
    }

    func finish() throws -> [String] {
        if sink == nil { try openNext() }
        try closeCurrent()
        return files
    }
}
