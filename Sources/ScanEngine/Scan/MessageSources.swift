import ChatModel
import Foundation

/// Where one message lies in a source's buffer. Offsets are absolute in `ChunkedMessageSource.buffer`.
public struct MessageSpan: Sendable, Equatable {
    public var start: Int
    public var end: Int
    public var textStart: Int
    public var textEnd: Int
    /// 1-based first and last line; relative to the chunk start for text sources (fixed up when emitted).
    public var line: Int
    public var lineEnd: Int
    /// True when rules run on this message (user text, not system notices or media placeholders).
    public var scannable: Bool
    public init(start: Int, end: Int, textStart: Int, textEnd: Int, line: Int, lineEnd: Int, scannable: Bool) {
        self.start = start; self.end = end; self.textStart = textStart; self.textEnd = textEnd
        self.line = line; self.lineEnd = lineEnd; self.scannable = scannable
    }
}

/// The messages of one chunk of a source, as located by the source (no `Message` values built yet).
public struct ChunkMessages {
    public var spans: [MessageSpan]
    /// Newlines inside the chunk's byte range (0 for sources whose lines are already absolute).
    public var newlines: Int
    /// Unparsed lines and warnings found in the chunk (lines relative like the spans).
    public var issues: [ParseIssue]
    /// User messages per sender in this chunk.
    public var senderCounts: [String: Int]
    public init(spans: [MessageSpan], newlines: Int, issues: [ParseIssue] = [], senderCounts: [String: Int] = [:]) {
        self.spans = spans; self.newlines = newlines; self.issues = issues; self.senderCounts = senderCounts
    }
}

/// A file (or parsed chat) the engine scans chunk by chunk without building a `Message` for every message:
/// only hit messages and their context are materialised. Implementations are read-only and used by many threads.
public protocol ChunkedMessageSource: AnyObject, Sendable {
    /// Display path (`archive.zip!/_chat.txt` for a zip member).
    var displayPath: String { get }
    var format: SourceFormat { get }
    var chat: String? { get }
    /// The bytes every span points into.
    var buffer: UnsafeRawBufferPointer { get }
    var chunkCount: Int { get }
    /// True when span lines are relative to the chunk start (text sources) rather than absolute.
    var relativeLines: Bool { get }
    /// The messages of chunk `k`; their spans are appended to `storage` emptied first (a caller that hands back the
    /// previous chunk's array, uniquely referenced, reuses its memory instead of faulting in fresh pages).
    func messages(inChunk k: Int, reusing storage: consuming [MessageSpan]) -> ChunkMessages
    /// Builds the full record for one span of chunk `k`, with `messageIndex` relative to the chunk.
    func materialise(_ span: MessageSpan, chunk k: Int, localIndex: Int) -> Message
}

extension ChunkedMessageSource {
    /// The messages of chunk `k` in a new span array.
    public func messages(inChunk k: Int) -> ChunkMessages { messages(inChunk: k, reusing: []) }
}

/// Cuts `[0, count)` into pieces of about `target` bytes, each ending just after a `\n` (or at the end).
func lineAlignedChunks(_ buf: UnsafeRawBufferPointer, target: Int) -> [Range<Int>] {
    var out: [Range<Int>] = []
    var start = 0
    let n = buf.count
    guard let base = buf.baseAddress else { return [] }
    while start < n {
        var cut = min(n, start + target)
        if cut < n, let p = memchr(base + cut, 0x0A, n - cut) {
            cut = base.distance(to: UnsafeRawPointer(p)) + 1
        } else { cut = n }
        out.append(start..<cut)
        start = cut
    }
    return out
}

/// Counts `\n` in a byte range with `memchr`.
func countNewlines(_ buf: UnsafeRawBufferPointer, _ r: Range<Int>) -> Int {
    guard let base = buf.baseAddress else { return 0 }
    var n = 0
    var p = r.lowerBound
    while p < r.upperBound, let q = memchr(base + p, 0x0A, r.upperBound - p) {
        n += 1
        p = base.distance(to: UnsafeRawPointer(q)) + 1
    }
    return n
}

/// The `lines` format over a memory-mapped file: every line is one message (no sender, no chat).
public final class MappedLinesSource: ChunkedMessageSource, @unchecked Sendable {
    public let displayPath: String
    public let file: MappedFile
    public var format: SourceFormat { .lines }
    public var chat: String? { nil }
    public var buffer: UnsafeRawBufferPointer { file.bytes }
    public var relativeLines: Bool { true }
    let chunks: [Range<Int>]

    public init(file: MappedFile, displayPath: String, chunkBytes: Int = 4 << 20) {
        self.file = file; self.displayPath = displayPath
        chunks = lineAlignedChunks(file.bytes, target: chunkBytes)
    }

    public var chunkCount: Int { chunks.count }

