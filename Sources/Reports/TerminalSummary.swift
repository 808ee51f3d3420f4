import ChatModel
import Foundation

/// The plain-text summary printed after a scan: totals, then tables per sender, per chat and per rule, and the
/// endorsement signals. ANSI colour only on a terminal (never when piped or when `NO_COLOR` is set).
public enum TerminalSummary {
    /// True when `fd` is a terminal and neither `NO_COLOR` (non-empty) nor `TERM=dumb` is set.
    public static func shouldColour(fd: Int32, environment: [String: String] = colourVariables()) -> Bool {
        colour(isTerminal: isatty(fd) == 1, environment: environment)
    }

    /// `NO_COLOR` and `TERM` from the environment (not ProcessInfo's dictionary of every variable, which costs more
    /// than the rest of the decision).
    public static func colourVariables() -> [String: String] {
        var out: [String: String] = [:]
        for name in ["NO_COLOR", "TERM"] { out[name] = ProcessEnvironment.value(name) }
        return out
    }

    /// The colour decision itself: terminals get colour unless `NO_COLOR` or `TERM=dumb` says otherwise.
    public static func colour(isTerminal: Bool, environment: [String: String]) -> Bool {
        if let v = environment["NO_COLOR"], !v.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return isTerminal
    }

    public static func render(_ s: ReportSummary, colour: Bool, maxRows: Int = 25) -> String {
        let st = Style(on: colour)
        var out = ""
        let t = s.totals
        out += st.bold("ChatSieve scan") + ": \(t.sources.count) input(s), \(t.messages) messages, "
        out += "\(s.overall.hits) hit(s) in \(s.overall.hitMessages) message(s)"
        if t.unparsedLines > 0 { out += ", \(t.unparsedLines) unparsed line(s)" }
        if !t.issues.isEmpty || !t.skipped.isEmpty { out += ", \(t.issues.count + t.skipped.count) issue(s)" }
        out += "\n"
        if s.overall.hits > 0 {
            let sev = Severity.allCases.reversed().compactMap { v -> String? in
                guard let c = s.overall.bySeverity[v] else { return nil }
                return st.severity(v, "\(v.rawValue) \(c.hits)")
            }
            out += "By severity: " + sev.joined(separator: ", ") + "\n"
        }
        let endorsed = s.endorsementsBySender

        func groupRows(_ groups: [GroupStats], label: (GroupStats) -> String, withEndorsements: Bool) -> [[Cell]] {
            groups.prefix(maxRows).map { g in
                var row: [Cell] = [Cell(label(g)), Cell(String(g.messages), right: true), Cell(String(g.hitMessages), right: true),
                                   Cell(g.rate.map { DecimalText.fixed($0 * 100, digits: 1) + "%" } ?? "-", right: true),
                                   Cell(String(g.hits), right: true)]
                for v in [Severity.critical, .high, .medium] {
                    let n = g.bySeverity[v]?.hits ?? 0
                    row.append(Cell(String(n), right: true, style: n > 0 ? { st.severity(v, $0) } : nil))
                }
                row.append(Cell(g.topCategories(2).map { "\($0.category) \($0.counts.hits)" }.joined(separator: ", ")))
                if withEndorsements { row.append(Cell(String(endorsed[g.sender ?? ""] ?? 0), right: true)) }
                return row
            }
        }
        let base = ["Msgs", "Hit msgs", "Rate", "Hits", "Crit", "High", "Med", "Top categories"]
        out += "\n" + st.bold("Per sender") + "\n"
        out += table(header: ["Sender"] + base + ["Endorsed"],
                     rows: groupRows(s.senders, label: { $0.sender ?? "" }, withEndorsements: true), st: st)
        if s.senders.count > maxRows { out += "  ... \(s.senders.count - maxRows) more sender(s) in the HTML/CSV reports\n" }
        out += "\n" + st.bold("Per chat") + "\n"
        out += table(header: ["Chat"] + base, rows: groupRows(s.chats, label: { $0.chat ?? "" }, withEndorsements: false), st: st)
        if s.chats.count > maxRows { out += "  ... \(s.chats.count - maxRows) more chat(s)\n" }
        if !s.rules.isEmpty {
            out += "\n" + st.bold("Top rules") + "\n"
            let rows = s.rules.prefix(10).map { r in
                [Cell(r.rule), Cell(r.category), Cell(r.severity.rawValue, style: { st.severity(r.severity, $0) }),
                 Cell(String(r.hits), right: true), Cell(String(r.messages), right: true), Cell(String(r.uniqueMessages), right: true)]
            }
            out += table(header: ["Rule", "Category", "Severity", "Hits", "Msgs", "Unique"], rows: rows, st: st)
        }
        if !s.endorsements.isEmpty {
            out += "\n" + st.bold("Endorsements") + " (replies laughing at or applauding a high/critical hit; not counted as hits)\n"
            let rows = s.endorsements.prefix(maxRows).map { e in
                [Cell(e.endorser), Cell(e.replyText.replacingOccurrences(of: "\n", with: " ")),
                 Cell(e.endorsedSender + (e.sameSender ? " (self)" : "")), Cell(e.rules.joined(separator: ",")),
                 Cell(e.severity.rawValue, style: { st.severity(e.severity, $0) }), Cell(e.chat)]
            }
            out += table(header: ["Endorser", "Reply", "Endorsed sender", "Rules", "Severity", "Chat"], rows: rows, st: st)
        }
        return out
    }

