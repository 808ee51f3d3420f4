import ChatModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What pass 1 learnt about one WhatsApp export: its dominant header template, its day/month order, its line endings.
/// Computed once per file by `WhatsAppParser.analyse`, then shared (read-only) by every chunk of the span pass.
public struct WhatsAppLayout: Sendable {
    /// Packed signature of the dominant header template; nil when the file holds no header at all.
    public var template: UInt32?
    /// Human-readable form of the template, e.g. `D/M/YY, H:MM - ` or `[D.M.YY, H:MM:SS] `.
    public var templateDescription: String
    /// True when the day comes before the month among the two non-year date fields.
    public var dayFirst: Bool
    /// The resolved order (`ymd` when the year comes first).
    public var dateOrder: DateOrder
    /// True when nothing in the file decided the day/month order (day first was chosen, warning emitted).
    public var dateOrderAmbiguous: Bool
    /// Which evidence decided the order (`option`, `field-above-12`, `wrap-around`, `change-frequency`, `dotted-date`,
    /// `default-day-first`, `year-first`).
    public var dateOrderEvidence: String
    /// File-level warnings (`ambiguous-date-order`).
    public var warnings: [String]
    /// Lines that read as the dominant template, and lines that look like a header of another template.
    public var headerLines: Int
    public var otherTemplateLines: Int
    /// Old Mac line endings: the file has CR but no LF at all.
    public var crOnly: Bool
    /// Length of the byte-order mark at the start of the file (0 or 3).
    public var bomLength: Int
    /// Chat name (from options), used to recognise system notices attributed to the chat itself.
    public internal(set) var chatName: String?
    let chatNameBytes: [UInt8]

    var hasMarker: Bool { (template ?? 0) & WASig.marker != 0 }
}

/// Date evidence gathered for one header template during pass 1 (no allocation per line).
struct WATemplateEvidence {
    var signature: UInt32 = 0
    var count = 0
    var maxA = 0, maxB = 0
    var prevA = -1, prevB = -1, prevY = -1
    var wrapDayFirst = 0, wrapMonthFirst = 0
    var changesA = 0, changesB = 0

    mutating func add(_ h: WAHeaderFields) {
        count += 1
        let (a, b) = h.nonYear
        let y = h.year
        if a > maxA { maxA = a }
        if b > maxB { maxB = b }
        if prevY == y && (a != prevA || b != prevB) {
            // When the month goes up the day wraps around (decreases): the decreasing field is the day.
            if a < prevA && b > prevB { wrapDayFirst += 1 }
            if b < prevB && a > prevA { wrapMonthFirst += 1 }
            if a != prevA { changesA += 1 }
            if b != prevB { changesB += 1 }
        }
        prevA = a; prevB = b; prevY = y
    }
}

extension WhatsAppParser {
    /// Pass 1 over the whole file: finds the dominant header template and decides the day/month order from all dates
    /// (catalogue 1.3: a field above 12, then wrap-around, then change frequency, then dotted dates as a locale hint;
    /// `options.dateOrder` overrides). No allocation per line.
    public static func analyse(_ bytes: UnsafeRawBufferPointer, options: ParseOptions) -> WhatsAppLayout {
        let n = bytes.count
        let chatBytes = Array((options.chatName ?? "").utf8)
        guard n > 0, let base = bytes.baseAddress else {
            return WhatsAppLayout(template: nil, templateDescription: "", dayFirst: true, dateOrder: .dmy,
                                  dateOrderAmbiguous: false, dateOrderEvidence: "no-headers", warnings: [],
                                  headerLines: 0, otherTemplateLines: 0, crOnly: false, bomLength: 0,
                                  chatName: options.chatName, chatNameBytes: chatBytes)
        }
        let p = base.assumingMemoryBound(to: UInt8.self)
        let bom = (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) ? 3 : 0
        let crOnly = memchr(base, 0x0A, n) == nil && memchr(base, 0x0D, n) != nil
        let term: Int32 = crOnly ? 0x0D : 0x0A

        var slots = [WATemplateEvidence](repeating: WATemplateEvidence(), count: 16)
        var used = 0
        var overflow = 0
        var h = WAHeaderFields()
        var cache = WAHeaderCache()
        var i = bom
        while i < n {
            // A run of lines with the cached header (messages of one day) adds only to its template's count: their
            // date is the cached one, the last its slot saw.
            let run = cache.skipRun(p, start: i, count: n, terminator: UInt8(term))
            if run.lines > 0 {
                slots[cache.tag].count += run.lines
                i = run.next
                if i >= n { break }
            }
            // The line at `i` does not have the cached header: read it in full.
            let e = memchr(base + i, term, n - i).map { base.distance(to: UnsafeRawPointer($0)) } ?? n
            let ce = (e > i && p[e - 1] == 0x0D) ? e - 1 : e
            if WABytes.mayStartHeader(p[i]) && WAHeaderScanner.scan(p, i, ce, allowMarker: true, into: &h) {
                var k = 0
                while k < used && slots[k].signature != h.signature { k += 1 }
                if k == used {
                    if used < slots.count {
                        slots[k].signature = h.signature
                        used += 1
                    } else {
                        overflow += 1
                        k = -1
                    }
                }
                if k >= 0 {
                    slots[k].add(h)
                    cache.store(p, start: i, ce: ce, count: n, fields: h, tag: k)
                }
            }
            i = e + 1
        }
        var best = -1
        var total = overflow
        for k in 0..<used {
            total += slots[k].count
            if best < 0 || slots[k].count > slots[best].count { best = k }
        }
        var layout = WhatsAppLayout(template: nil, templateDescription: "", dayFirst: true, dateOrder: .dmy,
                                    dateOrderAmbiguous: false, dateOrderEvidence: "no-headers", warnings: [],
                                    headerLines: 0, otherTemplateLines: 0, crOnly: crOnly, bomLength: bom,
                                    chatName: options.chatName, chatNameBytes: chatBytes)
        guard best >= 0 else { return layout }
        let ev = slots[best]
        layout.template = ev.signature
        layout.templateDescription = describe(ev.signature)
        layout.headerLines = ev.count
        layout.otherTemplateLines = total - ev.count
        decideDateOrder(ev, options: options, into: &layout)
        return layout
    }

