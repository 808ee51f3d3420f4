/// One rule match in one message, with the provenance an investigator needs to find it again in the evidence.
public struct Hit: Codable, Sendable, Equatable {
    public var file: String
    public var chat: String?
    public var sender: String?
    public var timestamp: String?
    public var line: Int?
    public var messageIndex: Int
    public var rule: String
    public var category: String
    public var subcategory: String?
    public var severity: Severity
    /// The matched text, as it appears in the message (original bytes, not the normalised form).
    public var match: String
    /// Byte range of the match in the file as stored (nil when the format cannot map it).
    public var byteStart: Int?
    public var byteEnd: Int?
    /// Byte range of the match inside the message text.
    public var textStart: Int
    public var textEnd: Int
    /// Id of the pattern inside the rule that matched.
    public var pattern: String?
    /// Normalisation steps that were needed for the match (empty when the raw text matched).
    public var normalised: [String]
    /// Confidence score in 0...1 after context words.
    public var score: Double?

    public init(file: String, chat: String?, sender: String?, timestamp: String?, line: Int?, messageIndex: Int,
                rule: String, category: String, subcategory: String? = nil, severity: Severity, match: String,
                byteStart: Int?, byteEnd: Int?, textStart: Int, textEnd: Int, pattern: String? = nil,
                normalised: [String] = [], score: Double? = nil) {
        self.file = file; self.chat = chat; self.sender = sender; self.timestamp = timestamp; self.line = line
        self.messageIndex = messageIndex; self.rule = rule; self.category = category; self.subcategory = subcategory
        self.severity = severity; self.match = match; self.byteStart = byteStart; self.byteEnd = byteEnd
        self.textStart = textStart; self.textEnd = textEnd; self.pattern = pattern; self.normalised = normalised
        self.score = score
    }

    enum CodingKeys: String, CodingKey {
        case file, chat, sender, timestamp, line, rule, category, subcategory, severity, match, pattern, normalised, score
        case messageIndex = "message_index", byteStart = "byte_start", byteEnd = "byte_end"
        case textStart = "text_start", textEnd = "text_end"
    }
}
