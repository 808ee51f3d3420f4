import CHyperscan
import CScanKernels
import ChatModel
import Foundation

/// Owns the C collector (`cs_candidates`, filled by the scan callback `cs_candidate_match`) that turns one
/// database's matches into (text index, rule) candidate pairs: a callback per match end, so it is plain C.
final class CandidateCollector {
    let state: UnsafeMutablePointer<cs_candidates>

    init(idToRule: UnsafePointer<Int32>, rules: Int) {
        state = .allocate(capacity: 1)
        let lastSeen = UnsafeMutablePointer<Int32>.allocate(capacity: max(rules, 1))
        state.initialize(to: cs_candidates(starts: nil, ends: nil, count: 0, cursor: 0, id_to_rule: idToRule,
                                           last_seen: lastSeen, rules: rules, pairs: nil, pair_count: 0, pair_capacity: 0))
    }
    deinit {
        state.pointee.last_seen.deallocate()
        free(state.pointee.pairs)
        state.deallocate()
    }

    /// Starts a scan over `count` texts whose sorted, disjoint bounds are `starts[i]..<ends[i]`.
    func reset(starts: UnsafePointer<Int64>, ends: UnsafePointer<Int64>, count: Int) {
        cs_candidates_reset(state, starts, ends, count)
    }

    /// The pairs of the last scan, `text index << 24 | rule`.
    var pairs: UnsafeBufferPointer<UInt64> { UnsafeBufferPointer(start: state.pointee.pairs, count: state.pointee.pair_count) }
}

/// Per-rule counters for `--profile`.
public struct RuleProfile: Sendable {
    public var candidates = 0
    public var hits = 0
    public var hitMessages = 0
    public var confirmNanos: UInt64 = 0
    public init() {}
}

/// One prefilter database as a worker uses it: its scratch and its candidate collector.
final class PlanScanner {
    let plan: PrefilterPlan
    let normaliser: Int?
    let scratch: HyperscanScratch?
    let collector: CandidateCollector
    let idToRule: UnsafeMutablePointer<Int32>
    /// Skeleton databases of this plan as `PlanScanner`s of their own (nil where a kind is unused).
    let skeletons: [(kind: SkeletonKind, scanner: PlanScanner)]
    private let database: HyperscanDatabase?

    convenience init(plan: PrefilterPlan, normaliser: Int?, rules: Int) {
        self.init(plan: plan, database: plan.database, ids: plan.idToRule, normaliser: normaliser, rules: rules)
    }

    private init(plan: PrefilterPlan, database: HyperscanDatabase?, ids: [Int32], normaliser: Int?, rules: Int, nested: Bool = false) {
        self.plan = plan; self.normaliser = normaliser; self.database = database
        scratch = database?.makeScratch()
        idToRule = .allocate(capacity: max(ids.count, 1))
        if !ids.isEmpty { idToRule.update(from: ids, count: ids.count) }
        collector = CandidateCollector(idToRule: idToRule, rules: rules)
        if nested { skeletons = [] } else {
            skeletons = SkeletonKind.allCases.compactMap { k in
                guard k.rawValue < plan.skeletonDatabases.count, let db = plan.skeletonDatabases[k.rawValue] else { return nil }
                return (kind: k, scanner: PlanScanner(plan: plan, database: db, ids: plan.skeletonIdToRule[k.rawValue],
                                                      normaliser: normaliser, rules: rules, nested: true))
            }
        }
    }
    deinit { idToRule.deallocate() }

    var hasDatabase: Bool { database != nil }

    /// Scans `bytes` whose `count` texts are at `starts[i]..<ends[i]` (sorted offsets into `bytes`) and belong to
    /// span `spans[i]`, appending (span, rule) pairs.
    func scan(_ bytes: UnsafeRawBufferPointer, starts: UnsafePointer<Int64>, ends: UnsafePointer<Int64>,
              spans: UnsafePointer<Int>, count: Int, into out: inout [UInt64]) {
        guard let db = database, let scratch, count > 0 else { return }
        collector.reset(starts: starts, ends: ends, count: count)
        db.scan(bytes, scratch: scratch, context: UnsafeMutableRawPointer(collector.state), handler: cs_candidate_match)
        for p in collector.pairs { out.append(UInt64(spans[Int(p >> 24)]) << 24 | (p & 0xFFFFFF)) }
    }
}

