import ChatModel
import Foundation

/// Facebook Messenger and Instagram "Download Your Information" JSON (`message_N.json`, mojibake repaired) and the
/// Messenger end-to-end-encrypted export (camelCase, no mojibake), catalogue §2 and §3.
///
/// * A thread's `message_1.json`, `message_2.json`, … are merged into one chat **in file order** (message_1's
///   messages first, each file's messages in the order stored; no sorting).
/// * Chat name: `ParseOptions.chatName`, else `title` (E2EE: `threadName`) of the first file, else the folder name.
/// * Timestamps: `timestamp_ms` as UTC with milliseconds, always three digits (`2022-11-16T19:50:03.612Z`).
/// * Every string (sender, text, title) gets the guarded Latin-1 repair of §2.3 (not in E2EE). A message whose
///   strings were changed by the repair carries the warning `mojibake-fixed`; a string that fails the guard is kept
///   and gives `mojibake-not-fixable` on the message and as a warning issue with the line.
/// * Kinds: `is_unsent` → unsent; `type` Call or `call_duration` → call; Subscribe/Unsubscribe → system; English
///   event texts (`X named the group Y.`, `Reacted 😢 to your message`, …, see `MessengerTexts`) → system, reaction,
///   call, poll, location or media; photos/videos/gifs/files/audio/sticker → media (text = content or "");
///   a share → text (text = content; without content: `share_text`, else the link); no content but reactions →
///   reaction; nothing at all → system with the warning `empty-message`.
/// * `byteStart/byteEnd` span the message object; `line` is the line of its `{`; `textOrigin` maps each text byte
///   to its file bytes (through escapes and the mojibake repair).
public enum MessengerParser {
    static func read(_ source: ChatSource, options: ParseOptions) throws -> ParsedChat {
        let files: [String]
        switch source.location {
        case .file(let p): files = [p]
        case .thread(let fs): files = fs
        case .zipMember:
            throw InputError(file: source.displayPath, reason: "Messenger exports inside zips are not read; unzip the archive first")
        }
        var result = ParsedChat(file: source.displayPath, format: source.format, chat: nil)
        var title: String?
        var firstError: InputError?
        var failed = 0
        for path in files {
            do {
                let part = try ChatReader.withFileBytes(path) {
                    try parse(bytes: $0, file: path, format: source.format)
                }
                if title == nil { title = part.chat }
                result.messages += part.messages
                result.issues += part.issues
                result.totalLines += part.totalLines
            } catch let e as InputError {
                if firstError == nil { firstError = e }
                failed += 1
                result.issues.append(ParseIssue(file: e.file, line: e.line, severity: .error, reason: e.reason))
            }
        }
        if failed == files.count, let e = firstError, files.count == 1 { throw e }
        if failed == files.count, let e = firstError {
            throw InputError(file: source.displayPath, reason: "no part of the thread could be read (first: \(e.description))")
        }
        let folder = ((files.first ?? source.displayPath) as NSString).deletingLastPathComponent
        let chat = options.chatName ?? title ?? (folder as NSString).lastPathComponent
        result.chat = chat
        for i in result.messages.indices { result.messages[i].chat = chat }
        return result
    }

