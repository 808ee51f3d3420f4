import ChatModel
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Compares two compiled rule sets on a stream of messages (what `chatsieve rules diff` does): feed every message
/// with `add(_:)`, then call `report()`. Both sets run with the reference matcher (`matchAll`; with profiling,
/// `match(rule:)` per rule, which gives the same hits) on the same bytes, each with its own scratch, and the hits
/// are compared per (message, rule id). Memory stays bounded: only counts and the first few examples per rule are
/// kept. `add(_:threads:)` spreads a batch over worker differs and the report is the same as with one thread
/// (examples are the first ones in corpus order). Not thread-safe itself: call it from one thread.
public final class RuleDiffer {
    public let old: CompiledRuleSet
    public let new: CompiledRuleSet
    /// Examples kept per rule and kind (gained, lost, re-graded).
    public let examplesPerRule: Int
    /// Time every rule's match calls (`RuleSideStats.nanoseconds`, thread CPU time).
    public let profile: Bool

    private let oldScratch: MatchScratch
    private let newScratch: MatchScratch
    private var entries: [String: RuleDiffEntry] = [:]
    private var categories: [String: DiffCounts] = [:]
    private var senders: [String: DiffCounts] = [:]
    private var transitions: [Severity: [Severity: Int]] = [:]
    private var messages = 0
    private var oldMessagesHit = 0
    private var newMessagesHit = 0
    private var oldTimes: [UInt64]
    private var newTimes: [UInt64]
    /// Corpus position of every kept example, per (rule id, kind), so worker results merge in corpus order.
    private var ordinals: [ExampleKey: [Int]] = [:]
    private var nextOrdinal = 0
    /// Worker differs of `add(_:threads:)`, merged into this one by `report()`.
    private var workers: [RuleDiffer] = []

    struct ExampleKey: Hashable { var id: String; var kind: Int }
    /// The example lists of an entry: 0 gained, 1 lost, 2 re-graded.
    static var exampleKinds: [WritableKeyPath<RuleDiffEntry, [DiffExample]>] {
        [\.gainedExamples, \.lostExamples, \.severityExamples]
    }

    /// Name used for messages without a sender in the per-sender table.
    public static let noSender = "(no sender)"

    public init(old: CompiledRuleSet, new: CompiledRuleSet, examplesPerRule: Int = 3, profile: Bool = false) {
        self.old = old; self.new = new; self.examplesPerRule = max(0, examplesPerRule); self.profile = profile
        oldScratch = old.makeScratch(); newScratch = new.makeScratch()
        oldTimes = Array(repeating: 0, count: old.rules.count)
        newTimes = Array(repeating: 0, count: new.rules.count)
        entries = RuleDiffer.ruleEntries(old: old.ruleSet.rules, new: new.ruleSet.rules)
        if profile {
            for id in entries.keys {
                if entries[id]!.old != nil { entries[id]!.old!.nanoseconds = 0 }
                if entries[id]!.new != nil { entries[id]!.new!.nanoseconds = 0 }
            }
        }
    }

    /// Runs both sets on one message; messages that are not scannable (system, media, deleted) are ignored.
    public func add(_ message: Message) {
        add(message, ordinal: nextOrdinal); nextOrdinal += 1
    }

    /// Runs a batch of messages (in corpus order) on up to `threads` worker differs, one contiguous slice each.
    /// Small batches run here on the calling thread.
    public func add(_ batch: [Message], threads: Int) {
        let k = min(max(1, threads), batch.count / 256 + 1)
        guard k > 1 else { for m in batch { add(m) }; return }
        while workers.count < k { workers.append(RuleDiffer(old: old, new: new, examplesPerRule: examplesPerRule, profile: profile)) }
        let base = nextOrdinal, size = (batch.count + k - 1) / k, pool = workers
        nextOrdinal += batch.count
        DispatchQueue.concurrentPerform(iterations: k) { i in
            for j in (i * size)..<min(batch.count, (i + 1) * size) { pool[i].add(batch[j], ordinal: base + j) }
        }
    }

