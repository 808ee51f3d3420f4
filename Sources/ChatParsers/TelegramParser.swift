import ChatModel
import Foundation

/// Telegram Desktop JSON export (`result.json`, catalogue §4): a single chat (`{name, type, id, messages}`) or a whole
/// account (`chats.list[]`, plus `left_chats.list[]` when present), read in file order.
///
/// * Text: `text_entities` when present (the parts' `text` joined with nothing between them), else `text` as a
///   string or as an array of strings and `{type, text}` parts, also joined with nothing between them.
///   `textOrigin` maps every byte to the file, across parts.
/// * Service messages → `system` (or `call` for `phone_call`/`group_call`), sender = `actor`; when their text is
///   empty the text is the `action` name (for example `invite_members`).
/// * Timestamps: `date_unixtime` → UTC with `Z` (`2020-11-12T11:53:52Z`); without it, `date` as stored (local time
///   of the exporting computer, no zone) with the message warning `timestamp-local-no-zone` and one file warning.
/// * `from` missing or null → no sender and the warning `sender-missing` (user messages only).
/// * Kinds of user messages: poll → poll, location → location, text → text (`edited` when `edited` is set),
///   media only (photo, file, sticker, contact) → media.
/// * Chat name: `ParseOptions.chatName` (single chat only), else `name`, else `Telegram chat <id>` with a warning.
///   `message_index` counts through the whole file.
public enum TelegramParser {
    public static func parse(bytes: UnsafeRawBufferPointer, file: String, options: ParseOptions) throws -> ParsedChat {
        var doc = try JSONDocument.load(bytes, file: file)
        // the chats: the document itself (single chat) or the elements of chats.list and left_chats.list
        var chats: [Int] = []
        let top = try doc.members(ofObjectAt: doc.rootStart)
        let single = doc.scanner.value(of: "messages", in: top) != nil
        if single {
            chats = [doc.rootStart]
        } else {
            var found = false
            for key: StaticString in ["chats", "left_chats"] {
                guard let group = doc.scanner.value(of: key, in: top), doc.scanner.isObject(group) else { continue }
                let gm = try doc.members(ofObjectAt: group.lowerBound)
                guard let list = doc.scanner.value(of: "list", in: gm), doc.scanner.isArray(list) else { continue }
                found = true
                for r in try doc.elements(ofArrayAt: list.lowerBound) {
                    guard doc.scanner.isObject(r) else {
                        throw InputError(file: file, line: doc.lines.line(at: r.lowerBound), reason: "\(key).list holds a non-object")
                    }
                    chats.append(r.lowerBound)
                }
            }
            if !found {
                throw InputError(file: file, line: 1, reason: "no \"messages\" and no \"chats\".\"list\": not a Telegram chat export")
            }
        }

        var result = ParsedChat(file: file, format: .telegram, chat: nil)
        var warnedLocal = false
        var index = 0
        for start in chats {
            let cm = try doc.members(ofObjectAt: start)
            var name = try doc.string("name", in: cm)
            if single, let forced = options.chatName { name = forced }
            if name == nil, try doc.string("type", in: cm) == "saved_messages" { name = "Saved Messages" }
            let chatLine = doc.lines.line(at: start)
            if name == nil {
                var id = "?"
                if let r = doc.scanner.value(of: "id", in: cm), let n = JSONValue.int64(try doc.decode(r)) { id = String(n) }
                name = "Telegram chat \(id)"
                result.issues.append(ParseIssue(file: file, line: chatLine, severity: .warning,
                                                reason: "chat without a name (deleted chat?): called \"\(name!)\""))
            }
            guard let ranges = try doc.messageRanges(in: cm) else {
                result.issues.append(ParseIssue(file: file, line: chatLine, severity: .warning, reason: "chat \"\(name!)\" has no messages array"))
                continue
            }
            for range in ranges {
                let line = doc.lines.line(at: range.lowerBound)
                let m = try doc.object(range, what: "message \(index)")
                var msg = try message(m, range: range, doc: &doc, file: file, chat: name!, index: index, line: line)
                msg.lineEnd = doc.lines.line(at: range.upperBound - 1)
                if msg.warnings.contains("timestamp-local-no-zone"), !warnedLocal {
                    warnedLocal = true
                    result.issues.append(ParseIssue(file: file, line: line, severity: .warning,
                                                    reason: "no date_unixtime: timestamps are the exporting computer's local time, without zone"))
                }
                result.messages.append(msg)
                index += 1
            }
        }
        if single { result.chat = result.messages.first?.chat ?? options.chatName }
        result.totalLines = doc.lines.line(at: bytes.count) - ((bytes.last == 0x0A) ? 1 : 0)
        return result
    }

