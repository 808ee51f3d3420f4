import ChatModel

/// Order of the day, month and year fields in WhatsApp headers (`--date-order`).
public enum DateOrder: String, Sendable, CaseIterable, Codable {
    case dmy, mdy, ymd
}

/// Options every parser takes; all optional (nil means "infer from the content").
public struct ParseOptions: Sendable {
    public var dateOrder: DateOrder?
    public var format: SourceFormat?
    public var chatName: String?
    public init(dateOrder: DateOrder? = nil, format: SourceFormat? = nil, chatName: String? = nil) {
        self.dateOrder = dateOrder; self.format = format; self.chatName = chatName
    }
}

/// Everything read from one chat source: its messages in file order, and every problem found.
public struct ParsedChat: Sendable {
    /// Display path (for a zip member: `archive.zip!/_chat.txt`; for a Messenger thread: its folder).
    public var file: String
    public var format: SourceFormat
    public var chat: String?
    public var messages: [Message]
    /// Unparsed lines (severity `.unparsed`), warnings, and per-file errors.
    public var issues: [ParseIssue]
    /// Lines in the source (text formats) and how many of them belong to no message.
    public var totalLines: Int
    public var unparsedLines: Int
    public init(file: String, format: SourceFormat, chat: String?, messages: [Message] = [], issues: [ParseIssue] = [],
                totalLines: Int = 0, unparsedLines: Int = 0) {
        self.file = file; self.format = format; self.chat = chat; self.messages = messages; self.issues = issues
        self.totalLines = totalLines; self.unparsedLines = unparsedLines
    }
}
