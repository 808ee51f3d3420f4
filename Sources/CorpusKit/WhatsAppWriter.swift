import Foundation
import ZIPFoundation

/// Writes a WhatsApp "Export chat" text file: Android (`DD/MM/YYYY, HH:MM - Sender: text`, a `.txt`) or iOS
/// (`[DD/MM/YYYY, HH:MM:SS] Sender: text` with U+200E marks, `_chat.txt` inside `WhatsApp Chat - <name>.zip`).
final class WhatsAppWriter: ExportWriter {
    enum Variant { case android, ios }

    private let variant: Variant
    private let sink: ByteSink
    private let roster: Roster
    private let chatName: String
    private let chatNameBytes: [UInt8]
    private let outDir: URL
    private let fileName: String
    private let displayName: String
    private var index = 0
    private var headerCache = [UInt8](repeating: 0, count: 20)
    private var cachedYear = -1, cachedMonth = -1, cachedDay = -1, cachedHour = -1, cachedMinute = -1
    /// Deflate the zip (iOS); large benchmark corpora may store it instead.
    private let deflate: Bool
    let newestFirst = false

    private static let lrm: [UInt8] = [0xE2, 0x80, 0x8E]
    private static let iosMedia = ["image omitted", "video omitted", "audio omitted", "sticker omitted", "GIF omitted"]

    init(variant: Variant, outDir: URL, chatName: String, roster: Roster, deflate: Bool = true) throws {
        self.variant = variant
        self.roster = roster
        self.chatName = chatName
        chatNameBytes = Array(chatName.utf8)
        self.outDir = outDir
        self.deflate = deflate
        switch variant {
        case .android:
            fileName = "WhatsApp Chat with \(chatName).txt"
            displayName = fileName
            sink = try ByteSink(path: outDir.appendingPathComponent(fileName).path)
        case .ios:
            fileName = "WhatsApp Chat - \(chatName).zip"
            displayName = fileName + "!/_chat.txt"
            sink = try ByteSink(path: outDir.appendingPathComponent(".\(fileName).chat.tmp").path)
        }
    }

    var projectedBytes: Int { sink.total }

    func write(_ m: SynthMessage, clock: ChatClock, millis: Int) throws -> MessagePosition {
        let pos = MessagePosition(file: displayName, line: sink.line, index: index)
        index += 1
        let you = m.sender == roster.youIndex
        switch variant {
        case .android:
            // Most messages share their minute with the one before: reuse the formatted `DD/MM/YYYY, HH:MM - `.
            if clock.minute != cachedMinute || clock.hour != cachedHour || clock.day != cachedDay
                || clock.month != cachedMonth || clock.year != cachedYear {
                let before = sink.total
                try clock.writeAndroid(sink)
                try sink.byte(0x20); try sink.byte(0x2D); try sink.byte(0x20)
                if sink.total - before == 20 && sink.copyLast(20, into: &headerCache) {
                    (cachedYear, cachedMonth, cachedDay, cachedHour, cachedMinute) = (clock.year, clock.month, clock.day, clock.hour, clock.minute)
                } else {
                    cachedMinute = -1
                }
            } else {
                try sink.write(headerCache)
            }
            switch m.kind {
            case .system:
                try sink.write(systemText(m.event!))
            case .text:
                try senderPrefix(m.sender)
                try sink.write(m.text)
                if m.edited { try sink.write(" <This message was edited>") }
            case .media:
                try senderPrefix(m.sender)
                try sink.write("<Media omitted>")
            case .deleted:
                try senderPrefix(m.sender)
                try sink.write(you ? "You deleted this message" : "This message was deleted")
            }
        case .ios:
            if m.kind != .text { try sink.write(WhatsAppWriter.lrm) }
            try sink.byte(0x5B)
            try clock.writeIOS(sink)
            try sink.byte(0x5D); try sink.byte(0x20)
            switch m.kind {
            case .system:
                // iOS attributes system notices to the chat itself.
                try sink.write(chatNameBytes); try sink.byte(0x3A); try sink.byte(0x20)
                try sink.write(WhatsAppWriter.lrm)
                try sink.write(systemText(m.event!))
            case .text:
                try senderPrefix(m.sender)
                try sink.write(m.text)
                if m.edited { try sink.write(" \u{200E}<This message was edited>") }
            case .media:
                try senderPrefix(m.sender)
                try sink.write(WhatsAppWriter.lrm)
                try sink.write(WhatsAppWriter.iosMedia[index % WhatsAppWriter.iosMedia.count])
            case .deleted:
                try senderPrefix(m.sender)
                try sink.write(WhatsAppWriter.lrm)
                try sink.write(you ? "You deleted this message." : "This message was deleted.")
            }
        }
        sink.line += m.newlines
        try sink.newline()
        return pos
    }

