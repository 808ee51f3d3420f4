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

    /// Builds (or loads from the cache directory) every database for `specs`; `willCompile` is called before each
    /// plan that has to be compiled (not in the cache).
    public static func build(specs: [PrefilterSpec], cacheDirectory: URL?, willCompile: (() -> Void)? = nil) throws -> PrefilterSet {
        let norms = Set(specs.compactMap(\.normaliser)).sorted()
        // Group 0: raw-text specs (with skeleton routes); then one group per normaliser, for its shadow text (scanned
        // with whitespace runs collapsed to one space).
        let groups = [specs.indices.filter { specs[$0].normaliser == nil }]
            + norms.map { n in specs.indices.filter { specs[$0].normaliser == n } }
        // One plan after another: each build spreads its own work over the cores (a dispatch_apply inside another
        // one runs serially).
        let plans = try groups.enumerated().map { g, idx in
            try PrefilterPlan.build(specs: idx.map { specs[$0] }, cacheDirectory: cacheDirectory, text: text(ofGroup: g),
                                    willCompile: willCompile)
        }
        let shadows = zip(norms, plans.dropFirst()).map { (normaliser: $0, plan: $1) }
        return PrefilterSet(raw: plans[0], shadows: shadows, groupSpecs: groups, specs: specs)
    }

    /// The text the plan of spec group `g` scans: group 0 is raw text, the others shadow texts.
    static func text(ofGroup g: Int) -> PrefilterText { g == 0 ? .raw : .shadow }

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