/// One scanning thread's state: Hyperscan scratch per database, PCRE2 scratch, buffers and profile counters.
final class ScanWorker {
    let plans: PrefilterSet
    let rules: ConfirmingRules
    let raw: PlanScanner
    let shadows: [PlanScanner]
    let confirmScratch: AnyObject
    var profile: [RuleProfile]
    var prefilterNanos: UInt64 = 0
    var confirmNanos: UInt64 = 0
    let profiling: Bool
    var sideBuffer: [UInt8] = []
    /// The chunk's scannable texts copied, and their two skeletons (see `scanTexts`).
    let textBuffer = GrowableBuffer<UInt8>()
    /// Text bounds of the chunk being scanned (see `scanTexts`).
    private let textBounds = GrowableBuffer<Int64>()
    /// 1 for each scannable text of the chunk that holds KELVIN SIGN or LONG S (see `scanTexts`).
    private let foldedTexts = GrowableBuffer<UInt8>()
    /// Every rule with skeleton literals, sorted.
    private let skeletonRules: [UInt64]
    /// The last chunk's span array and scannable span indices, kept to be refilled (no fresh pages per chunk).
    var spanStorage: [MessageSpan] = []
    private var scannableStorage: [Int] = []
    /// With `--profile`: the buffers of this worker's first chunk, exactly as its databases scanned them.
    private(set) var sample: PrefilterSample?

    init(plans: PrefilterSet, rules: ConfirmingRules, profiling: Bool) {
        self.plans = plans; self.rules = rules; self.profiling = profiling
        raw = PlanScanner(plan: plans.raw, normaliser: nil, rules: rules.ruleCount)
        skeletonRules = Set(raw.skeletons.flatMap { plans.raw.skeletonIdToRule[$0.kind.rawValue] }).sorted().map { UInt64($0) }
        shadows = plans.shadows.map { PlanScanner(plan: $0.plan, normaliser: $0.normaliser, rules: rules.ruleCount) }
        confirmScratch = rules.makeConfirmScratch()
        profile = Array(repeating: RuleProfile(), count: rules.ruleCount)
    }

