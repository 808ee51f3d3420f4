/// The common message record every parser emits, whatever the export format.
///
/// Field names in JSON (snake_case) are part of the CLI contract: `chatsieve parse` prints one per line.
public struct Message: Codable, Sendable, Equatable {
    /// Path of the file as given (for a zip member: `archive.zip!/_chat.txt`).
    public var file: String
    /// Chat or group name (WhatsApp: from the file or zip name; JSON exports: thread title). Nil for `lines`.
    public var chat: String?
    /// Normalised sender name (invisible marks and the `~ ` prefix removed, mojibake fixed). Nil for system lines.
    public var sender: String?
    /// ISO 8601: WhatsApp local wall-clock time without zone (`2019-01-01T11:25:00`); epoch formats in UTC with `Z`.
    public var timestamp: String?
    /// Message body: for WhatsApp the exact bytes of the file (continuation lines joined by their own line breaks).
    public var text: String
    public var kind: MessageKind
    /// 1-based line of the first line of the message (text formats; pretty-printed JSON: line of the object start).
    public var line: Int?
    /// 1-based last line of the message.
    public var lineEnd: Int?
    /// Byte range of the whole message (header included) in the file as stored (after a zip member is inflated).
    public var byteStart: Int
    public var byteEnd: Int
    /// 0-based position of the message in its file, in file order.
    public var messageIndex: Int
    public var format: SourceFormat
    /// Parse warnings such as `ambiguous-date-order`, `mojibake-fixed`, `header-format-mismatch`.
    public var warnings: [String]
    /// Where each byte of `text` lives in the file; not serialised.
    public var textOrigin: TextOrigin

    public init(file: String, chat: String?, sender: String?, timestamp: String?, text: String, kind: MessageKind,
                line: Int?, lineEnd: Int?, byteStart: Int, byteEnd: Int, messageIndex: Int, format: SourceFormat,
                warnings: [String] = [], textOrigin: TextOrigin = .unknown) {
        self.file = file; self.chat = chat; self.sender = sender; self.timestamp = timestamp; self.text = text
        self.kind = kind; self.line = line; self.lineEnd = lineEnd; self.byteStart = byteStart; self.byteEnd = byteEnd
        self.messageIndex = messageIndex; self.format = format; self.warnings = warnings; self.textOrigin = textOrigin
    }

    enum CodingKeys: String, CodingKey {
        case file, chat, sender, timestamp, text, kind, line
        case lineEnd = "line_end", byteStart = "byte_start", byteEnd = "byte_end", messageIndex = "message_index"
        case format, warnings
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        file = try c.decode(String.self, forKey: .file)
        chat = try c.decodeIfPresent(String.self, forKey: .chat)
        sender = try c.decodeIfPresent(String.self, forKey: .sender)
        timestamp = try c.decodeIfPresent(String.self, forKey: .timestamp)
        text = try c.decode(String.self, forKey: .text)
        kind = try c.decode(MessageKind.self, forKey: .kind)
        line = try c.decodeIfPresent(Int.self, forKey: .line)
        lineEnd = try c.decodeIfPresent(Int.self, forKey: .lineEnd)
        byteStart = try c.decode(Int.self, forKey: .byteStart)
        byteEnd = try c.decode(Int.self, forKey: .byteEnd)
        messageIndex = try c.decode(Int.self, forKey: .messageIndex)
        format = try c.decode(SourceFormat.self, forKey: .format)
        warnings = try c.decodeIfPresent([String].self, forKey: .warnings) ?? []
        textOrigin = .unknown
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        try c.encode(chat, forKey: .chat)
        try c.encode(sender, forKey: .sender)
        try c.encode(timestamp, forKey: .timestamp)
        try c.encode(text, forKey: .text)
        try c.encode(kind, forKey: .kind)
        try c.encode(line, forKey: .line)
        try c.encode(lineEnd, forKey: .lineEnd)
        try c.encode(byteStart, forKey: .byteStart)
        try c.encode(byteEnd, forKey: .byteEnd)
        try c.encode(messageIndex, forKey: .messageIndex)
        try c.encode(format, forKey: .format)
        try c.encode(warnings, forKey: .warnings)
    }

    /// True when the message has a human author and a body worth matching rules against.
    public var isScannable: Bool { kind == .text || kind == .edited }

    /// Maps a byte range inside `text` (UTF-8) to a byte range in the file, when the origin is known.
    public func fileRange(ofTextBytes r: Range<Int>) -> Range<Int>? {
        switch textOrigin {
        case .verbatim(let base):
            return (base + r.lowerBound)..<(base + r.upperBound)
        case .mapped(let table):
            guard r.lowerBound >= 0, r.upperBound < table.count, r.lowerBound <= r.upperBound else { return nil }
            let lo = table[r.lowerBound]
            // end: file offset just past the last byte of the range
            let hi = r.upperBound > r.lowerBound ? table[r.upperBound] : lo
            return lo..<max(lo, hi)
        case .unknown:
            return nil
        }
    }
}

/// Where the bytes of a message's `text` come from in the source file.
public enum TextOrigin: Sendable, Equatable {
    /// `text` is an exact copy of the file bytes starting at this offset.
    case verbatim(Int)
    /// `table[i]` is the file offset of text byte `i`; `table[text.utf8.count]` is the offset just past the end.
    /// Used for JSON strings, where escapes and mojibake repair change the byte layout.
    case mapped([Int])
    case unknown
}

/// What a message is: a user's text, a system notice, a media placeholder, a deletion marker, ...
public enum MessageKind: String, Codable, Sendable, CaseIterable {
    case text, system, media, attachment, deleted, edited, call, location, poll, reaction, unsent
}

/// The export formats ChatSieve reads.
public enum SourceFormat: String, Codable, Sendable, CaseIterable {
    case whatsapp
    case messenger
    case messengerE2EE = "messenger-e2ee"
    case instagram
    case telegram
    case lines
}
