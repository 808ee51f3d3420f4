import ChatModel
import Foundation
import ZIPFoundation

/// WhatsApp "Export chat" zip archives (iOS always, Android "with media"): finds the chat texts inside (every
/// `_chat.txt`, else the single `.txt`), inflates them (checking their CRC-32), and names the chat after the zip.
public enum ZipExport {
    /// Why a zip cannot be read as a chat.
    public struct Failure: Error, Sendable { public var reason: String }

    /// The members that hold chats: every `_chat.txt` (an archive may bundle several exports, each in a folder of its
    /// own), else the single `.txt`; or a clear reason why there is none.
    public static func findChats(zipPath: String) -> Result<[String], Failure> {
        let archive: Archive
        do { archive = try Archive(url: URL(fileURLWithPath: zipPath), accessMode: .read) } catch {
            return .failure(Failure(reason: "not a readable zip archive (\(error))"))
        }
        var texts: [String] = [], chats: [String] = []
        var jsonExport = false
        for entry in archive where entry.type == .file {
            let path = entry.path
            let name = (path as NSString).lastPathComponent
            if path.hasPrefix("__MACOSX/") || name.hasPrefix("._") { continue }
            if name == "_chat.txt" { chats.append(path) }
            if name.lowercased().hasSuffix(".txt") { texts.append(path) }
            if name.hasPrefix("message_") && name.hasSuffix(".json") || name == "result.json" { jsonExport = true }
        }
        if !chats.isEmpty { return .success(chats.sorted()) }
        if texts.count == 1 { return .success(texts) }
        if texts.isEmpty {
            let hint = jsonExport ? "; it looks like a Messenger/Instagram/Telegram archive: unzip it and pass the folder" : ""
            return .failure(Failure(reason: "zip holds no chat: no _chat.txt and no .txt file inside\(hint)"))
        }
        return .failure(Failure(reason: "zip holds \(texts.count) .txt files and no _chat.txt, so the chat cannot be told apart (\(texts.sorted().joined(separator: ", "))); unzip it and pass the chat file"))
    }

    /// Inflates one member into memory (the offsets of parsed messages are offsets in these bytes).
    public static func inflate(zipPath: String, member: String) throws -> Data {
        let display = "\(zipPath)!/\(member)"
        let archive: Archive
        do { archive = try Archive(url: URL(fileURLWithPath: zipPath), accessMode: .read) } catch {
            throw InputError(file: zipPath, reason: "not a readable zip archive (\(error))")
        }
        guard let entry = archive[member] else {
            throw InputError(file: display, reason: "member not found in the zip archive")
        }
        var out = Data()
        out.reserveCapacity(Int(clamping: entry.uncompressedSize))
        let crc: CRC32
        do {
            crc = try archive.extract(entry, skipCRC32: false) { chunk in out.append(chunk) }
        } catch {
            throw InputError(file: display, reason: "cannot inflate zip member (\(error))")
        }
        // The consumer form of `extract` returns the checksum of what it inflated instead of checking it.
        guard crc == entry.checksum else {
            throw InputError(file: display, reason: String(format: "zip member damaged: CRC-32 of its content is %08x, the archive records %08x", crc, entry.checksum))
        }
        return out
    }

    /// Chat name from a WhatsApp zip name: `WhatsApp Chat - X.zip` and `WhatsApp Chat with X.zip` give `X`;
    /// other names give the name without `.zip`.
    public static func chatName(fromZipName name: String) -> String? {
        var base = name
        if base.lowercased().hasSuffix(".zip") { base = String(base.dropLast(4)) }
        for prefix in ["WhatsApp Chat - ", "WhatsApp Chat with ", "WhatsApp-Chat mit ", "WhatsApp Chat mit ", "WhatsApp Chat – "] {
            if base.hasPrefix(prefix) { return String(base.dropFirst(prefix.count)) }
        }
        let inner = WhatsAppParser.chatName(fromFileName: base + ".txt")
        return inner.isEmpty ? (base.isEmpty ? nil : base) : inner
    }
}
