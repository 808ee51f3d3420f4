import CHyperscan
import ChatModel
import Foundation

/// Collects Hyperscan matches as (message slot, rule) candidate pairs. Used only through the C callback.
final class CandidateCollector {
    var starts: UnsafeMutablePointer<Int32>
    var ends: UnsafeMutablePointer<Int32>
    var count = 0
    var capacity: Int
    var cursor = 0
    var idToRule: UnsafePointer<Int32>
    var lastSeen: UnsafeMutablePointer<Int32>
    var pairs: [UInt64] = []

    init(idToRule: UnsafePointer<Int32>, rules: Int) {
        capacity = 1024
        starts = .allocate(capacity: capacity); ends = .allocate(capacity: capacity)
        self.idToRule = idToRule
        lastSeen = .allocate(capacity: max(rules, 1))
    }
    deinit { starts.deallocate(); ends.deallocate(); lastSeen.deallocate() }

    func reset(rules: Int) {
        count = 0; cursor = 0; pairs.removeAll(keepingCapacity: true)
        lastSeen.initialize(repeating: -1, count: max(rules, 1))
    }

    func append(start: Int32, end: Int32) {
        if count == capacity {
            let n = capacity * 2
            let s = UnsafeMutablePointer<Int32>.allocate(capacity: n), e = UnsafeMutablePointer<Int32>.allocate(capacity: n)
            s.update(from: starts, count: count); e.update(from: ends, count: count)
            starts.deallocate(); ends.deallocate(); starts = s; ends = e; capacity = n
        }
        starts[count] = start; ends[count] = end; count += 1
    }

    /// Maps a match end offset to the message whose text contains the last matched byte.
    @inline(__always) func add(id: UInt32, to: Int32) {
        var m = cursor
        if !(m < count && starts[m] < to && to <= ends[m]) {
            var lo = 0, hi = count
            while lo < hi { let mid = (lo + hi) >> 1; if ends[mid] < to { lo = mid + 1 } else { hi = mid } }
            guard lo < count, starts[lo] < to else { return }
            m = lo; cursor = lo
        }
        let rule = Int(idToRule[Int(id)])
        if lastSeen[rule] == Int32(m) { return }
        lastSeen[rule] = Int32(m)
        pairs.append(UInt64(m) << 24 | UInt64(rule))
    }
}

let candidateHandler: match_event_handler = { id, _, to, _, ctx in
    Unmanaged<CandidateCollector>.fromOpaque(ctx!).takeUnretainedValue().add(id: id, to: Int32(truncatingIfNeeded: to))
    return 0
}

/// Per-rule counters for `--profile`.
public struct RuleProfile: Sendable {
    public var candidates = 0
    public var hits = 0
    public var hitMessages = 0
    public var confirmNanos: UInt64 = 0
    public init() {}
}

/// One scanning thread's state: Hyperscan scratch, PCRE2 scratch, candidate buffers and profile counters.
final class ScanWorker {
    let plan: PrefilterPlan
    let rules: ConfirmingRules
    let hsScratch: HyperscanScratch?
    let confirmScratch: AnyObject
    let collector: CandidateCollector
    let idToRule: UnsafeMutablePointer<Int32>
    var profile: [RuleProfile]
    var prefilterNanos: UInt64 = 0
    var confirmNanos: UInt64 = 0
    let profiling: Bool
    var sideBuffer: [UInt8] = []

    init(plan: PrefilterPlan, rules: ConfirmingRules, profiling: Bool) {
        self.plan = plan; self.rules = rules; self.profiling = profiling
        hsScratch = plan.database?.makeScratch()
        confirmScratch = rules.makeConfirmScratch()
        idToRule = .allocate(capacity: max(plan.idToRule.count, 1))
        if !plan.idToRule.isEmpty { idToRule.update(from: plan.idToRule, count: plan.idToRule.count) }
        collector = CandidateCollector(idToRule: idToRule, rules: rules.ruleCount)
        profile = Array(repeating: RuleProfile(), count: rules.ruleCount)
    }
    deinit { idToRule.deallocate() }

    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95
    }

    /// Candidate (span index, rule) pairs for the scannable spans of one chunk, sorted, each pair once.
    func candidates(buffer: UnsafeRawBufferPointer, spans: [MessageSpan]) -> [UInt64] {
        let t0 = profiling ? DispatchTime.now().uptimeNanoseconds : 0
        collector.reset(rules: rules.ruleCount)
        var slots: [Int32] = []
        var irregular: [Int] = []
        var result: [UInt64] = []
        if let db = plan.database, let scratch = hsScratch {
            var lo = Int.max, hi = 0
            for s in spans where s.scannable && s.textEnd > s.textStart { lo = min(lo, s.textStart); hi = max(hi, s.textEnd) }
            if lo < hi {
                // Texts whose neighbouring bytes are word characters would change \b at their edges: scan copies.
                for (k, s) in spans.enumerated() where s.scannable && s.textEnd > s.textStart {
                    if (s.textStart > lo && ScanWorker.isWordByte(buffer[s.textStart - 1]))
                        || (s.textEnd < hi && ScanWorker.isWordByte(buffer[s.textEnd])) { irregular.append(k); continue }
                    collector.append(start: Int32(s.textStart - lo), end: Int32(s.textEnd - lo))
                    slots.append(Int32(k))
                }
                let ctx = Unmanaged.passUnretained(collector).toOpaque()
                db.scan(UnsafeRawBufferPointer(rebasing: buffer[lo..<hi]), scratch: scratch, context: ctx, handler: candidateHandler)
                for p in collector.pairs { result.append(UInt64(slots[Int(p >> 24)]) << 24 | (p & 0xFFFFFF)) }
                if !irregular.isEmpty { result += scanSide(buffer: buffer, spans: spans, indices: irregular, db: db, scratch: scratch) }
            }
        }
        for r in plan.alwaysRules {
            for (k, s) in spans.enumerated() where s.scannable { result.append(UInt64(k) << 24 | UInt64(r)) }
        }
        result.sort()
        var out: [UInt64] = []
        out.reserveCapacity(result.count)
        for p in result where out.last != p { out.append(p) }
        if profiling { prefilterNanos += DispatchTime.now().uptimeNanoseconds - t0 }
        return out
    }

    /// Scans copies of the given texts, each surrounded by `\n`, and returns their candidate pairs.
    private func scanSide(buffer: UnsafeRawBufferPointer, spans: [MessageSpan], indices: [Int], db: HyperscanDatabase,
                          scratch: HyperscanScratch) -> [UInt64] {
        collector.reset(rules: rules.ruleCount)
        sideBuffer.removeAll(keepingCapacity: true)
        sideBuffer.append(0x0A)
        for k in indices {
            let s = spans[k]
            let st = sideBuffer.count
            sideBuffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[s.textStart..<s.textEnd]))
            collector.append(start: Int32(st), end: Int32(sideBuffer.count))
            sideBuffer.append(0x0A)
        }
        let ctx = Unmanaged.passUnretained(collector).toOpaque()
        sideBuffer.withUnsafeBytes { db.scan($0, scratch: scratch, context: ctx, handler: candidateHandler) }
        return collector.pairs.map { UInt64(indices[Int($0 >> 24)]) << 24 | ($0 & 0xFFFFFF) }
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
