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

    /// Builds (or loads from the cache directory) every database for `specs`.
    public static func build(specs: [PrefilterSpec], cacheDirectory: URL?) throws -> PrefilterSet {
        let rawIdx = specs.indices.filter { specs[$0].normaliser == nil }
        let norms = Set(specs.compactMap(\.normaliser)).sorted()
        let raw = try PrefilterPlan.build(specs: rawIdx.map { specs[$0] }, cacheDirectory: cacheDirectory)
        var shadows: [(normaliser: Int, plan: PrefilterPlan)] = []
        var groups = [rawIdx]
        for n in norms {
            let idx = specs.indices.filter { specs[$0].normaliser == n }
            groups.append(idx)
            shadows.append((normaliser: n, plan: try PrefilterPlan.build(specs: idx.map { specs[$0] }, cacheDirectory: cacheDirectory,
                                                                        allowSkeleton: false)))
        }
        return PrefilterSet(raw: raw, shadows: shadows, groupSpecs: groups, specs: specs)
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