    func add(_ message: Message, ordinal: Int) {
        guard message.isScannable else { return }
        messages += 1
        var text = message.text
        let (oldHits, newHits) = text.withUTF8 { utf8 -> ([String: PairHit], [String: PairHit]) in
            let bytes = UnsafeRawBufferPointer(utf8)
            return (run(old, isOld: true, bytes: bytes, scratch: oldScratch, times: &oldTimes),
                    run(new, isOld: false, bytes: bytes, scratch: newScratch, times: &newTimes))
        }
        if !oldHits.isEmpty { oldMessagesHit += 1 }
        if !newHits.isEmpty { newMessagesHit += 1 }
        let sender = message.sender ?? RuleDiffer.noSender
        for id in Set(oldHits.keys).union(newHits.keys) {
            let o = oldHits[id], n = newHits[id]
            var delta = DiffCounts()
            var entry = entries[id]!
            if let o { entry.old!.hits += o.hits; entry.old!.messages += 1 }
            if let n { entry.new!.hits += n.hits; entry.new!.messages += 1 }
            switch (o, n) {
            case let (o?, nil):
                delta.lost = 1
                keep(&entry, 1, ordinal, example(message, o, oldSeverity: nil))
                categories[o.category, default: DiffCounts()].lost += 1
            case let (nil, n?):
                delta.gained = 1
                keep(&entry, 0, ordinal, example(message, n, oldSeverity: nil))
                categories[n.category, default: DiffCounts()].gained += 1
            case let (o?, n?):
                delta.unchanged = 1
                if o.severity != n.severity {
                    delta.severityChanged = 1
                    transitions[o.severity, default: [:]][n.severity, default: 0] += 1
                    keep(&entry, 2, ordinal, example(message, n, oldSeverity: o.severity))
                }
                if o.category == n.category {
                    categories[n.category, default: DiffCounts()].add(delta)
                } else {   // the rule moved category: the pair leaves one and joins the other
                    categories[o.category, default: DiffCounts()].lost += 1
                    categories[n.category, default: DiffCounts()].gained += 1
                }
            case (nil, nil): break
            }
            entry.counts.add(delta)
            entries[id] = entry
            senders[sender, default: DiffCounts()].add(delta)
        }
    }

    /// The comparison so far, in deterministic order.
    public func report() -> RuleDiffReport {
        for w in workers { absorb(w) }
        workers = []
        var rules = entries.values.sorted { $0.id < $1.id }
        if profile {
            for i in rules.indices {
                if rules[i].old != nil, let k = old.rules.firstIndex(where: { $0.rule.id == rules[i].id }) {
                    rules[i].old!.nanoseconds = oldTimes[k]
                }
                if rules[i].new != nil, let k = new.rules.firstIndex(where: { $0.rule.id == rules[i].id }) {
                    rules[i].new!.nanoseconds = newTimes[k]
                }
            }
        }
        var totals = DiffCounts()
        for r in rules { totals.add(r.counts) }
        let cats = categories.map { GroupDiff(name: $0.key, counts: $0.value) }.sorted { $0.name < $1.name }
        let snds = senders.map { GroupDiff(name: $0.key, counts: $0.value) }.sorted {
            let a = $0.counts.gained + $0.counts.lost, b = $1.counts.gained + $1.counts.lost
            return a != b ? a > b : $0.name < $1.name
        }
        var trans: [SeverityTransition] = []
        for from in Severity.allCases.reversed() {
            for to in Severity.allCases.reversed() { if let c = transitions[from]?[to] { trans.append(.init(from: from, to: to, count: c)) } }
        }
        return RuleDiffReport(messages: messages, oldRules: old.rules.count, newRules: new.rules.count, profiled: profile,
                              totals: totals, oldMessagesHit: oldMessagesHit, newMessagesHit: newMessagesHit,
                              rules: rules, categories: cats, senders: snds, severityTransitions: trans)
    }

    // MARK: - Matching

    /// One rule's hits in one message.
    struct PairHit {
        var first: RuleMatch
        var hits: Int
        var severity: Severity
        var category: String
    }

    private func run(_ set: CompiledRuleSet, isOld: Bool, bytes: UnsafeRawBufferPointer, scratch: MatchScratch,
                     times: inout [UInt64]) -> [String: PairHit] {
        var matches: [RuleMatch]
        if profile {
            matches = []
            for i in set.rules.indices {
                let t0 = RuleDiffer.threadCPUNanoseconds()
                matches += set.match(rule: i, bytes: bytes, shadow: nil, scratch: scratch)
                times[i] &+= RuleDiffer.threadCPUNanoseconds() &- t0
            }
        } else {
            matches = set.matchAll(bytes: bytes, scratch: scratch)
        }
        var out: [String: PairHit] = [:]
        for m in matches {
            guard m.isHit else {
                if isOld { entries[m.ruleId]?.old?.limitEvents += 1 } else { entries[m.ruleId]?.new?.limitEvents += 1 }
                continue
            }
            if var p = out[m.ruleId] {
                p.hits += 1; p.severity = max(p.severity, m.severity); out[m.ruleId] = p
            } else {
                out[m.ruleId] = PairHit(first: m, hits: 1, severity: m.severity, category: set.rules[m.rule].rule.category)
            }
        }
        return out
    }