    /// Lines end at LF, CRLF or a lone CR (as `LinesParser`); a UTF-8 BOM at the file start is not text.
    public func messages(inChunk k: Int, reusing storage: consuming [MessageSpan]) -> ChunkMessages {
        let r = chunks[k]
        let buf = file.bytes
        let base = buf.baseAddress!
        var spans = storage
        spans.removeAll(keepingCapacity: true)
        spans.reserveCapacity(r.count / 40)
        var p = r.lowerBound
        if p == 0 && buf.count >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF { p = 3 }
        var line = 1, terminated = 0
        let hasCR = r.count > 0 && memchr(base + r.lowerBound, 0x0D, r.count) != nil
        while p < r.upperBound {
            var e = r.upperBound, next = r.upperBound
            if let q = memchr(base + p, 0x0A, r.upperBound - p) { e = base.distance(to: UnsafeRawPointer(q)); next = e + 1 }
            if hasCR, let c = memchr(base + p, 0x0D, e - p) {
                let ci = base.distance(to: UnsafeRawPointer(c))
                if ci + 1 != e || e == r.upperBound { next = ci + 1 }
                e = ci
            }
            if next > e { terminated += 1 }
            spans.append(MessageSpan(start: p, end: e, textStart: p, textEnd: e, line: line, lineEnd: line, scannable: true))
            line += 1
            p = next
        }
        var issues: [ParseIssue] = []
        if UTF8Validation.firstProblem(UnsafeRawBufferPointer(rebasing: buf[r]), rejectNUL: true) != nil {
            // Every line is a message here, so each report names its own line.
            issues = InvalidUTF8Messages.exclude(buf, range: r, spans: &spans, file: displayPath, terminator: 0x0A)
        }
        return ChunkMessages(spans: spans, newlines: terminated, issues: issues)
    }

    public func materialise(_ s: MessageSpan, chunk k: Int, localIndex: Int) -> Message {
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: file.bytes[s.textStart..<s.textEnd]), as: UTF8.self)
        return Message(file: displayPath, chat: nil, sender: nil, timestamp: nil, text: text, kind: .text,
                       line: s.line, lineEnd: s.lineEnd, byteStart: s.start, byteEnd: s.end, messageIndex: localIndex,
                       format: .lines, textOrigin: .verbatim(s.textStart))
    }
}

/// Already-parsed messages (JSON exports and anything read through `ChatReader.read`): their texts are joined with
/// `\n` into one buffer, chunked by message count, and mapped back to the file through each message's `TextOrigin`.
public final class ParsedMessagesSource: ChunkedMessageSource, @unchecked Sendable {
    public let displayPath: String
    public let format: SourceFormat
    public let chat: String?
    let messages: [Message]
    let joined: UnsafeMutableRawBufferPointer
    let textStarts: [Int]
    let chunkStarts: [Int]
    let parseIssues: [ParseIssue]
    public var relativeLines: Bool { false }
    public var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(joined) }

    /// `issues` (unparsed lines, warnings, errors of parts) are reported with the first chunk.
    public init(displayPath: String, format: SourceFormat, chat: String?, messages: [Message], issues: [ParseIssue] = [],
                chunkBytes: Int = 4 << 20) {
        self.displayPath = displayPath; self.format = format; self.chat = chat; self.messages = messages
        parseIssues = issues
        let total = messages.reduce(0) { $0 + $1.text.utf8.count + 1 } + 1
        let joined = UnsafeMutableRawBufferPointer.allocate(byteCount: total, alignment: 16)
        self.joined = joined
        joined[0] = 0x0A
        var starts: [Int] = []
        var chunkStarts: [Int] = [0]
        var p = 1, inChunk = 0
        for (i, m) in messages.enumerated() {
            starts.append(p)
            var t = m.text
            t.withUTF8 { u in if u.count > 0 { UnsafeMutableRawBufferPointer(rebasing: joined[p..<(p + u.count)]).copyMemory(from: UnsafeRawBufferPointer(u)) } }
            p += m.text.utf8.count
            joined[p] = 0x0A
            p += 1
            inChunk += m.text.utf8.count + 1
            if inChunk >= chunkBytes && i + 1 < messages.count { chunkStarts.append(i + 1); inChunk = 0 }
        }
        textStarts = starts
        self.chunkStarts = messages.isEmpty ? [] : chunkStarts
    }
    deinit { joined.deallocate() }

    public var chunkCount: Int { chunkStarts.count }

    func messageRange(_ k: Int) -> Range<Int> { chunkStarts[k]..<(k + 1 < chunkStarts.count ? chunkStarts[k + 1] : messages.count) }

    public func messages(inChunk k: Int, reusing storage: consuming [MessageSpan]) -> ChunkMessages {
        var spans = storage
        spans.removeAll(keepingCapacity: true)
        var senders: [String: Int] = [:]
        for i in messageRange(k) {
            let m = messages[i]
            let s = textStarts[i], e = s + m.text.utf8.count
            spans.append(MessageSpan(start: s, end: e, textStart: s, textEnd: e, line: m.line ?? 0, lineEnd: m.lineEnd ?? m.line ?? 0,
                                     scannable: m.isScannable))
            if m.kind != .system, let snd = m.sender { senders[snd, default: 0] += 1 }
        }
        return ChunkMessages(spans: spans, newlines: 0, issues: k == 0 ? parseIssues : [], senderCounts: senders)
    }

    public func materialise(_ s: MessageSpan, chunk k: Int, localIndex: Int) -> Message {
        var m = messages[chunkStarts[k] + localIndex]
        m.messageIndex = localIndex
        return m
    }
}
