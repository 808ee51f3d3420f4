import ChatModel
import Foundation

/// JSON Lines and CSV renderings of hits. Both are deterministic: the same hits in the same order give the same
/// bytes (no times, no hash-map order, fixed key and column order).
public enum HitRecords {
    /// JSON Lines keys, in the order they are written. `context` only when context > 0.
    public static let jsonlKeys = [
        "file", "chat", "sender", "timestamp", "line", "message_index", "rule", "category", "severity", "match",
        "byte_start", "byte_end", "subcategory", "pattern", "score", "normalised", "text_start", "text_end", "text",
    ]

    /// One JSON object (no trailing newline) for one hit of `item`, with up to `context` neighbours each side.
    public static func jsonLine(_ h: Hit, in item: MessageHits, context: Int) -> String {
        var o = "{"
        var first = true
        func key(_ k: String) { if !first { o += "," }; first = false; o += "\"" + k + "\":" }
        key("file"); o += JSON.string(h.file)
        key("chat"); o += JSON.string(item.message.chat)
        key("sender"); o += JSON.string(item.message.sender)
        key("timestamp"); o += JSON.string(h.timestamp)
        key("line"); o += JSON.int(h.line)
        key("message_index"); o += String(h.messageIndex)
        key("rule"); o += JSON.string(h.rule)
        key("category"); o += JSON.string(h.category)
        key("severity"); o += JSON.string(h.severity.rawValue)
        key("match"); o += JSON.string(h.match)
        key("byte_start"); o += JSON.int(h.byteStart)
        key("byte_end"); o += JSON.int(h.byteEnd)
        key("subcategory"); o += JSON.string(h.subcategory)
        key("pattern"); o += JSON.string(h.pattern)
        key("score"); o += JSON.double(h.score)
        key("normalised"); o += "[" + h.normalised.map { JSON.string($0) }.joined(separator: ",") + "]"
        key("text_start"); o += String(h.textStart)
        key("text_end"); o += String(h.textEnd)
        key("text"); o += JSON.string(item.message.text)
        if context > 0 {
            key("context")
            let rows = contextRows(item, context: context).map { offset, m in
                "{\"offset\":\(offset),\"sender\":\(JSON.string(m.sender)),\"timestamp\":\(JSON.string(m.timestamp)),"
                    + "\"text\":\(JSON.string(m.text)),\"line\":\(JSON.int(m.line))}"
            }
            o += "[" + rows.joined(separator: ",") + "]"
        }
        return o + "}"
    }

    /// Neighbours with their offset from the hit message (-N...-1 before, 1...N after), oldest first.
    public static func contextRows(_ item: MessageHits, context: Int) -> [(offset: Int, message: Message)] {
        guard context > 0 else { return [] }
        let before = item.before.suffix(context)
        let after = item.after.prefix(context)
        var rows: [(Int, Message)] = []
        for (i, m) in before.enumerated() { rows.append((i - before.count, m)) }
        for (i, m) in after.enumerated() { rows.append((i + 1, m)) }
        return rows
    }

    // MARK: CSV

    /// CSV header; `context_before`/`context_after` only when context > 0.
    public static func csvHeader(context: Int) -> [String] {
        var h = ["file", "chat", "sender", "timestamp", "line", "message_index", "rule", "category", "subcategory",
                 "severity", "match", "byte_start", "byte_end", "text_start", "text_end", "pattern", "score",
                 "normalised", "text"]
        if context > 0 { h += ["context_before", "context_after"] }
        return h
    }

    /// One CSV row for one hit, cells already quoted and guarded.
    public static func csvRow(_ h: Hit, in item: MessageHits, context: Int) -> String {
        var cells: [String] = [
            CSV.text(h.file), CSV.text(item.message.chat ?? ""), CSV.text(item.message.sender ?? ""),
            CSV.text(h.timestamp ?? ""), CSV.number(h.line), String(h.messageIndex), CSV.text(h.rule),
            CSV.text(h.category), CSV.text(h.subcategory ?? ""), h.severity.rawValue, CSV.text(h.match),
            CSV.number(h.byteStart), CSV.number(h.byteEnd), String(h.textStart), String(h.textEnd),
            CSV.text(h.pattern ?? ""), h.score.map { JSON.double($0) } ?? "", CSV.text(h.normalised.joined(separator: ";")),
            CSV.text(item.message.text),
        ]
        if context > 0 {
            let rows = contextRows(item, context: context)
            func fmt(_ m: Message) -> String { "\(m.sender ?? "(system)") [\(m.timestamp ?? "")]: \(m.text)" }
            cells.append(CSV.text(rows.filter { $0.offset < 0 }.map { fmt($0.message) }.joined(separator: "\n")))
            cells.append(CSV.text(rows.filter { $0.offset > 0 }.map { fmt($0.message) }.joined(separator: "\n")))
        }
        return cells.joined(separator: ",")
    }
}

/// RFC 4180 CSV cells for spreadsheets.
///
/// Formula-injection guard: a text cell whose first character is `=`, `+`, `-`, `@`, a tab or a carriage return
/// gets a leading `'`, so Excel, LibreOffice and Google Sheets show it as text instead of evaluating it
/// (OWASP "CSV Injection"). The apostrophe is visible in other tools; the JSON Lines output keeps the exact text.
/// Numeric columns are written by ChatSieve itself and are never guarded.
public enum CSV {
    /// Prefixes that make a spreadsheet treat a cell as a formula.
    public static let formulaPrefixes: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// A text cell: guarded against formula injection, then quoted when it holds `"`, `,`, CR or LF.
    public static func text(_ s: String) -> String {
        var v = s
        if let f = v.first, formulaPrefixes.contains(f) { v = "'" + v }
        return quote(v)
    }

    /// RFC 4180 quoting only (doubles inner quotes).
    public static func quote(_ s: String) -> String {
        if s.utf8.contains(where: { $0 == 0x22 || $0 == 0x2C || $0 == 0x0A || $0 == 0x0D }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    static func number(_ n: Int?) -> String { n.map(String.init) ?? "" }
}

/// Minimal deterministic JSON value writers (fixed formatting, UTF-8 kept, control characters escaped).
public enum JSON {
    public static func string(_ s: String?) -> String {
        guard let s else { return "null" }
        // Fast path: nothing to escape (0xE2 starts U+2028/U+2029, checked the slow way).
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F || $0 == 0xE2 }) {
            return "\"" + s + "\""
        }
        var o = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": o += "\\\""
            case "\\": o += "\\\\"
            case "\n": o += "\\n"
            case "\r": o += "\\r"
            case "\t": o += "\\t"
            case "\u{2028}": o += "\\u2028"
            case "\u{2029}": o += "\\u2029"
            default:
                if u.value < 0x20 || u.value == 0x7F { o += String(format: "\\u%04x", u.value) } else { o.unicodeScalars.append(u) }
            }
        }
        return o + "\""
    }

    public static func int(_ n: Int?) -> String { n.map(String.init) ?? "null" }

    public static func double(_ d: Double?) -> String {
        guard let d, d.isFinite else { return "null" }
        return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) + ".0" : "\(d)"
    }
}
