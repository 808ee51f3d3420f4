import Foundation

/// Formats `--profile` output: per-rule confirm time, candidates, confirmations, hits, pass rate and route;
/// the slowest inputs; and run totals.
public enum ProfileReport {
    public static func render(report: ScanReport, rules: ConfirmingRules, plan: PrefilterSet, top: Int = 40) -> String {
        var out = "profile: per rule (slowest confirm first)\n"
        out += pad("rule", 28) + lpad("confirm ms", 11) + lpad("candidates", 11) + lpad("confirmed", 10)
            + lpad("hits", 8) + lpad("pass %", 8) + "  route\n"
        let routes = plan.routesByRule(ruleCount: rules.ruleCount)
        let order = report.ruleProfiles.indices.sorted {
            let a = report.ruleProfiles[$0], b = report.ruleProfiles[$1]
            return a.confirmNanos != b.confirmNanos ? a.confirmNanos > b.confirmNanos : $0 < $1
        }
        let messages = max(1, report.totals.messages)
        for i in order.prefix(top) {
            let p = report.ruleProfiles[i]
            let pass = 100.0 * Double(p.candidates) / Double(messages)
            out += pad(rules.meta(i).id, 28) + lpad(String(format: "%.1f", Double(p.confirmNanos) / 1e6), 11)
                + lpad("\(p.candidates)", 11) + lpad("\(p.hitMessages)", 10) + lpad("\(p.hits)", 8)
                + lpad(String(format: "%.3f", pass), 8) + "  " + routes[i] + "\n"
        }
        if order.count > top { out += "  ... \(order.count - top) more rules\n" }
        out += prefilterCostSection(report: report, rules: rules, routes: routes, top: min(top, 15))
        out += "profile: slowest inputs\n"
        for f in report.inputSeconds.prefix(5) {
            out += String(format: "  %8.3f s  %10.1f MB  ", f.seconds, Double(f.bytes) / 1e6) + f.path + "\n"
        }
        let secs = max(report.totals.elapsedSeconds, 1e-9)
        out += String(format: "profile: %.1f MB/s, %.0f messages/s; prefilter %.3f s, confirm %.3f s (worker time)\n",
                      Double(report.totals.bytes) / 1e6 / secs, Double(report.totals.messages) / secs,
                      report.prefilterSeconds, report.confirmSeconds)
        let mem = MemoryStats.current()
        out += String(format: "profile: memory: peak anonymous %.1f MiB (sampled between chunks), now anonymous %.1f MiB + file-backed %.1f MiB, peak RSS %.1f MiB\n",
                      Double(report.peakAnonymousBytes) / 1048576, Double(mem.anonymous) / 1048576, Double(mem.file) / 1048576,
                      Double(mem.peakTotal) / 1048576)
        var counts: [String: Int] = [:]
        for r in plan.allRoutes { counts[String(r.description.prefix { $0 != "(" }).trimmingCharacters(in: .whitespaces), default: 0] += 1 }
        out += "profile: pattern routes " + counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            + (plan.fromCache ? " (database from cache)" : " (database compiled)")
            + (plan.shadows.contains { $0.plan.text == .shadowQuickCompile } ? "; shadow databases in the quick-compile form" : "") + "\n"
        out += "profile: kernels: skeleton writer \(SkeletonKind.writerDescription); Hyperscan \(HyperscanDatabase.libraryVersion)\n"
        return out
    }

    /// The rules whose prefilter expressions cost most when run alone over one chunk's buffers (`PrefilterCost`).
    static func prefilterCostSection(report: ScanReport, rules: ConfirmingRules, routes: [String], top: Int) -> String {
        let cost = report.prefilterCostNanos
        guard !cost.isEmpty, cost.contains(where: { $0 > 0 }) else { return "" }
        let total = cost.reduce(0, +)
        var out = String(format: "profile: slowest rules in the prefilter (each rule's expressions alone over the first chunk's %.1f MB of texts, skeletons and shadows)\n",
                         Double(report.prefilterSampleBytes) / 1e6)
        out += pad("rule", 28) + lpad("alone ms", 11) + lpad("share %", 9) + "  route\n"
        let order = cost.indices.filter { cost[$0] > 0 }.sorted { cost[$0] != cost[$1] ? cost[$0] > cost[$1] : $0 < $1 }
        for i in order.prefix(top) {
            out += pad(rules.meta(i).id, 28) + lpad(String(format: "%.2f", Double(cost[i]) / 1e6), 11)
                + lpad(String(format: "%.1f", 100 * Double(cost[i]) / Double(max(1, total))), 9) + "  " + routes[i] + "\n"
        }
        if order.count > top { out += "  ... \(order.count - top) more rules\n" }
        return out
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? String(s.prefix(n - 1)) + " " : s + String(repeating: " ", count: n - s.count) }
    static func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
}