    static func decideDateOrder(_ ev: WATemplateEvidence, options: ParseOptions, into layout: inout WhatsAppLayout) {
        let yearFirst = (ev.signature >> WASig.yearPosShift) & 3 == 0
        let dotted = (ev.signature >> WASig.dateSepShift) & 3 == 2
        func set(_ dayFirst: Bool, _ why: String) {
            layout.dayFirst = dayFirst
            layout.dateOrderEvidence = why
            layout.dateOrder = yearFirst ? .ymd : (dayFirst ? .dmy : .mdy)
        }
        if let forced = options.dateOrder {
            set(forced == .dmy, "option")
            layout.dateOrder = forced
            return
        }
        if ev.maxA > 12 && ev.maxB <= 12 { return set(true, "field-above-12") }
        if ev.maxB > 12 && ev.maxA <= 12 { return set(false, "field-above-12") }
        if ev.wrapDayFirst != ev.wrapMonthFirst { return set(ev.wrapDayFirst > ev.wrapMonthFirst, "wrap-around") }
        if ev.changesA != ev.changesB { return set(ev.changesA > ev.changesB, "change-frequency") }
        if yearFirst { return set(false, "year-first") }
        if dotted { return set(true, "dotted-date") }
        set(true, "default-day-first")
        layout.dateOrderAmbiguous = true
        layout.warnings.append("ambiguous-date-order")
    }

    /// Template as text, for messages and debugging: `[D/M/YY, H:MM:SS AM] `, `YYYY-M-D, H:MM - `.
    static func describe(_ sig: UInt32) -> String {
        let sep: String = ["?", "/", ".", "-"][Int((sig >> WASig.dateSepShift) & 3)]
        let yearPos = Int((sig >> WASig.yearPosShift) & 3)
        let year = sig & WASig.fourDigitYear != 0 ? "YYYY" : "YY"
        var fields = ["A", "B"]
        fields.insert(year, at: min(yearPos, 2))
        let joiner = sep + (sig & WASig.spaceAfterDateSep != 0 ? " " : "")
        var s = sig & WASig.bracket != 0 ? "[" : ""
        s += fields.joined(separator: joiner)
        if sig & WASig.dotAfterDate != 0 { s += "." }
        if sig & WASig.comma != 0 { s += "," }
        s += sig & WASig.klo != 0 ? " klo " : " "
        let ts = sig & WASig.dottedTime != 0 ? "." : ":"
        s += "H" + ts + "MM" + (sig & WASig.seconds != 0 ? ts + "SS" : "")
        if sig & WASig.dotAfterTime != 0 { s += "." }
        if sig & WASig.marker != 0 { s += " AM" }
        if sig & WASig.bracket != 0 { return s + "] " }
        switch (sig >> WASig.separatorShift) & 7 {
        case 1: return s + " - "
        case 2: return s + " \u{2013} "
        case 3: return s + ": "
        default: return s + " "
        }
    }
}