    /// Candidate (span index, rule) pairs for the scannable spans of one chunk, sorted, each pair once.
    func candidates(buffer: UnsafeRawBufferPointer, spans: [MessageSpan]) -> [UInt64] {
        let t0 = profiling ? DispatchTime.now().uptimeNanoseconds : 0
        var result: [UInt64] = []
        scannableStorage.removeAll(keepingCapacity: true)
        for i in spans.indices where spans[i].scannable { scannableStorage.append(i) }
        let scannable = scannableStorage
        let sampling = profiling && sample == nil && !scannable.isEmpty
        if sampling { sample = PrefilterSample() }
        if let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), !scannable.isEmpty,
           raw.hasDatabase || !raw.skeletons.isEmpty {
            scanTexts(base, spans: spans, scannable: scannable, sampling: sampling, into: &result)
        }
        for sh in shadows where sh.plan.database != nil {
            sideBuffer.removeAll(keepingCapacity: true)
            let normaliser = sh.normaliser!
            var second: [Int] = []   // texts with a second reading (`Normaliser.secondReading`)
            var (starts, ends) = joinedTexts(buffer: buffer, spans: spans, indices: scannable) { text, out, k in
                if self.rules.appendShadow(normaliser: normaliser, text: text, to: &out) { second.append(k) }
            }
            // Their second readings follow, as further texts of the same messages.
            var entrySpans = scannable
            if !second.isEmpty {
                let more = joinedTexts(buffer: buffer, spans: spans, indices: second) { text, out, _ in
                    self.rules.appendSecondReading(normaliser: normaliser, text: text, to: &out)
                }
                starts += more.starts; ends += more.ends
                entrySpans += second
            }
            // Shadow databases are built for text with whitespace runs collapsed (`CollapsedWhitespace`).
            let used = sideBuffer.withUnsafeMutableBufferPointer { b in
                cs_collapse_whitespace_texts(b.baseAddress!, b.count, &starts, &ends, starts.count)
            }
            sideBuffer.removeLast(sideBuffer.count - used)
            if sampling { sample?.shadows[sh.normaliser!] = sideBuffer }
            sideBuffer.withUnsafeBytes { bytes in
                starts.withUnsafeBufferPointer { st in
                    ends.withUnsafeBufferPointer { en in
                        entrySpans.withUnsafeBufferPointer { k in
                            sh.scan(bytes, starts: st.baseAddress!, ends: en.baseAddress!, spans: k.baseAddress!,
                                    count: entrySpans.count, into: &result)
                        }
                    }
                }
            }
        }
        for plan in [raw.plan] + shadows.map(\.plan) {
            for r in plan.alwaysRules { for k in scannable { result.append(UInt64(k) << 24 | UInt64(r)) } }
        }
        result.sort()
        var out: [UInt64] = []
        out.reserveCapacity(result.count)
        for p in result where out.last != p { out.append(p) }
        if profiling { prefilterNanos += DispatchTime.now().uptimeNanoseconds - t0 }
        return out
    }

    /// Copies the scannable texts into one buffer, each bounded by `\n` (so `\b` at their edges reads as at the
    /// edges of a message, and headers are not scanned), writes their skeletons (see `SkeletonKind`) beside it, and
    /// scans each buffer with its database.
    private func scanTexts(_ base: UnsafePointer<UInt8>, spans: [MessageSpan], scannable: [Int], sampling: Bool,
                           into result: inout [UInt64]) {
        let count = scannable.count
        var need = 1 + Int(CS_SKELETON_SLACK)
        // One Int64 buffer in eight parts: text starts and ends in the chunk, then in the copy and in each skeleton.
        textBounds.reserve(8 * count)
        let bounds = textBounds.pointer
        for (j, k) in scannable.enumerated() {
            let s = spans[k]
            need += s.textEnd - s.textStart + 1
            bounds[j] = Int64(s.textStart); bounds[count + j] = Int64(s.textEnd)
        }
        textBuffer.reserve(3 * need)
        // Copy, leet skeleton, plain skeleton.
        let dsts = [textBuffer.pointer, textBuffer.pointer + need, textBuffer.pointer + 2 * need]
        var used = [0, 0, 0]
        let kinds = raw.skeletons.map(\.kind)
        let outS = [bounds + 2 * count, bounds + 4 * count, bounds + 6 * count]
        let outE = [bounds + 3 * count, bounds + 5 * count, bounds + 7 * count]
        used[0] = cs_gather_texts(base, bounds, bounds + count, count, dsts[0], outS[0], outE[0])
        if !kinds.isEmpty {
            // Both skeletons in one pass over the copy, 64 bytes at a time across text edges.
            let tables: [UnsafePointer<UInt8>?] = kinds.map { UnsafePointer(SkeletonKind.tablePointers[$0.rawValue]) }
            let outs: [UnsafeMutablePointer<UInt8>?] = kinds.map { dsts[$0.rawValue + 1] }
            let starts: [UnsafeMutablePointer<Int64>?] = kinds.map { outS[$0.rawValue + 1] }
            let ends: [UnsafeMutablePointer<Int64>?] = kinds.map { outE[$0.rawValue + 1] }
            var lengths = [Int](repeating: 0, count: kinds.count)
            foldedTexts.reserve(count)
            cs_skeleton_gathered(dsts[0], used[0], outE[0], count, tables, kinds.count, outs, starts, ends, &lengths,
                                 foldedTexts.pointer)
            for (j, kind) in kinds.enumerated() { used[kind.rawValue + 1] = lengths[j] }
            // A text with KELVIN SIGN or LONG S is a candidate for every skeleton rule (`SkeletonExtractor.images`).
            let folded = foldedTexts.pointer
            if memchr(folded, 1, count) != nil {
                for j in 0..<count where folded[j] != 0 {
                    for r in skeletonRules { result.append(UInt64(scannable[j]) << 24 | r) }
                }
            }
        }
        if sampling {
            sample?.raw = Array(UnsafeBufferPointer(start: dsts[0], count: used[0]))
            for kind in kinds { sample?.skeletons[kind.rawValue] = Array(UnsafeBufferPointer(start: dsts[kind.rawValue + 1], count: used[kind.rawValue + 1])) }
        }
        let scanners = (raw.hasDatabase ? [(0, raw)] : []) + raw.skeletons.map { ($0.kind.rawValue + 1, $0.scanner) }
        scannable.withUnsafeBufferPointer { k in
            for (d, scanner) in scanners {
                scanner.scan(UnsafeRawBufferPointer(start: dsts[d], count: used[d]), starts: bounds + (2 + 2 * d) * count,
                             ends: bounds + (3 + 2 * d) * count, spans: k.baseAddress!, count: count, into: &result)
            }
        }
    }

    /// Appends to `sideBuffer` what `append` writes for each of the given texts (with its span index), each followed
    /// by `\n` (and a `\n` first when the buffer is empty); returns where each one starts and ends in it, in the order
    /// of `indices`.
    private func joinedTexts(buffer: UnsafeRawBufferPointer, spans: [MessageSpan], indices: [Int],
                             append: (UnsafeRawBufferPointer, inout [UInt8], Int) -> Void) -> (starts: [Int64], ends: [Int64]) {
        var starts: [Int64] = [], ends: [Int64] = []
        starts.reserveCapacity(indices.count); ends.reserveCapacity(indices.count)
        if sideBuffer.isEmpty { sideBuffer.append(0x0A) }
        for k in indices {
            let s = spans[k]
            let raw = UnsafeRawBufferPointer(rebasing: buffer[s.textStart..<s.textEnd])
            let st = sideBuffer.count
            append(raw, &sideBuffer, k)
            starts.append(Int64(st)); ends.append(Int64(sideBuffer.count))
            sideBuffer.append(0x0A)
        }
        return (starts, ends)
    }

    /// Confirms candidates with the rules' reference semantics; returns hits per span index, in rule order.
    func confirm(buffer: UnsafeRawBufferPointer, spans: [MessageSpan], pairs: [UInt64],
                 limitEvent: (Int, Int, String) -> Void) -> [(span: Int, matches: [(rule: Int, match: ConfirmedMatch)])] {
        var out: [(span: Int, matches: [(rule: Int, match: ConfirmedMatch)])] = []
        for p in pairs {
            let k = Int(p >> 24), rule = Int(p & 0xFFFFFF)
            let s = spans[k]
            let text = UnsafeRawBufferPointer(rebasing: buffer[s.textStart..<s.textEnd])
            let t0 = profiling ? DispatchTime.now().uptimeNanoseconds : 0
            let outcome = rules.confirm(rule: rule, text: text, scratch: confirmScratch)
            if profiling {
                let dt = DispatchTime.now().uptimeNanoseconds - t0
                confirmNanos += dt
                profile[rule].confirmNanos += dt
                profile[rule].candidates += 1
                profile[rule].hits += outcome.matches.count
                if !outcome.matches.isEmpty { profile[rule].hitMessages += 1 }
            }
            if let e = outcome.limitEvent { limitEvent(rule, k, e) }
            guard !outcome.matches.isEmpty else { continue }
            if out.last?.span != k { out.append((span: k, matches: [])) }
            out[out.count - 1].matches += outcome.matches.map { (rule: rule, match: $0) }
        }
        return out
    }
}

