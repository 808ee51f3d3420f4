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
        var bytes: [UInt8] = []
        appendJSONLine(h, in: item, context: context, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the bytes of `jsonLine(h, in: item, context: context)` (no trailing newline) to `out`.
    static func appendJSONLine(_ h: Hit, in item: MessageHits, context: Int, to out: inout [UInt8]) {
        appendJSONLineHead(h, in: item, to: &out)
        appendJSONLineTail(item, context: context, to: &out)
    }

    /// A hit's JSON line up to `text_end`: the fields that differ between the hits of one message.
    static func appendJSONLineHead<S: ByteSink>(_ h: Hit, in item: MessageHits, to out: inout S) {
        typealias B = RecordBytes
        B.literal("{\"file\":", to: &out); B.jsonString(h.file, to: &out)
        B.literal(",\"chat\":", to: &out); B.jsonString(item.message.chat, to: &out)
        B.literal(",\"sender\":", to: &out); B.jsonString(item.message.sender, to: &out)
        B.literal(",\"timestamp\":", to: &out); B.jsonString(h.timestamp, to: &out)
        B.literal(",\"line\":", to: &out); B.jsonInt(h.line, to: &out)
        B.literal(",\"message_index\":", to: &out); B.int(h.messageIndex, to: &out)
        B.literal(",\"rule\":", to: &out); B.jsonString(h.rule, to: &out)
        B.literal(",\"category\":", to: &out); B.jsonString(h.category, to: &out)
        B.literal(",\"severity\":", to: &out); B.jsonString(h.severity.rawValue, to: &out)
        B.literal(",\"match\":", to: &out); B.jsonString(h.match, to: &out)
        B.literal(",\"byte_start\":", to: &out); B.jsonInt(h.byteStart, to: &out)
        B.literal(",\"byte_end\":", to: &out); B.jsonInt(h.byteEnd, to: &out)
        B.literal(",\"subcategory\":", to: &out); B.jsonString(h.subcategory, to: &out)
        B.literal(",\"pattern\":", to: &out); B.jsonString(h.pattern, to: &out)
        B.literal(",\"score\":", to: &out); B.jsonDouble(h.score, to: &out)
        B.literal(",\"normalised\":[", to: &out)
        for (i, n) in h.normalised.enumerated() {
            if i > 0 { out.append(0x2C) }
            B.jsonString(n, to: &out)
        }
        B.literal("],\"text_start\":", to: &out); B.int(h.textStart, to: &out)
        B.literal(",\"text_end\":", to: &out); B.int(h.textEnd, to: &out)
    }

    /// The rest of a hit's JSON line, the same for every hit of `item`: its text, its context and the closing brace.
    static func appendJSONLineTail<S: ByteSink>(_ item: MessageHits, context: Int, to out: inout S) {
        typealias B = RecordBytes
        B.literal(",\"text\":", to: &out); B.jsonString(item.message.text, to: &out)
        if context > 0 {
            B.literal(",\"context\":[", to: &out)
            var first = true
            forEachContextRow(item, context: context) { offset, m in
                if !first { out.append(0x2C) }
                first = false
                B.literal("{\"offset\":", to: &out); B.int(offset, to: &out)
                B.literal(",\"sender\":", to: &out); B.jsonString(m.sender, to: &out)
                B.literal(",\"timestamp\":", to: &out); B.jsonString(m.timestamp, to: &out)
                B.literal(",\"text\":", to: &out); B.jsonString(m.text, to: &out)
                B.literal(",\"line\":", to: &out); B.jsonInt(m.line, to: &out)
                out.append(0x7D)
            }
            out.append(0x5D)
        }
        out.append(0x7D)
    }

    /// Calls `body` for each row of `contextRows(item, context:)`, in order, without building the array.
    static func forEachContextRow(_ item: MessageHits, context: Int, _ body: (Int, Message) -> Void) {
        guard context > 0 else { return }
        let before = item.before.suffix(context)
        var offset = -before.count
        for m in before { body(offset, m); offset += 1 }
        offset = 1
        for m in item.after.prefix(context) { body(offset, m); offset += 1 }
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
        var bytes: [UInt8] = []
        appendCSVRow(h, in: item, context: context, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the bytes of `csvRow(h, in: item, context: context)` (no line end) to `out`.
    static func appendCSVRow(_ h: Hit, in item: MessageHits, context: Int, to out: inout [UInt8]) {
        typealias B = RecordBytes
        B.csvText(h.file, to: &out); out.append(0x2C)
        B.csvText(item.message.chat ?? "", to: &out); out.append(0x2C)
        B.csvText(item.message.sender ?? "", to: &out); out.append(0x2C)
        B.csvText(h.timestamp ?? "", to: &out); out.append(0x2C)
        B.csvNumber(h.line, to: &out); out.append(0x2C)
        B.int(h.messageIndex, to: &out); out.append(0x2C)
        B.csvText(h.rule, to: &out); out.append(0x2C)
        B.csvText(h.category, to: &out); out.append(0x2C)
        B.csvText(h.subcategory ?? "", to: &out); out.append(0x2C)
        B.raw(h.severity.rawValue, to: &out); out.append(0x2C)
        B.csvText(h.match, to: &out); out.append(0x2C)
        B.csvNumber(h.byteStart, to: &out); out.append(0x2C)
        B.csvNumber(h.byteEnd, to: &out); out.append(0x2C)
        B.int(h.textStart, to: &out); out.append(0x2C)
        B.int(h.textEnd, to: &out); out.append(0x2C)
        B.csvText(h.pattern ?? "", to: &out); out.append(0x2C)
        if let score = h.score { B.jsonDouble(score, to: &out) }
        out.append(0x2C)
        if h.normalised.count == 1 { B.csvText(h.normalised[0], to: &out) } else {
            B.csvText(h.normalised.joined(separator: ";"), to: &out)
        }
        out.append(0x2C)
        B.csvText(item.message.text, to: &out)
        if context > 0 {
            func fmt(_ m: Message) -> String { "\(m.sender ?? "(system)") [\(m.timestamp ?? "")]: \(m.text)" }
            var before: [String] = [], after: [String] = []
            forEachContextRow(item, context: context) { offset, m in
                if offset < 0 { before.append(fmt(m)) } else { after.append(fmt(m)) }
            }
            out.append(0x2C); B.csvText(before.joined(separator: "\n"), to: &out)
            out.append(0x2C); B.csvText(after.joined(separator: "\n"), to: &out)
        }
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

/// Minimal deterministic JSON value writers (fixed formatting, UTF-8 kept, control characters escaped), as Strings;
/// the bytes come from `RecordBytes`, which the JSON Lines writer uses directly.
public enum JSON {
    public static func string(_ s: String?) -> String { render { RecordBytes.jsonString(s, to: &$0) } }

    public static func int(_ n: Int?) -> String { render { RecordBytes.jsonInt(n, to: &$0) } }

    public static func double(_ d: Double?) -> String { render { RecordBytes.jsonDouble(d, to: &$0) } }

    private static func render(_ body: (inout [UInt8]) -> Void) -> String {
        var bytes: [UInt8] = []
        body(&bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
