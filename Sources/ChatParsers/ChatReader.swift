import ChatModel
import Foundation

/// Reads a `ChatSource` into messages, whatever its format: the single entry point the scan engine and the CLI use.
///
/// A source that cannot be read at all throws an `InputError` naming the file (and line when known) and the reason
/// (truncated JSON, binary data or invalid UTF-8 in JSON, a broken zip). In a WhatsApp or `lines` export a NUL byte or
/// invalid UTF-8 costs only the message that holds it, left out and reported as an `.error` issue
/// (`InvalidTextMessages`, the scan's policy); for a Messenger thread split over several files, a broken part is
/// reported as an `.error` issue while the other parts are still read. So callers must look at
/// `ParsedChat.issues` as well.
public enum ChatReader {
    public static func read(_ source: ChatSource, options: ParseOptions) throws -> ParsedChat {
        let chat = try readAnyway(source, options: options)
        // JSON of another shape read under a forced format yields records with none of the format's fields.
        if [.messenger, .instagram, .messengerE2EE, .telegram].contains(source.format), !chat.messages.isEmpty,
           chat.messages.allSatisfy({ $0.text.isEmpty && $0.sender == nil && $0.timestamp == nil }) {
            throw InputError(file: source.displayPath, reason: "none of its \(chat.messages.count) messages has a sender, a time or a text "
                             + "as the \(source.format.rawValue) format stores them: it is not a \(source.format.rawValue) export"
                             + (options.format != nil ? " (check --format)" : ""))
        }
        return chat
    }

    static func readAnyway(_ source: ChatSource, options: ParseOptions) throws -> ParsedChat {
        switch source.format {
        case .whatsapp:
            var o = options
            if o.chatName == nil, case .zipMember = source.location { o.chatName = source.chatNameHint }
            return try withMappedBytes(source) { bytes in
                var chat = WhatsAppParser.parseUnchecked(bytes: bytes, file: source.displayPath, options: o)
                InvalidTextMessages.exclude(bytes, from: &chat)
                return chat
            }
        case .lines:
            return try withMappedBytes(source) { bytes in
                var chat = LinesParser.parse(bytes: bytes, file: source.displayPath)
                InvalidTextMessages.exclude(bytes, from: &chat)
                return chat
            }
        case .messenger, .instagram, .messengerE2EE:
            return try MessengerParser.read(source, options: options)
        case .telegram:
            guard case .file(let path) = source.location else {
                throw InputError(file: source.displayPath, reason: "a Telegram export must be a result.json file")
            }
            return try withFileBytes(path) { try TelegramParser.parse(bytes: $0, file: source.displayPath, options: options) }
        }
    }

    /// The raw bytes of a single-text source (WhatsApp `.txt` or zip member, `lines` file), mapped from disk or
    /// inflated from the zip, so the engine can run the WhatsApp span API itself. Offsets in these bytes are the
    /// offsets messages report. Throws for JSON sources.
    public static func withMappedBytes<T>(_ source: ChatSource, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        switch source.location {
        case .file(let path):
            return try withFileBytes(path, body)
        case .zipMember(let zip, let member):
            let data = try ZipExport.inflate(zipPath: zip, member: member)
            return try data.withUnsafeBytes(body)
        case .thread:
            throw InputError(file: source.displayPath, reason: "a Messenger thread is not a single text source")
        }
    }

    /// The raw bytes of a single-text source as a `Data` the caller keeps (a read-only mapping of the file, or the
    /// inflated zip member), for engines that hold the buffer longer than one closure. Throws for JSON sources.
    public static func mappedData(_ source: ChatSource) throws -> Data {
        switch source.location {
        case .file(let path):
            do { return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
                throw InputError(file: path, reason: "cannot read file: \(error.localizedDescription)")
            }
        case .zipMember(let zip, let member):
            return try ZipExport.inflate(zipPath: zip, member: member)
        case .thread:
            throw InputError(file: source.displayPath, reason: "a Messenger thread is not a single text source")
        }
    }

    /// Maps a file read-only (`Data(contentsOf:options: .alwaysMapped)`) and hands its bytes to `body`.
    static func withFileBytes<T>(_ path: String, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
            throw InputError(file: path, reason: "cannot read file: \(error.localizedDescription)")
        }
        return try data.withUnsafeBytes(body)
    }

    /// Refuses bytes that are not UTF-8 text: a NUL byte (binary data) or an invalid UTF-8 sequence, naming the line
    /// (JSON exports, which cannot be read around a bad byte).
    static func checkText(_ bytes: UnsafeRawBufferPointer, file: String) throws {
        if let base = bytes.baseAddress, let hit = memchr(base, 0, bytes.count) {
            let nul = base.distance(to: UnsafeRawPointer(hit))
            var lines = LineCounter(bytes)
            throw InputError(file: file, line: lines.line(at: nul), reason: "binary data (NUL byte at byte offset \(nul)), not a text chat export")
        }
        if let bad = Mojibake.firstInvalidUTF8Offset(bytes) {
            var lines = LineCounter(bytes)
            throw InputError(file: file, line: lines.line(at: bad),
                             reason: "invalid UTF-8 (byte 0x\(String(bytes[bad], radix: 16, uppercase: true)) at byte offset \(bad)); re-export the chat or convert it to UTF-8")
        }
    }
}
