import Foundation
import RuleKit

/// The buffers one chunk's prefilter pass scanned (`--profile` keeps the first chunk's): the gathered texts, their
/// skeletons by `SkeletonKind.rawValue`, and the shadow text of each normaliser.
struct PrefilterSample: Sendable {
    var raw: [UInt8] = []
    var skeletons: [[UInt8]] = SkeletonKind.allCases.map { _ in [] }
    var shadows: [Int: [UInt8]] = [:]

    /// Bytes of text the databases read, all buffers together.
    var bytes: Int { raw.count + skeletons.reduce(0) { $0 + $1.count } + shadows.values.reduce(0) { $0 + $1.count } }
}

/// What each rule costs the prefilter. One Hyperscan pass serves every rule, so its time cannot be split by rule;
/// instead each rule's expressions are compiled into databases of their own and run over the sample's buffers (the
/// same expressions and buffers the scan used). The figures rank rules ("which patterns make this pack slow"); they
/// do not add up to the shared pass, which is usually faster than the sum.
enum PrefilterCost {
    /// Nanoseconds per rule (0 for rules with no Hyperscan expression), the fastest of `repeats` runs per database.
    static func perRule(plan: PrefilterSet, sample: PrefilterSample, ruleCount: Int, repeats: Int = 3) -> [UInt64] {
        var jobs: [(rule: Int, exprs: [HyperscanExpression], buffer: [UInt8])] = []
        for (g, idx) in plan.groupSpecs.enumerated() {
            let specs = idx.map { plan.specs[$0] }
            guard !specs.isEmpty else { continue }
            // The expressions the scan's databases were built from: the unchecked derivation when its routes are the
            // plan's (as `PrefilterPlan.build` found), else the checked one.
            let groupPlan = g == 0 ? plan.raw : plan.shadows[g - 1].plan
            let routes = groupPlan.routes, text = groupPlan.text
            var derived = PrefilterPlan.derive(specs, text: text, checked: false)
            if derived.0.routes != routes { derived = PrefilterPlan.derive(specs, text: text, checked: true) }
            let (stored, exprs, skeletonExprs) = derived
            let buffer = g == 0 ? sample.raw : (sample.shadows[plan.shadows[g - 1].normaliser] ?? [])
            jobs += grouped(exprs, rules: stored.idToRule, buffer: buffer)
            for (k, es) in skeletonExprs.enumerated() where !es.isEmpty {
                jobs += grouped(es, rules: stored.skeletonIdToRule[k], buffer: sample.skeletons[k])
            }
        }
        // Compiling is the slow part and does not disturb the timing: all cores; the runs then go one at a time.
        let databases = Parallel.map(jobs) { try? HyperscanDatabase.compile($0.exprs) }
        var out = [UInt64](repeating: 0, count: ruleCount)
        for (job, db) in zip(jobs, databases) {
            guard let db, !job.buffer.isEmpty, job.rule < ruleCount else { continue }
            out[job.rule] += time(db, job.buffer, repeats: repeats)
        }
        return out
    }

    /// The expressions of each rule, renumbered from 0, with the buffer they run on.
    private static func grouped(_ exprs: [HyperscanExpression], rules: [Int32], buffer: [UInt8])
        -> [(rule: Int, exprs: [HyperscanExpression], buffer: [UInt8])] {
        var byRule: [Int: [HyperscanExpression]] = [:]
        for e in exprs {
            var copy = e
            let rule = Int(rules[Int(e.id)])
            copy.id = UInt32(byRule[rule]?.count ?? 0)
            byRule[rule, default: []].append(copy)
        }
        return byRule.keys.sorted().map { (rule: $0, exprs: byRule[$0]!, buffer: buffer) }
    }

    private static func time(_ db: HyperscanDatabase, _ buffer: [UInt8], repeats: Int) -> UInt64 {
        let scratch = db.makeScratch()
        var best = UInt64.max
        buffer.withUnsafeBytes { b in
            for _ in 0..<max(1, repeats) {
                let t = DispatchTime.now().uptimeNanoseconds
                db.scan(b, scratch: scratch, context: UnsafeMutableRawPointer(bitPattern: 1)!) { _, _, _, _, _ in 0 }
                best = min(best, DispatchTime.now().uptimeNanoseconds - t)
            }
        }
        return best
    }
}
