import ChatModel
import Foundation
import TestScratch
@testable import ScanEngine

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

/// Prefilter sets built so far in this test run, by rule set and form: the shipped packs take seconds to compile,
/// and several tests scan with them. Each set is built once; tests that ask for it meanwhile wait.
private final class PrefilterSetMemo: @unchecked Sendable {
    static let shared = PrefilterSetMemo()
    private let lock = NSLock()
    private var sets: [String: PrefilterSet] = [:]

    func set(for specs: [PrefilterSpec], quickCompile: Bool) throws -> PrefilterSet {
        let key = PrefilterPlan.cacheKey(specs) + (quickCompile ? "q" : "f")
        lock.lock(); defer { lock.unlock() }
        if let s = sets[key] { return s }
        let s = try PrefilterSet.build(specs: specs, cacheDirectory: nil, quickCompile: { quickCompile })
        sets[key] = s
        return s
    }
}

/// Runs `rules` over `source` with the prefilter and returns the sink. `quickCompile`: shadow databases in their
/// quick-compile form (`PrefilterText.shadowQuickCompile`) instead of the full one.
func scan(_ rules: ConfirmingRules, _ sources: [ChunkedMessageSource], threads: Int, context: Int = 0,
          quickCompile: Bool = false) throws -> (CollectingSink, ScanReport) {
    let plans = try PrefilterSetMemo.shared.set(for: rules.prefilterSpecs(), quickCompile: quickCompile)
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