    /// Parses one JSON file of the Messenger family; the chat of the messages is the file's title.
    public static func parse(bytes: UnsafeRawBufferPointer, file: String, format: SourceFormat) throws -> ParsedChat {
        var doc = try JSONDocument.load(bytes, file: file)
        let e2ee = format == .messengerE2EE
        let repair = !e2ee
        var issues: [ParseIssue] = []
        let top = try doc.members(ofObjectAt: doc.rootStart)
        var title = try doc.string(e2ee ? "threadName" : "title", in: top)
        if repair, let t = title {
            let (fixed, outcome) = Mojibake.repair(t)
            title = fixed
            if outcome == .notFixable {
                issues.append(ParseIssue(file: file, line: 1, severity: .warning, reason: "mojibake-not-fixable: chat title kept as stored"))
            }
        }
        guard let ranges = try doc.messageRanges(in: top) else {
            throw InputError(file: file, line: 1, reason: "no \"messages\" array: not a Messenger/Instagram export")
        }
        var messages: [Message] = []
        messages.reserveCapacity(ranges.count)
        var senderCache: [String: (String, MojibakeOutcome)] = [:]   // senders repeat: repair each once
        var notFixable = 0
        for (index, range) in ranges.enumerated() {
            let line = doc.lines.line(at: range.lowerBound)
            let m = try doc.object(range, what: "message \(index)")
            let lineEnd = doc.lines.line(at: range.upperBound - 1)
            var warnings: [String] = []
            var outcomes: [MojibakeOutcome] = []

            var sender = m[e2ee ? "senderName" : "sender_name"] as? String
            if repair, let s = sender {
                let r: (String, MojibakeOutcome)
                if let cached = senderCache[s] { r = cached } else { r = Mojibake.repair(s); senderCache[s] = r }
                sender = r.0; outcomes.append(r.1)
            }
            if sender == nil { warnings.append("sender-missing") }
            let ms = JSONValue.int64(m[e2ee ? "timestamp" : "timestamp_ms"])
            let timestamp = ms.map { UTCTime.iso(milliseconds: $0) }
            if ms == nil { warnings.append("timestamp-missing") }

            // the text and where its bytes are
            var mapped = MappedText.empty(at: range.lowerBound)
            var hasContent = false
            let members = try doc.members(ofObjectAt: range.lowerBound)
            do {
                if let tok = doc.scanner.value(of: e2ee ? "text" : "content", in: members), doc.scanner.isString(tok) {
                    let (t, o) = try doc.scanner.mappedText(tok, repairMojibake: repair)
                    mapped = t; outcomes.append(o); hasContent = true
                } else if !e2ee, let share = doc.scanner.value(of: "share", in: members), doc.scanner.isObject(share) {
                    let shareMembers = try doc.scanner.members(ofObjectAt: share.lowerBound)
                    if let tok = doc.scanner.value(of: "share_text", in: shareMembers) ?? doc.scanner.value(of: "link", in: shareMembers),
                       doc.scanner.isString(tok) {
                        let (t, o) = try doc.scanner.mappedText(tok, repairMojibake: repair)
                        mapped = t; outcomes.append(o)
                    }
                }
            } catch { throw doc.error(error) }
            let text = mapped.string

            let kind = classify(m, text: text, hasContent: hasContent, sender: sender, e2ee: e2ee)
            if kind == .system && !hasContent && text.isEmpty && !JSONValue.isPresent(m["type"]) {
                warnings.append("empty-message")
            }
            if outcomes.contains(.notFixable) {
                warnings.append("mojibake-not-fixable")
                notFixable += 1
                if notFixable <= maxIssuesPerKind {
                    issues.append(ParseIssue(file: file, line: line, severity: .warning,
                                             reason: "mojibake-not-fixable: message \(index) has a string that is not Latin-1 mojibake; kept as stored"))
                }
            } else if outcomes.contains(.fixed) {
                warnings.append("mojibake-fixed")
            }
            messages.append(Message(file: file, chat: title, sender: sender, timestamp: timestamp, text: text, kind: kind,
                                    line: line, lineEnd: lineEnd, byteStart: range.lowerBound, byteEnd: range.upperBound,
                                    messageIndex: index, format: format, warnings: warnings, textOrigin: mapped.origin))
        }
        if notFixable > maxIssuesPerKind {
            issues.append(ParseIssue(file: file, severity: .warning,
                                     reason: "mojibake-not-fixable: \(notFixable - maxIssuesPerKind) more messages (see their warnings)"))
        }
        let totalLines = doc.lines.line(at: bytes.count) - ((bytes.last == 0x0A) ? 1 : 0)
        return ParsedChat(file: file, format: format, chat: title, messages: messages, issues: issues,
                          totalLines: totalLines, unparsedLines: 0)
    }

    /// How many warnings of one kind are listed line by line per file before they are summed up.
    static let maxIssuesPerKind = 20

    static let mediaKeys = ["photos", "videos", "audio_files", "gifs", "files", "sticker"]
    static let e2eeMediaKeys = ["media"] + mediaKeys

    /// Kind of one message from its fields and (English) text; see the type's documentation for the order.
    static func classify(_ m: [String: Any], text: String, hasContent: Bool, sender: String?, e2ee: Bool) -> MessageKind {
        if (m[e2ee ? "isUnsent" : "is_unsent"] as? Bool) == true { return .unsent }
        let type = m["type"] as? String
        if type == "Call" || m["call_duration"] != nil { return .call }
        if type == "Subscribe" || type == "Unsubscribe" { return .system }
        // event texts are short; long texts are always user text
        if hasContent, text.utf8.count <= 400, let k = MessengerTexts.kind(of: text, sender: sender) { return k }
        if (e2ee ? e2eeMediaKeys : mediaKeys).contains(where: { JSONValue.isPresent(m[$0]) }) { return .media }
        if hasContent || type == "Share" || JSONValue.isPresent(m["share"]) { return .text }
        if JSONValue.isPresent(m["reactions"]) { return .reaction }
        return .system
    }
}
