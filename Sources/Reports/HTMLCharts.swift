import ChatModel
import Foundation

/// Inline SVG charts for the HTML report (no scripts, no external resources).
enum HTMLCharts {
    /// Colour-blind-friendly categorical palette (Tableau 10), assigned to categories in sorted order.
    static let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                          "#9c755f", "#bab0ac"]
    static let severityColour: [Severity: String] = [.critical: "#a50026", .high: "#e8590c", .medium: "#f2a93b",
                                                     .low: "#5aa9d6", .info: "#9aa0a6"]

    static func categoryColours(_ categories: [String]) -> [String: String] {
        var m: [String: String] = [:]
        for (i, c) in categories.enumerated() { m[c] = palette[i % palette.count] }
        return m
    }

    /// Horizontal stacked bars: hits per sender (top `limit` by severity score), one segment per category.
    static func categoriesBySender(_ s: ReportSummary, limit: Int = 15) -> String {
        let senders = s.senders.filter { $0.hits > 0 }.prefix(limit)
        guard !senders.isEmpty else { return "<p>No hits.</p>" }
        let cats = s.categories
        let colours = categoryColours(cats)
        let maxHits = max(1, senders.map(\.hits).max() ?? 1)
        let labelW = 170.0, barW = 470.0, rowH = 24.0, top = 10.0
        let legendRows = Int((Double(cats.count) / 3).rounded(.up))
        let height = top + Double(senders.count) * rowH + 16 + Double(legendRows) * 18 + 8
        var svg = "<svg viewBox=\"0 0 700 \(Int(height))\" width=\"700\" height=\"\(Int(height))\" role=\"img\" aria-label=\"Hits by category per sender\" font-family=\"DejaVu Sans, sans-serif\" font-size=\"12\">"
        for (i, g) in senders.enumerated() {
            let y = top + Double(i) * rowH
            svg += "<text x=\"\(fmt(labelW - 6))\" y=\"\(fmt(y + 15))\" text-anchor=\"end\">\(HTML.esc(HTML.short(g.sender ?? "", 24)))</text>"
            var x = labelW
            for c in cats {
                guard let n = g.byCategory[c]?.hits, n > 0 else { continue }
                let w = barW * Double(n) / Double(maxHits)
                svg += "<rect x=\"\(fmt(x))\" y=\"\(fmt(y + 3))\" width=\"\(fmt(w))\" height=\"\(fmt(rowH - 7))\" fill=\"\(colours[c]!)\"><title>\(HTML.esc(g.sender ?? "")): \(HTML.esc(c)) \(n)</title></rect>"
                x += w
            }
            svg += "<text x=\"\(fmt(x + 5))\" y=\"\(fmt(y + 15))\" fill=\"#5b6475\">\(g.hits)</text>"
        }
        let ly = top + Double(senders.count) * rowH + 16
        for (i, c) in cats.enumerated() {
            let x = labelW + Double(i % 3) * 170, y = ly + Double(i / 3) * 18
            svg += "<rect x=\"\(fmt(x))\" y=\"\(fmt(y - 10))\" width=\"12\" height=\"12\" fill=\"\(colours[c]!)\"/>"
            svg += "<text x=\"\(fmt(x + 17))\" y=\"\(fmt(y))\">\(HTML.esc(HTML.short(c, 22)))</text>"
        }
        return svg + "</svg>"
    }

    /// Vertical stacked bars: hits per week or month over the whole run, one segment per severity.
    static func timeline(_ s: ReportSummary) -> String {
        let periods = s.timelinePeriods
        guard !periods.isEmpty else { return "<p>No dated hits.</p>" }
        let totals = periods.map { p in s.timelineBySeverity[p]?.values.reduce(0, +) ?? 0 }
        let maxV = max(1, totals.max() ?? 1)
        let left = 40.0, plotW = 620.0, plotH = 200.0, top = 12.0
        let slot = plotW / Double(periods.count)
        let barW = max(1, min(36, slot * 0.8))
        let height = top + plotH + 64
        var svg = "<svg viewBox=\"0 0 700 \(Int(height))\" width=\"700\" height=\"\(Int(height))\" role=\"img\" aria-label=\"Hits per \(s.timelineGranularity)\" font-family=\"DejaVu Sans, sans-serif\" font-size=\"11\">"
        for t in [0, maxV / 2, maxV] where t > 0 || maxV > 0 {
            let y = top + plotH - plotH * Double(t) / Double(maxV)
            svg += "<line x1=\"\(fmt(left))\" x2=\"\(fmt(left + plotW))\" y1=\"\(fmt(y))\" y2=\"\(fmt(y))\" stroke=\"#d9dde5\"/>"
            svg += "<text x=\"\(fmt(left - 4))\" y=\"\(fmt(y + 4))\" text-anchor=\"end\" fill=\"#5b6475\">\(t)</text>"
        }
        let labelEvery = max(1, Int((Double(periods.count) / 12).rounded(.up)))
        for (i, p) in periods.enumerated() {
            let x = left + Double(i) * slot + (slot - barW) / 2
            var y = top + plotH
            for v in Severity.allCases {
                guard let n = s.timelineBySeverity[p]?[v], n > 0 else { continue }
                let h = plotH * Double(n) / Double(maxV)
                y -= h
                svg += "<rect x=\"\(fmt(x))\" y=\"\(fmt(y))\" width=\"\(fmt(barW))\" height=\"\(fmt(h))\" fill=\"\(severityColour[v]!)\"><title>\(HTML.esc(p)): \(n) \(v.rawValue)</title></rect>"
            }
            if i % labelEvery == 0 {
                let lx = left + Double(i) * slot + slot / 2
                svg += "<text x=\"\(fmt(lx))\" y=\"\(fmt(top + plotH + 14))\" text-anchor=\"middle\" fill=\"#5b6475\">\(HTML.esc(p))</text>"
            }
        }
        var lx = left
        for v in Severity.allCases.reversed() {
            svg += "<rect x=\"\(fmt(lx))\" y=\"\(fmt(top + plotH + 30))\" width=\"12\" height=\"12\" fill=\"\(severityColour[v]!)\"/>"
            svg += "<text x=\"\(fmt(lx + 16))\" y=\"\(fmt(top + plotH + 40))\">\(v.rawValue)</text>"
            lx += 90
        }
        return svg + "</svg>"
    }

    /// A small bar sparkline of one group's hits over the run's periods (same x axis for every row).
    static func sparkline(_ g: GroupStats, periods: [String]) -> String {
        guard !periods.isEmpty, g.hits > 0 else { return "" }
        let maxV = max(1, g.timeline.values.max() ?? 1)
        let w = 90.0, h = 22.0, slot = w / Double(periods.count)
        var svg = "<svg class=\"spark\" viewBox=\"0 0 90 22\" width=\"90\" height=\"22\" role=\"img\" aria-label=\"hits over time\">"
        svg += "<line x1=\"0\" x2=\"90\" y1=\"21.5\" y2=\"21.5\" stroke=\"#d9dde5\"/>"
        for (i, p) in periods.enumerated() {
            guard let n = g.timeline[p], n > 0 else { continue }
            let bh = max(2, (h - 1) * Double(n) / Double(maxV))
            svg += "<rect x=\"\(fmt(Double(i) * slot))\" y=\"\(fmt(h - 0.5 - bh))\" width=\"\(fmt(max(1, slot * 0.8)))\" height=\"\(fmt(bh))\" fill=\"#4e79a7\"><title>\(HTML.esc(p)): \(n)</title></rect>"
        }
        return svg + "</svg>"
    }

    static func fmt(_ d: Double) -> String { String(format: "%.1f", d) }
}
