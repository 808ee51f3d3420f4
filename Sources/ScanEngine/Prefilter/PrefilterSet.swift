import Foundation

/// All prefilter databases of a rule set: one for the patterns that run on raw text, and one per normaliser for
/// the patterns that run on normalised shadow text.
public final class PrefilterSet: @unchecked Sendable {
    public let raw: PrefilterPlan
    public let shadows: [(normaliser: Int, plan: PrefilterPlan)]
    /// Spec indices per group, in the order the group's plan saw them (raw first, then each shadow group).
    let groupSpecs: [[Int]]
    let specs: [PrefilterSpec]

    init(raw: PrefilterPlan, shadows: [(normaliser: Int, plan: PrefilterPlan)], groupSpecs: [[Int]], specs: [PrefilterSpec]) {
        self.raw = raw; self.shadows = shadows; self.groupSpecs = groupSpecs; self.specs = specs
    }

    /// Total input size below which a shadow plan that is not cached is compiled in its quick form
    /// (`PrefilterText.shadowQuickCompile`). For the shipped packs the full form takes about 9 s more to compile
    /// (13 s instead of 4 s) and scans about 6 % faster (0.08 s per 100 MB): a single run repays it only beyond
    /// about 10 GB, and even a cached full plan takes some ten scans of 1 GB to repay it. So only scans of at least
    /// 1 GiB, which take 15 s and more, build the full form; a cached full plan is used whatever the size.
    public static let quickCompileInputLimit = 1 << 30

    /// Builds (or loads from the cache directory) every database for `specs`; `willCompile` is called before each
    /// plan that has to be compiled (not in the cache). `quickCompile` is asked, at most once and only when a shadow
    /// plan's full form is not cached, whether to build the quick form instead (see `quickCompileInputLimit`).
    public static func build(specs: [PrefilterSpec], cacheDirectory: URL?, quickCompile: () -> Bool = { false },
                             willCompile: (() -> Void)? = nil) throws -> PrefilterSet {
        let norms = Set(specs.compactMap(\.normaliser)).sorted()
        // Group 0: raw-text specs (with skeleton routes); then one group per normaliser, for its shadow text (scanned
        // with whitespace runs collapsed to one space).
        let groups = [specs.indices.filter { specs[$0].normaliser == nil }]
            + norms.map { n in specs.indices.filter { specs[$0].normaliser == n } }
        var quick: Bool? = nil
        // One plan after another: each build spreads its own work over the cores (a dispatch_apply inside another
        // one runs serially).
        let plans = try groups.enumerated().map { g, idx -> PrefilterPlan in
            let groupSpecs = idx.map { specs[$0] }
            // Group 0 scans raw text, the others shadow texts (in the full form unless `quickCompile` says otherwise).
            var text = g == 0 ? PrefilterText.raw : .shadow
            if text == .shadow {
                if let full = PrefilterPlan.cached(specs: groupSpecs, cacheDirectory: cacheDirectory, text: .shadow) { return full }
                if quick == nil { quick = quickCompile() }
                if quick == true { text = .shadowQuickCompile }
            }
            return try PrefilterPlan.build(specs: groupSpecs, cacheDirectory: cacheDirectory, text: text, willCompile: willCompile)
        }
        let shadows = zip(norms, plans.dropFirst()).map { (normaliser: $0, plan: $1) }
        return PrefilterSet(raw: plans[0], shadows: shadows, groupSpecs: groups, specs: specs)
    }

    /// Route of every spec, in spec order.
    public var allRoutes: [PrefilterRoute] {
        var out = [PrefilterRoute](repeating: .exact, count: specs.count)
        let plans = [raw] + shadows.map(\.plan)
        for (g, idx) in groupSpecs.enumerated() { for (k, s) in idx.enumerated() { out[s] = plans[g].routes[k] } }
        return out
    }

    /// Routes of each rule's patterns, joined, for `--profile`.
    public func routesByRule(ruleCount: Int) -> [String] {
        var out = [[String]](repeating: [], count: ruleCount)
        for (i, r) in allRoutes.enumerated() {
            let s = specs[i]
            out[s.rule].append((s.normaliser != nil ? "shadow:" : "") + r.description)
        }
        return out.map { $0.joined(separator: ", ") }
    }

    /// True when every database came from the on-disk cache.
    public var fromCache: Bool { ([raw] + shadows.map(\.plan)).allSatisfy { $0.fromCache || $0.database == nil } }
}