    /// CPU time of the calling thread: unlike wall time it does not count time the thread was not running, so a
    /// busy machine does not make a rule look slow.
    static func threadCPUNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    private func keep(_ entry: inout RuleDiffEntry, _ kind: Int, _ ordinal: Int, _ make: @autoclosure () -> DiffExample) {
        let path = RuleDiffer.exampleKinds[kind]
        guard entry[keyPath: path].count < examplesPerRule else { return }
        entry[keyPath: path].append(make())
        ordinals[ExampleKey(id: entry.id, kind: kind), default: []].append(ordinal)
    }

    /// Adds a worker's counts, times and examples (keeping the first examples in corpus order).
    private func absorb(_ w: RuleDiffer) {
        messages += w.messages; oldMessagesHit += w.oldMessagesHit; newMessagesHit += w.newMessagesHit
        for (id, theirs) in w.entries {
            var mine = entries[id]!
            mine.counts.add(theirs.counts)
            if let t = theirs.old { mine.old?.add(t) }
            if let t = theirs.new { mine.new?.add(t) }
            for (kind, path) in RuleDiffer.exampleKinds.enumerated() {
                let key = ExampleKey(id: id, kind: kind)
                var both: [(Int, DiffExample)] = Array(zip(ordinals[key] ?? [], mine[keyPath: path]))
                both += zip(w.ordinals[key] ?? [], theirs[keyPath: path])
                both.sort { $0.0 < $1.0 }
                let kept = both.prefix(examplesPerRule)
                mine[keyPath: path] = kept.map { $0.1 }
                ordinals[key] = kept.map { $0.0 }
            }
            entries[id] = mine
        }
        for (k, v) in w.categories { categories[k, default: DiffCounts()].add(v) }
        for (k, v) in w.senders { senders[k, default: DiffCounts()].add(v) }
        for (from, row) in w.transitions { for (to, c) in row { transitions[from, default: [:]][to, default: 0] += c } }
        for i in oldTimes.indices { oldTimes[i] &+= w.oldTimes[i] }
        for i in newTimes.indices { newTimes[i] &+= w.newTimes[i] }
    }

    private func example(_ message: Message, _ p: PairHit, oldSeverity: Severity?) -> DiffExample {
        let utf8 = Array(message.text.utf8)
        let lo = min(p.first.range.lowerBound, utf8.count), hi = min(max(lo, p.first.range.upperBound), utf8.count)
        return DiffExample(file: message.file, line: message.line, messageIndex: message.messageIndex, chat: message.chat,
                           sender: message.sender, match: String(decoding: utf8[lo..<hi], as: UTF8.self),
                           textStart: lo, textEnd: hi, pattern: p.first.pattern, severity: p.severity,
                           oldSeverity: oldSeverity, excerpt: RuleDiffer.excerpt(utf8, around: lo..<hi))
    }

    /// The text around `span`: up to `width` bytes each side, cut at character boundaries, newlines shown as `⏎`.
    static func excerpt(_ utf8: [UInt8], around span: Range<Int>, width: Int = 60) -> String {
        func isContinuation(_ i: Int) -> Bool { i < utf8.count && i > 0 && utf8[i] & 0xC0 == 0x80 }
        var lo = max(0, span.lowerBound - width), hi = min(utf8.count, span.upperBound + width)
        while isContinuation(lo) { lo -= 1 }
        while isContinuation(hi) { hi += 1 }
        let body = String(decoding: utf8[lo..<hi], as: UTF8.self).replacingNewlines()
        return (lo > 0 ? "…" : "") + body + (hi < utf8.count ? "…" : "")
    }

    // MARK: - Rule versions

