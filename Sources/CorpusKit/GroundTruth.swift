import Foundation

/// One line of a ground-truth file: where a planted phrase or near-miss is, and what it is.
public struct GroundTruthRecord: Codable, Sendable, Equatable {
    /// Path relative to the corpus folder (zip member: `WhatsApp Chat - X.zip!/_chat.txt`).
    public var file: String
    /// 1-based line where the message starts (JSON: line of the message object's opening brace).
    public var line: Int
    /// 0-based position of the message in its file, in file order.
    public var messageIndex: Int
    /// The phrase as the template writes it (canonical).
    public var phrase: String
    /// The phrase as it appears in the message (obfuscated or not).
    public var planted: String
    /// `planted` (abusive, should be flagged) or `near_miss` (benign, should not).
    public var kind: String
    /// `plain`, `leet`, `dotted`, `spaced`, `stretched`, `zero-width`.
    public var form: String
    public var category: String
    public var sender: String
    /// ISO 8601 wall-clock time of the message.
    public var timestamp: String

    enum CodingKeys: String, CodingKey {
        case file, line, phrase, planted, kind, form, category, sender, timestamp
        case messageIndex = "message_index"
    }

    /// The record as one JSON object, with a fixed key order (the file must be byte-identical per seed).
    var jsonLine: String {
        "{\"file\":\(JSONText.quoted(file)),\"line\":\(line),\"message_index\":\(messageIndex),"
            + "\"phrase\":\(JSONText.quoted(phrase)),\"planted\":\(JSONText.quoted(planted)),\"kind\":\"\(kind)\","
            + "\"form\":\"\(form)\",\"category\":\"\(category)\",\"sender\":\(JSONText.quoted(sender)),"
            + "\"timestamp\":\"\(timestamp)\"}\n"
    }

    /// Reads a ground-truth file.
    public static func load(from url: URL) throws -> [GroundTruthRecord] {
        let data = try Data(contentsOf: url)
        let decoder = JSONDecoder()
        return try data.split(separator: 0x0A).map { try decoder.decode(GroundTruthRecord.self, from: Data($0)) }
    }
}

/// Counts describing a generated corpus (written as `corpus-stats.json` beside it); benchmarks read `messages` to
/// turn seconds into messages per second.
public struct CorpusSummary: Codable, Sendable, Equatable {
    public var format: String
    public var seed: UInt64
    public var bytesRequested: Int
    /// Bytes of the export files as written (for an iOS zip: the size of the `_chat.txt` inside).
    public var bytesWritten: Int
    /// Export files, relative to the output folder.
    public var files: [String]
    /// Every message record a parser should emit (user messages, media, deletions, system notices).
    public var messages: Int
    /// Messages with a human author (not system notices).
    public var userMessages: Int
    public var systemMessages: Int
    public var mediaMessages: Int
    public var deletedMessages: Int
    public var planted: Int
    public var nearMisses: Int
    /// Ground-truth file (relative to the output folder when inside it, otherwise as given).
    public var groundTruth: String

    enum CodingKeys: String, CodingKey {
        case format, seed, files, messages, planted
        case bytesRequested = "bytes_requested", bytesWritten = "bytes_written", userMessages = "user_messages"
        case systemMessages = "system_messages", mediaMessages = "media_messages", deletedMessages = "deleted_messages"
        case nearMisses = "near_misses", groundTruth = "ground_truth"
    }

    public init(format: String, seed: UInt64, bytesRequested: Int, groundTruth: String) {
        self.format = format; self.seed = seed; self.bytesRequested = bytesRequested; self.groundTruth = groundTruth
        bytesWritten = 0; files = []; messages = 0; userMessages = 0; systemMessages = 0; mediaMessages = 0
        deletedMessages = 0; planted = 0; nearMisses = 0
    }

    /// Pretty JSON with sorted keys (stable bytes).
    public func jsonData() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var d = try e.encode(self)
        d.append(0x0A)
        return d
    }
}
