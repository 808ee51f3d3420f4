import ChatModel
import Foundation

/// What one worker produced for one chunk: hit messages with in-chunk context, the first and last messages (for
/// context across chunk edges), counts, issues. Message indices and text-format lines are relative to the chunk.
struct ChunkResult {
    var input: Int
    var chunk: Int
    var isLast: Bool
    var messageCount = 0
    var newlines = 0
    var bytes = 0
    var items: [(local: Int, item: MessageHits)] = []
    var head: [Message] = []
    var tail: [Message] = []
    var senderCounts: [String: Int] = [:]
    var issues: [ParseIssue] = []
    var nanos: UInt64 = 0
}

/// Result of opening one input: its source (or the error), plus what the manifest records about it.
struct OpenedInput {
    var source: ChunkedMessageSource?
    var error: ParseIssue?
    var extraIssues: [ParseIssue] = []
}

extension ScanWorker {
    /// Locates, prefilters and confirms one chunk of `source`, materialising only hit messages and context.
    func process(source: ChunkedMessageSource, input: Int, chunk k: Int, context: ContextWindow,
                 minSeverity: Severity?) -> ChunkResult {
        let t0 = DispatchTime.now().uptimeNanoseconds
        var storage: [MessageSpan] = []
        swap(&storage, &spanStorage)
        let cm = source.messages(inChunk: k, reusing: consume storage)
        let spans = cm.spans
        defer { spanStorage = spans }
        let buffer = source.buffer
        var r = ChunkResult(input: input, chunk: k, isLast: k + 1 == source.chunkCount)
        r.messageCount = spans.count
        r.newlines = cm.newlines
        r.senderCounts = cm.senderCounts
        r.issues = cm.issues
        if let f = spans.first, let l = spans.last { r.bytes = max(0, l.end - f.start) }
        var cache: [Int: Message] = [:]
        func msg(_ i: Int) -> Message {
            if let m = cache[i] { return m }
            let m = source.materialise(spans[i], chunk: k, localIndex: i)
            cache[i] = m
            return m
        }
        let pairs = candidates(buffer: buffer, spans: spans)
        let confirmed = confirm(buffer: buffer, spans: spans, pairs: pairs) { rule, span, event in
            let s = spans[span]
            r.issues.append(ParseIssue(file: source.displayPath, line: s.line, severity: .warning,
                reason: "rule \(self.rules.meta(rule).id) stopped early on message \(span): \(event)"))
        }
        // Hit messages and their context, plus the chunk's head and tail: room for them at once.
        cache.reserveCapacity(confirmed.count * (context.before + context.maxAfter + 1) + context.before + context.maxAfter)
        for (span, matches) in confirmed {
            let m = msg(span)
            var hits: [Hit] = []
            for (rule, cm) in matches {
                let meta = rules.meta(rule)
                let severity = cm.severity ?? meta.severity
                if let minS = minSeverity, severity < minS { continue }
                let s = spans[span]
                let bytes = UnsafeRawBufferPointer(rebasing: buffer[(s.textStart + cm.textStart)..<(s.textStart + cm.textEnd)])
                let fr = m.fileRange(ofTextBytes: cm.textStart..<cm.textEnd)
                hits.append(Hit(file: m.file, chat: m.chat, sender: m.sender, timestamp: m.timestamp, line: m.line,
                                messageIndex: m.messageIndex, rule: meta.id, category: meta.category,
                                subcategory: meta.subcategory, severity: severity,
                                match: String(decoding: bytes, as: UTF8.self), byteStart: fr?.lowerBound,
                                byteEnd: fr?.upperBound, textStart: cm.textStart, textEnd: cm.textEnd,
                                pattern: cm.pattern, normalised: cm.normalised, score: cm.score))
            }
            if hits.isEmpty { continue }
            let before = (max(0, span - context.before)..<span).map(msg)
            let after = ((span + 1)..<min(spans.count, span + 1 + context.after(for: hits))).map(msg)
            r.items.append((local: span, item: MessageHits(message: m, hits: hits, before: before, after: after)))
        }
        r.head = (0..<min(spans.count, context.maxAfter)).map(msg)
        r.tail = (max(0, spans.count - context.before)..<spans.count).map(msg)
        r.nanos = DispatchTime.now().uptimeNanoseconds - t0
        return r
    }
}

/// How many messages of context to attach before and after each hit message.
public struct ContextWindow: Sendable, Equatable {
    public var before: Int
    /// Messages after every hit message.
    public var after: Int
    /// Messages after a hit message with a hit of severity `repliesFrom` or above (nil: every hit message), when
    /// more than `after`: the replies in which reports look for endorsements.
    public var replies: Int
    public var repliesFrom: Severity?

    /// `--context N`: N before, N after, and `replies` after the hit messages that reports check for endorsing
    /// replies (all of them unless `repliesFrom` is given).
    public init(context n: Int, replies: Int = 3, repliesFrom: Severity? = nil) {
        before = max(0, n); after = max(0, n); self.replies = replies; self.repliesFrom = repliesFrom
    }
    public init(before: Int, after: Int) { self.before = before; self.after = after; replies = 0; repliesFrom = nil }

    /// Messages after a hit message with these hits.
    public func after(for hits: [Hit]) -> Int {
        guard replies > after else { return after }
        if let from = repliesFrom, !hits.contains(where: { $0.severity >= from }) { return after }
        return replies
    }

    /// The most any hit message takes (a chunk's first messages kept for the hit messages of the chunk before).
    public var maxAfter: Int { max(after, replies) }
}