/// A reusable raw buffer of uninitialised trivial elements (no Swift array bookkeeping or zero-filling in hot
/// loops). First touching fresh memory costs a page fault per 4 KiB page, which is a large part of a small scan's
/// time on a VM, so the buffer grows with headroom (the similar-sized chunks of a file rarely need a new one) and,
/// from 256 KiB up, lives in memory advised for 2 MiB transparent huge pages (`cs_huge_alloc`).
final class GrowableBuffer<Element: BitwiseCopyable> {
    private(set) var pointer: UnsafeMutablePointer<Element>
    private(set) var capacity: Int
    /// Length of the `cs_huge_alloc` mapping, 0 when `pointer` came from `allocate`.
    private var mapped = 0
    static var hugeThreshold: Int { 256 << 10 }

    init() { capacity = 1 << 12; pointer = .allocate(capacity: capacity) }
    deinit { release() }

    /// Makes room for `n` elements; the contents are not kept.
    func reserve(_ n: Int) {
        guard n > capacity else { return }
        release()
        capacity = max(n + n / 4, capacity * 2)
        let bytes = capacity * MemoryLayout<Element>.stride
        var len = 0
        if bytes >= Self.hugeThreshold, let p = cs_huge_alloc(bytes, &len) {
            mapped = len
            capacity = len / MemoryLayout<Element>.stride
            pointer = p.bindMemory(to: Element.self, capacity: capacity)
        } else {
            mapped = 0
            pointer = .allocate(capacity: capacity)
        }
    }

    private func release() {
        if mapped > 0 { cs_mapped_free(pointer, mapped) } else { pointer.deallocate() }
    }
}
