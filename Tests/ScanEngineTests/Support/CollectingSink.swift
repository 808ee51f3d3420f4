import ChatModel
import Foundation
import TestScratch
import ScanEngine

/// A `HitSink` for tests: keeps every item and the totals.
final class CollectingSink: HitSink {
    var items: [MessageHits] = []
    var totals: ScanTotals?
    func consume(_ item: MessageHits) throws { items.append(item) }
    func finish(totals: ScanTotals) throws { self.totals = totals }

    /// One line per hit, `index:line:rule:start-end:match`, in emitted order.
    var hitLines: [String] {
        items.flatMap { it in it.hits.map { "\($0.messageIndex):\($0.line ?? -1):\($0.rule):\($0.textStart)-\($0.textEnd):\($0.match)" } }
    }

    /// The hits as JSON Lines, sorted keys: what a JSONL report would contain.
    func jsonl() throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        return try items.flatMap { $0.hits }.map { String(decoding: try enc.encode($0), as: UTF8.self) }.joined(separator: "\n")
    }
}

/// Builds plain `Message`s (kind text, one chat) from texts, with lines counted as in a joined file.
func makeMessages(_ texts: [String], file: String = "chat.json", chat: String = "chat", senders: [String] = ["ann", "bob", "cy"]) -> [Message] {
    var line = 1
    return texts.enumerated().map { i, t in
        let m = Message(file: file, chat: chat, sender: senders[i % senders.count], timestamp: nil, text: t, kind: i % 17 == 5 ? .system : .text,
                        line: line, lineEnd: line, byteStart: 0, byteEnd: 0, messageIndex: i, format: .telegram)
        line += 1
        return m
    }
}

/// Runs `rules` over `source` with the prefilter and returns the sink.
func scan(_ rules: ConfirmingRules, _ sources: [ChunkedMessageSource], threads: Int, context: Int = 0) throws -> (CollectingSink, ScanReport) {
    let plans = try PrefilterSet.build(specs: rules.prefilterSpecs(), cacheDirectory: nil)
    let runner = ScanRunner(rules: rules, plans: plans, options: ScanOptions(threads: threads, context: ContextWindow(context: context)))
    let sink = CollectingSink()
    let inputs = sources.map { s in ScanInput(displayPath: s.displayPath, hashPath: nil, open: { s }) }
    let report = try runner.run(inputs, sink: sink)
    return (sink, report)
}

/// Writes `content` to a fresh temporary file and returns its path.
func temporaryFile(_ content: String, name: String = "input.txt") throws -> String {
    let dir = try TestScratch.directory("scanengine")
    let url = dir.appendingPathComponent(name)
    try Data(content.utf8).write(to: url)
    return url.path
}