    static func message(_ m: [String: Any], range: Range<Int>, doc: inout JSONDocument, file: String, chat: String,
                        index: Int, line: Int) throws -> Message {
        var warnings: [String] = []
        let isService = (m["type"] as? String) == "service"
        var sender = (isService ? (m["actor"] as? String ?? m["from"] as? String) : m["from"] as? String)
        if sender == nil && !isService { warnings.append("sender-missing") }
        if sender?.isEmpty == true { sender = nil }

        let timestamp: String?
        if let unix = JSONValue.int64(m["date_unixtime"]) {
            timestamp = UTCTime.iso(seconds: unix)
        } else if let date = m["date"] as? String {
            timestamp = date
            warnings.append("timestamp-local-no-zone")
        } else {
            timestamp = nil
            warnings.append("timestamp-missing")
        }

        var mapped = MappedText.empty(at: range.lowerBound)
        do {
            let members = try doc.scanner.members(ofObjectAt: range.lowerBound)
            let s = doc.scanner
            if let ents = s.value(of: "text_entities", in: members), s.isArray(ents) {
                mapped = try joinedParts(ents, scanner: s, start: range.lowerBound)
            }
            // `text` when there are no text_entities (older exports), or when they are empty but `text` is not
            if mapped.bytes.isEmpty, let t = s.value(of: "text", in: members) {
                if s.isString(t) { mapped = try s.mappedText(t, repairMojibake: false).0 }
                else if s.isArray(t) { mapped = try joinedParts(t, scanner: s, start: range.lowerBound) }
            }
            if isService, mapped.bytes.isEmpty, let a = s.value(of: "action", in: members), s.isString(a) {
                mapped = try s.mappedText(a, repairMojibake: false).0
            }
        } catch { throw doc.error(error) }
        let text = mapped.string

        let kind: MessageKind
        if isService {
            let action = m["action"] as? String
            kind = (action == "phone_call" || action == "group_call") ? .call : .system
        } else if JSONValue.isPresent(m["poll"]) {
            kind = .poll
        } else if JSONValue.isPresent(m["location_information"]) || JSONValue.isPresent(m["place_name"]) {
            kind = .location
        } else if !text.isEmpty {
            kind = JSONValue.isPresent(m["edited"]) ? .edited : .text
        } else if ["photo", "file", "media_type", "sticker_emoji", "contact_information", "thumbnail"].contains(where: { JSONValue.isPresent(m[$0]) }) {
            kind = .media
        } else {
            kind = .text
            warnings.append("empty-message")
        }
        return Message(file: file, chat: chat, sender: sender, timestamp: timestamp, text: text, kind: kind,
                       line: line, lineEnd: line, byteStart: range.lowerBound, byteEnd: range.upperBound,
                       messageIndex: index, format: .telegram, warnings: warnings, textOrigin: mapped.origin)
    }

    /// Joins an array of strings and `{…, "text": "…"}` parts with nothing between them, keeping the byte map.
    static func joinedParts(_ array: Range<Int>, scanner s: JSONScanner, start: Int) throws -> MappedText {
        var out = MappedText.empty(at: array.lowerBound)
        for part in try s.elements(ofArrayAt: array.lowerBound) {
            if s.isString(part) {
                out.append(try s.mappedText(part, repairMojibake: false).0)
            } else if s.isObject(part) {
                let pm = try s.members(ofObjectAt: part.lowerBound)
                if let t = s.value(of: "text", in: pm), s.isString(t) {
                    out.append(try s.mappedText(t, repairMojibake: false).0)
                }
            }
        }
        return out
    }
}