    private func senderPrefix(_ sender: Int) throws {
        try sink.write(UnsafeRawBufferPointer(roster.flatWhatsAppNames[sender]))
        try sink.byte(0x3A); try sink.byte(0x20)
    }

    private func systemText(_ e: SystemEvent) -> String {
        let names = roster.plainNames
        switch e {
        case .encryption:
            return variant == .android
                ? "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more."
                : "Messages and calls are end-to-end encrypted. Only people in this chat can read, listen to, or share them."
        case .added(let a, let t): return "\(names[a]) added \(names[t])"
        case .left(let a): return "\(names[a]) left"
        case .renamed(let a, let name):
            return variant == .android ? "\(names[a]) changed the subject to \"\(name)\"" : "\(names[a]) changed the subject to “\(name)”"
        }
    }

    func finish() throws -> [String] {
        try sink.close()
        guard variant == .ios else { return [fileName] }
        let tmp = URL(fileURLWithPath: sink.path)
        let zipURL = outDir.appendingPathComponent(fileName)
        try? FileManager.default.removeItem(at: zipURL)
        try WhatsAppWriter.zip(member: "_chat.txt", from: tmp, to: zipURL, deflate: deflate)
        try FileManager.default.removeItem(at: tmp)
        return [fileName]
    }

    /// Writes a one-member zip with a fixed modification time, so the archive bytes depend only on the content.
    static func zip(member: String, from source: URL, to zipURL: URL, deflate: Bool) throws {
        let archive: Archive
        do { archive = try Archive(url: zipURL, accessMode: .create) } catch {
            throw CorpusError("\(zipURL.path): cannot create zip (\(error))")
        }
        let handle = try FileHandle(forReadingFrom: source)
        defer { try? handle.close() }
        let size = Int64((try FileManager.default.attributesOfItem(atPath: source.path)[.size] as? NSNumber)?.int64Value ?? 0)
        let fixedDate = Date(timeIntervalSince1970: 1_700_000_000)
        try archive.addEntry(with: member, type: .file, uncompressedSize: size, modificationDate: fixedDate,
                             permissions: 0o644, compressionMethod: deflate ? .deflate : .none,
                             bufferSize: 1 << 20) { position, chunk in
            try handle.seek(toOffset: UInt64(position))
            return try handle.read(upToCount: chunk) ?? Data()
        }
    }
}

/// Writes a plain text file with one message per line (the `lines` format: no sender, no chat).
final class LinesWriter: ExportWriter {
    private let sink: ByteSink
    private let fileName: String
    private var index = 0
    let newestFirst = false

    init(outDir: URL, fileName: String) throws {
        self.fileName = fileName
        sink = try ByteSink(path: outDir.appendingPathComponent(fileName).path)
    }

    var projectedBytes: Int { sink.total }

    func write(_ m: SynthMessage, clock: ChatClock, millis: Int) throws -> MessagePosition {
        let pos = MessagePosition(file: fileName, line: sink.line, index: index)
        index += 1
        // One line per message: line breaks inside a message become spaces.
        if m.newlines == 0 {
            try sink.write(m.text)
        } else {
            try sink.write(m.text.map { $0 == 0x0A ? 0x20 : $0 })
        }
        try sink.newline()
        return pos
    }

    func finish() throws -> [String] {
        try sink.close()
        return [fileName]
    }
}
