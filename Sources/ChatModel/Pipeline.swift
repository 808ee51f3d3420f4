/// One message that has hits, with its neighbours in the same chat: what the scan engine hands to the reports.
public struct MessageHits: Sendable {
    public var message: Message
    public var hits: [Hit]
    /// Up to N messages before the hit message in the same chat, oldest first.
    public var before: [Message]
    /// Up to max(N, endorsement window) messages after it in the same chat.
    public var after: [Message]
    public init(message: Message, hits: [Hit], before: [Message] = [], after: [Message] = []) {
        self.message = message; self.hits = hits; self.before = before; self.after = after
    }
}

/// Identifies one sender in one chat of one source file, for per-sender message totals.
public struct SenderChatKey: Hashable, Codable, Sendable {
    public var chat: String
    public var sender: String
    public init(chat: String, sender: String) { self.chat = chat; self.sender = sender }
}

/// Size and SHA-256 of one evidence file exactly as stored on disk (a zip as a whole, each `message_N.json`).
public struct FileDigest: Codable, Sendable, Equatable {
    public var path: String
    public var size: Int
    public var sha256: String
    public init(path: String, size: Int, sha256: String) { self.path = path; self.size = size; self.sha256 = sha256 }
}

/// One input read by a scan: the evidence manifest lists these.
public struct SourceRecord: Codable, Sendable, Equatable {
    public var path: String
    /// Total size of the evidence files behind the input.
    public var size: Int
    /// SHA-256 of the evidence file; for an input made of several files (a Messenger thread), the SHA-256 of the
    /// `sha256sum`-style listing of `files` ("<hex>  <path>\n" per file, in order).
    public var sha256: String
    /// Every evidence file behind the input with its own size and SHA-256 (one entry for a `.txt` or `.zip`).
    public var files: [FileDigest] = []
    public var format: SourceFormat?
    public var messages: Int
    public var unparsedLines: Int
    public var error: String?
    public init(path: String, size: Int, sha256: String, format: SourceFormat?, messages: Int, unparsedLines: Int, error: String? = nil) {
        self.path = path; self.size = size; self.sha256 = sha256; self.format = format; self.messages = messages
        self.unparsedLines = unparsedLines; self.error = error
    }
}

/// Totals counted while scanning, handed to every report when the scan ends.
public struct ScanTotals: Sendable {
    public var sources: [SourceRecord] = []
    public var bytes: Int = 0
    public var messages: Int = 0
    /// User messages (not system notices) per sender and chat, so that hit rates can be compared.
    public var messagesBySender: [SenderChatKey: Int] = [:]
    /// All messages per chat, system notices included.
    public var messagesByChat: [String: Int] = [:]
    public var unparsedLines: Int = 0
    public var issues: [ParseIssue] = []
    public var skipped: [ParseIssue] = []
    public var elapsedSeconds: Double = 0
    public init() {}
}

/// Receives the scan's results in a deterministic order (file order, then message order).
public protocol HitSink: AnyObject {
    func consume(_ item: MessageHits) throws
    func finish(totals: ScanTotals) throws
}