    /// One entry per rule id in either set, with its status, changed parts and likely renames.
    static func ruleEntries(old: [Rule], new: [Rule]) -> [String: RuleDiffEntry] {
        let oldById = Dictionary(old.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let newById = Dictionary(new.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [String: RuleDiffEntry] = [:]
        for id in Set(oldById.keys).union(newById.keys) {
            let o = oldById[id], n = newById[id]
            let r = (n ?? o)!
            var status = RuleChangeStatus.unchanged
            var changes: [String] = []
            if o == nil { status = .added } else if n == nil { status = .removed } else {
                changes = RuleDiffer.changedParts(o!, n!)
                if !changes.isEmpty { status = .changed }
            }
            out[id] = RuleDiffEntry(id: id, title: r.title, category: r.category, status: status, changes: changes,
                                    sameContentAs: nil, oldSeverity: o?.severity, newSeverity: n?.severity,
                                    old: o.map { _ in RuleSideStats() }, new: n.map { _ in RuleSideStats() },
                                    counts: DiffCounts(), gainedExamples: [], lostExamples: [], severityExamples: [])
        }
        // Renames: a removed rule and an added rule that match the same way.
        var addedByContent: [String: [String]] = [:]
        for id in out.keys.sorted() where out[id]!.status == .added {
            addedByContent[matchingContent(newById[id]!), default: []].append(id)
        }
        for id in out.keys.sorted() where out[id]!.status == .removed {
            let key = matchingContent(oldById[id]!)
            guard var candidates = addedByContent[key], !candidates.isEmpty else { continue }
            let twin = candidates.removeFirst(); addedByContent[key] = candidates
            out[id]!.sameContentAs = twin; out[twin]!.sameContentAs = id
        }
        return out
    }

    /// The parts of a rule that differ between two versions, in schema order (source locations are ignored).
    public static func changedParts(_ a: Rule, _ b: Rule) -> [String] {
        var parts: [String] = []
        func check(_ name: String, _ same: Bool) { if !same { parts.append(name) } }
        check("title", a.title == b.title)
        check("description", a.description == b.description)
        check("category", a.category == b.category)
        check("subcategory", a.subcategory == b.subcategory)
        check("severity", a.severity == b.severity)
        check("confidence", a.confidence == b.confidence)
        check("min_confidence", a.minConfidence == b.minConfidence)
        check("version", a.version == b.version)
        check("references", a.references == b.references)
        check("tags", a.tags == b.tags)
        check("normalise", a.normalise == b.normalise)
        check("patterns", a.patterns.map(patternKey) == b.patterns.map(patternKey))
        check("exceptions", a.exceptions.map(exceptionKey) == b.exceptions.map(exceptionKey))
        check("context", a.context == b.context)
        check("tests", testsKey(a.tests) == testsKey(b.tests))
        check("pack", a.pack == b.pack && a.packVersion == b.packVersion)
        return parts
    }

    /// What decides which messages a rule hits and how (no id, title, tests or locations): equal keys, same hits.
    static func matchingContent(_ r: Rule) -> String {
        let parts: [String] = [r.category, r.severity.rawValue, "\(r.confidence)", "\(r.minConfidence)",
                               r.normalise.map(\.rawValue).joined(separator: ","),
                               r.patterns.map(patternKey).joined(separator: "\u{1}"),
                               r.exceptions.map(exceptionKey).joined(separator: "\u{1}"),
                               r.context.map { "\($0)" } ?? "-"]
        return parts.joined(separator: "\u{0}")
    }

    static func patternKey(_ p: RulePattern) -> String {
        "\(p.id)\u{2}\(p.regex)\u{2}\(p.flags.map(\.rawValue).sorted())\u{2}\(p.score.map { "\($0)" } ?? "-")"
    }

    static func exceptionKey(_ x: RuleException) -> String {
        "\(x.id)\u{2}\(x.regex)\u{2}\(x.flags.map(\.rawValue).sorted())\u{2}\(x.scope.rawValue)\u{2}\(x.action)"
    }

    static func testsKey(_ t: RuleTests) -> [String] {
        t.match.map { "+\($0.text)\u{2}\($0.span ?? "")" } + t.noMatch.map { "-\($0.text)" }
    }
}

extension String {
    /// Newlines and carriage returns shown as `⏎`, so one example stays on one line.
    func replacingNewlines() -> String {
        String(unicodeScalars.map { $0 == "\n" || $0 == "\r" ? "⏎" : Character($0) })
    }
}
