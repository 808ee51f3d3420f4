import Foundation

/// Writes a Telegram Desktop single-chat export (`ChatExport_…/result.json`): one-space indentation as Telegram
/// writes it, raw UTF-8, `date` plus `date_unixtime` (a string), service messages, and `text` as an array of
/// plain strings and entity objects when a message holds a link or bold text.
final class TelegramWriter: ExportWriter {
    private let sink: ByteSink
    private let roster: Roster
    private let relativePath: String
    private var index = 0
    let newestFirst = false

    init(outDir: URL, folder: String, chatName: String, chatID: Int, roster: Roster, seed: UInt64) throws {
        self.roster = roster
        relativePath = folder + "/result.json"
        let dir = outDir.appendingPathComponent(folder)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        sink = try ByteSink(path: dir.appendingPathComponent("result.json").path)
        try sink.write("{"); try sink.newline()
        try sink.write(" \"name\": \""); try JSONText.write(chatName, mojibake: false, to: sink); try sink.write("\",")
        try sink.newline()
        try sink.write(" \"type\": \"private_supergroup\","); try sink.newline()
        try sink.write(" \"id\": "); try sink.decimal(chatID); try sink.byte(0x2C); try sink.newline()
        try sink.write(" \"messages\": [")
    }

    var projectedBytes: Int { sink.total + 8 }

    private func userID(_ sender: Int) -> String { "user\(5_550_100 + sender * 7919)" }

    private func field(_ name: String, _ value: String, last: Bool = false) throws {
        try sink.write("   \"\(name)\": \""); try JSONText.write(value, mojibake: false, to: sink)
        try sink.write(last ? "\"" : "\","); try sink.newline()
    }

    func write(_ m: SynthMessage, clock: ChatClock, millis: Int) throws -> MessagePosition {
        if index > 0 { try sink.byte(0x2C) }
        try sink.newline()
        let pos = MessagePosition(file: relativePath, line: sink.line, index: index)
        index += 1
        try sink.write("  {"); try sink.newline()
        try sink.write("   \"id\": "); try sink.decimal(index); try sink.byte(0x2C); try sink.newline()
        try sink.write(m.kind == .system ? "   \"type\": \"service\"," : "   \"type\": \"message\","); try sink.newline()
        try sink.write("   \"date\": \""); try clock.writeISO(sink); try sink.write("\","); try sink.newline()
        try sink.write("   \"date_unixtime\": \""); try sink.decimal(clock.epochSeconds); try sink.write("\","); try sink.newline()
        let name = roster.plainNames[m.sender]
        switch m.kind {
        case .system:
            try field("actor", name)
            try field("actor_id", userID(m.sender))
            switch m.event! {
            case .encryption:
                try field("action", "create_group")
                try field("title", "Group chat")
            case .added(_, let t):
                try field("action", "invite_members")
                try sink.write("   \"members\": ["); try sink.newline()
                try sink.write("    \""); try JSONText.write(roster.plainNames[t], mojibake: false, to: sink); try sink.write("\"")
                try sink.newline()
                try sink.write("   ],"); try sink.newline()
            case .left:
                try field("action", "remove_members")
                try sink.write("   \"members\": ["); try sink.newline()
                try sink.write("    \""); try JSONText.write(name, mojibake: false, to: sink); try sink.write("\""); try sink.newline()
                try sink.write("   ],"); try sink.newline()
            case .renamed(_, let title):
                try field("action", "edit_group_title")
                try field("title", title)
            }
            try sink.write("   \"text\": \"\","); try sink.newline()
            try sink.write("   \"text_entities\": []"); try sink.newline()
        case .media, .deleted:
            try field("from", name)
            try field("from_id", userID(m.sender))
            if m.kind == .media {
                try field("photo", "(File not included. Change data exporting settings to download.)")
                try sink.write("   \"width\": 1280,"); try sink.newline()
                try sink.write("   \"height\": 960,"); try sink.newline()
            } else {
                try field("media_type", "sticker")
                try field("sticker_emoji", "👍")
            }
            try sink.write("   \"text\": \"\","); try sink.newline()
            try sink.write("   \"text_entities\": []"); try sink.newline()
        case .text:
            try field("from", name)
            try field("from_id", userID(m.sender))
            if m.edited {
                try sink.write("   \"edited\": \""); try clock.writeISO(sink); try sink.write("\","); try sink.newline()
            }
            try writeText(m)
        }
        try sink.write("  }")
        return pos
    }

    /// `text` as a plain string, or as an array of parts when the message has a link or bold entity; then
    /// `text_entities` covering the whole text.
    private func writeText(_ m: SynthMessage) throws {
        var parts: [(type: String, range: Range<Int>)] = []
        let special = m.link.map { ("link", $0) } ?? m.bold.map { ("bold", $0) }
        if let (type, r) = special {
            if r.lowerBound > 0 { parts.append(("plain", 0..<r.lowerBound)) }
            parts.append((type, r))
            if r.upperBound < m.text.count { parts.append(("plain", r.upperBound..<m.text.count)) }
        } else {
            parts.append(("plain", 0..<m.text.count))
        }
        if parts.count == 1 && parts[0].type == "plain" {
            try sink.write("   \"text\": \""); try JSONText.write(m.text, mojibake: false, to: sink); try sink.write("\",")
            try sink.newline()
        } else {
            try sink.write("   \"text\": ["); try sink.newline()
            for (i, p) in parts.enumerated() {
                let comma = i == parts.count - 1 ? "" : ","
                if p.type == "plain" {
                    try sink.write("    \""); try JSONText.write(Array(m.text[p.range]), mojibake: false, to: sink)
                    try sink.write("\"" + comma); try sink.newline()
                } else {
                    try sink.write("    {"); try sink.newline()
                    try sink.write("     \"type\": \"\(p.type)\","); try sink.newline()
                    try sink.write("     \"text\": \""); try JSONText.write(Array(m.text[p.range]), mojibake: false, to: sink)
                    try sink.write("\""); try sink.newline()
                    try sink.write("    }" + comma); try sink.newline()
                }
            }
            try sink.write("   ],"); try sink.newline()
        }
        try sink.write("   \"text_entities\": ["); try sink.newline()
        for (i, p) in parts.enumerated() {
            try sink.write("    {"); try sink.newline()
            try sink.write("     \"type\": \"\(p.type)\","); try sink.newline()
            try sink.write("     \"text\": \""); try JSONText.write(Array(m.text[p.range]), mojibake: false, to: sink)
            try sink.write("\""); try sink.newline()
            try sink.write(i == parts.count - 1 ? "    }" : "    },"); try sink.newline()
        }
        try sink.write("   ]"); try sink.newline()
    }

    func finish() throws -> [String] {
        try sink.newline()
        try sink.write(" ]"); try sink.newline()
        try sink.write("}"); try sink.newline()
        try sink.close()
        return [relativePath]
    }
}