    struct Cell {
        var text: String
        var right = false
        var style: ((String) -> String)?
        init(_ text: String, right: Bool = false, style: ((String) -> String)? = nil) {
            self.text = text; self.right = right; self.style = style
        }
    }

    static func table(header: [String], rows: [[Cell]], st: Style) -> String {
        var widths = header.map { displayWidth($0) }
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], min(40, displayWidth(c.text))) } }
        func line(_ cells: [Cell], header: Bool) -> String {
            var parts: [String] = []
            for (i, c) in cells.enumerated() {
                let text = truncate(c.text, to: widths[i])
                let pad = String(repeating: " ", count: max(0, widths[i] - displayWidth(text)))
                var cell = c.right ? pad + text : text + pad
                if header { cell = st.bold(cell) } else if let style = c.style { cell = style(cell) }
                parts.append(cell)
            }
            return "  " + trimmingTrailingWhitespace(parts.joined(separator: "  ")) + "\n"
        }
        var out = line(header.map { Cell($0) }, header: true)
        for r in rows { out += line(r, header: false) }
        return out
    }

    /// `s` without trailing white space (a padded last column). A scalar loop: a regular expression here cost a
    /// tenth of a small scan's start-up.
    static func trimmingTrailingWhitespace(_ s: String) -> String {
        var scalars = s.unicodeScalars[...]
        while let last = scalars.last, last.properties.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }

    /// Terminal columns: wide East Asian characters and emoji count as two, combining marks as zero. Printable ASCII
    /// (most cells: numbers, ids, many names) is one column per byte without walking grapheme clusters.
    static func displayWidth(_ s: String) -> Int {
        if isPrintableASCII(s) { return s.utf8.count }
        return s.reduce(0) { acc, ch in
            guard let f = ch.unicodeScalars.first else { return acc }
            if f.properties.isEmojiPresentation || (0x1100...0x115F).contains(f.value) || (0x2E80...0xA4CF).contains(f.value)
                || (0xAC00...0xD7A3).contains(f.value) || (0xF900...0xFAFF).contains(f.value) || (0xFF00...0xFF60).contains(f.value) {
                return acc + 2
            }
            return acc + 1
        }
    }

    /// True when every byte is printable ASCII (space to `~`): one character and one column each, nothing to sanitise.
    static func isPrintableASCII(_ s: String) -> Bool {
        s.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    static func truncate(_ s: String, to width: Int) -> String {
        let flat = sanitise(s)
        guard displayWidth(flat) > width else { return flat }
        var out = ""
        for ch in flat {
            if displayWidth(out + String(ch)) > width - 1 { break }
            out.append(ch)
        }
        return out + "…"
    }

    /// Hostile input must not drive the terminal: line breaks become spaces, other control characters
    /// (ESC included) and bidirectional overrides (which could reorder the table) become U+FFFD.
    static func sanitise(_ s: String) -> String {
        if isPrintableASCII(s) { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if u == "\n" || u == "\r" || u == "\t" { out.append(" ") }
            else if u.value < 0x20 || (0x7F...0x9F).contains(u.value) || (0x202A...0x202E).contains(u.value)
                        || (0x2066...0x2069).contains(u.value) { out.append("\u{FFFD}") }
            else { out.append(u) }
        }
        return String(out)
    }

    struct Style {
        var on: Bool
        func wrap(_ code: String, _ s: String) -> String { on ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        func bold(_ s: String) -> String { wrap("1", s) }
        func severity(_ v: Severity, _ s: String) -> String {
            switch v {
            case .critical: wrap("1;31", s)
            case .high: wrap("31", s)
            case .medium: wrap("33", s)
            case .low: wrap("36", s)
            case .info: wrap("2", s)
            }
        }
    }
}
