import ChatModel
import Foundation

/// Turns chunk results, taken in order, into `MessageHits` for the sink: fixes chunk-relative message indices and
/// lines, completes context across chunk edges, and counts totals. Only holds the last few messages of context and
/// the hit messages still waiting for their `after` context.
final class OrderedEmitter {
    let sink: HitSink
    let context: ContextWindow
    var totals = ScanTotals()
    var hitCount = 0
    private var currentInput = -1
    private var messageBase = 0
    private var lineBase = 0
    private var window: [Message] = []
    private var pending: [MessageHits] = []
    private var relativeLines = true
    private var chatKey = ""

    init(sink: HitSink, context: ContextWindow) { self.sink = sink; self.context = context }

    private func fix(_ m: inout Message) {
        m.messageIndex += messageBase
        if relativeLines {
            m.line = m.line.map { $0 + lineBase }
            m.lineEnd = m.lineEnd.map { $0 + lineBase }
        }
    }

    private func fix(_ h: inout Hit) {
        h.messageIndex += messageBase
        if relativeLines { h.line = h.line.map { $0 + lineBase } }
    }

    /// Starts a new input (resets bases and context).
    func begin(input: Int, source: ChunkedMessageSource) throws {
        try flushPending()
        currentInput = input
        messageBase = 0; lineBase = 0; window = []
        relativeLines = source.relativeLines
        chatKey = source.chat ?? source.displayPath
    }

    /// Adds one chunk's results; returns its issues with absolute line numbers.
    @discardableResult
    func add(_ r: ChunkResult) throws -> [ParseIssue] {
        var head = r.head, tail = r.tail
        for i in head.indices { fix(&head[i]) }
        for i in tail.indices { fix(&tail[i]) }
        // Complete the after-context of earlier hit messages with this chunk's first messages.
        for i in pending.indices {
            let need = context.after(for: pending[i].hits) - pending[i].after.count
            guard need > 0 else { continue }
            let last = pending[i].after.last?.messageIndex ?? pending[i].message.messageIndex
            pending[i].after += head.filter { $0.messageIndex > last }.prefix(need)
        }
        for (local, var item) in r.items {
            fix(&item.message)
            for j in item.before.indices { fix(&item.before[j]) }
            for j in item.after.indices { fix(&item.after[j]) }
            for j in item.hits.indices { fix(&item.hits[j]) }
            if item.before.count < context.before && local < context.before {
                let need = context.before - item.before.count
                item.before = Array(window.suffix(need)) + item.before
            }
            pending.append(item)
        }
        window = Array((window + tail).suffix(context.before))
        var fixedIssues: [ParseIssue] = []
        for issue in r.issues {
            var x = issue
            if relativeLines { x.line = x.line.map { $0 + lineBase } }
            if x.severity == .unparsed { totals.unparsedLines += 1 }
            totals.issues.append(x)
            fixedIssues.append(x)
        }
        for (sender, n) in r.senderCounts { totals.messagesBySender[SenderChatKey(chat: chatKey, sender: sender), default: 0] += n }
        totals.messagesByChat[chatKey, default: 0] += r.messageCount
        totals.messages += r.messageCount
        messageBase += r.messageCount
        lineBase += r.newlines
        var ready = 0
        while ready < pending.count && pending[ready].after.count >= context.after(for: pending[ready].hits) { ready += 1 }
        if r.isLast { ready = pending.count }
        if ready > 0 {
            for item in pending[..<ready] { hitCount += item.hits.count; try sink.consume(item) }
            pending.removeFirst(ready)
        }
        return fixedIssues
    }

    func flushPending() throws {
        for item in pending { hitCount += item.hits.count; try sink.consume(item) }
        pending = []
    }
}
