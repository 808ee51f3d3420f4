import ChatModel
import Foundation
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
    /// The first date added (nil: none yet), to join the evidence of consecutive parts of a file.
    var first: (a: Int, b: Int, y: Int)?

    mutating func add(_ h: WAHeaderFields) {
        count += 1
        let (a, b) = h.nonYear
        if a > maxA { maxA = a }
        if b > maxB { maxB = b }
        if first == nil { first = (a, b, h.year) }
        step(a, b, h.year)
    }

    /// Counts the change from the previous date to (a, b, y) and makes it the previous date.
    private mutating func step(_ a: Int, _ b: Int, _ y: Int) {
        if prevY == y && (a != prevA || b != prevB) {
            // When the month goes up the day wraps around (decreases): the decreasing field is the day.
            if a < prevA && b > prevB { wrapDayFirst += 1 }
            if b < prevB && a > prevA { wrapMonthFirst += 1 }
            if a != prevA { changesA += 1 }
            if b != prevB { changesB += 1 }
        }
        prevA = a; prevB = b; prevY = y
    }

    /// Joins the same template's evidence from the part of the file that follows: the result is what one pass over
    /// both parts gathers (the two dates either side of the edge are compared as `add` compares neighbours).
    mutating func append(_ next: WATemplateEvidence) {
        if let f = next.first {
            step(f.a, f.b, f.y)
            if first == nil { first = f }
            prevA = next.prevA; prevB = next.prevB; prevY = next.prevY
        }
        count += next.count
        maxA = max(maxA, next.maxA); maxB = max(maxB, next.maxB)
        wrapDayFirst += next.wrapDayFirst; wrapMonthFirst += next.wrapMonthFirst
        changesA += next.changesA; changesB += next.changesB
    }
}

/// Pass 1's findings over one part of a file: the templates in order of first appearance (at most
/// `WATemplateTally.capacity`) and the header lines of any further template.
struct WATemplateTally {
    static let capacity = 16
    var slots: [WATemplateEvidence] = []
    var overflow = 0

    /// Joins the tally of the part that follows, as one pass over both parts would have counted.
    mutating func append(_ next: WATemplateTally) {
        overflow += next.overflow
        for ev in next.slots {
            if let k = slots.firstIndex(where: { $0.signature == ev.signature }) { slots[k].append(ev) }
            else if slots.count < Self.capacity { slots.append(ev) }
            else { overflow += ev.count }
        }
    }
}

extension WhatsAppParser {
    /// Pass 1 over the whole file: finds the dominant header template and decides the day/month order from all dates
    /// (catalogue 1.3: a field above 12, then wrap-around, then change frequency, then dotted dates as a locale hint;
    /// `options.dateOrder` overrides). No allocation per line. A file is read in up to `parts` parts of at least
    /// `minimumPart` bytes at once, whose findings are joined in file order (`WATemplateTally.append`): the same
    /// layout as one pass.
    public static func analyse(_ bytes: UnsafeRawBufferPointer, options: ParseOptions, parts: Int = 1,
                               minimumPart: Int = 4 << 20) -> WhatsAppLayout {
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
        let term = UInt8(crOnly ? 0x0D : 0x0A)
        let cuts = partCuts(p, from: bom, count: n, terminator: term, parts: parts, minimumPart: minimumPart)
        let tally = templateTally(p, cuts: cuts, terminator: term)
        let slots = tally.slots
        let overflow = tally.overflow
        var best = -1
        var total = overflow
        for k in slots.indices {
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

    /// Part edges for `analyse`: line starts splitting `from..<count` into up to `parts` parts of at least
    /// `minimumPart` bytes.
    static func partCuts(_ p: UnsafePointer<UInt8>, from start: Int, count n: Int, terminator: UInt8, parts: Int,
                         minimumPart: Int) -> [Int] {
        let k = max(1, min(parts, (n - start) / max(1, minimumPart)))
        var cuts = [start]
        for j in 1..<k {
            let at = start + (n - start) / k * j
            guard at > cuts.last!, let q = memchr(p + at, Int32(terminator), n - at) else { break }
            let cut = UnsafeRawPointer(p).distance(to: UnsafeRawPointer(q)) + 1
            if cut < n && cut > cuts.last! { cuts.append(cut) }
        }
        cuts.append(n)
        return cuts
    }

    /// The templates of the lines in each part `cuts[j]..<cuts[j + 1]` (read at once), joined in file order; when a
    /// part holds more templates than a tally keeps, the whole range is read again in one part (whose overflow
    /// is then exactly that of one pass).
    static func templateTally(_ p: UnsafePointer<UInt8>, cuts: [Int], terminator: UInt8) -> WATemplateTally {
        let parts = cuts.count - 1
        if parts <= 1 { return partTally(p, start: cuts[0], end: cuts[parts], terminator: terminator) }
        var tallies = [WATemplateTally](repeating: WATemplateTally(), count: parts)
        tallies.withUnsafeMutableBufferPointer { out in
            // Threads of its own: the caller is usually a scan worker inside `concurrentPerform`, where a nested
            // `concurrentPerform` would run its iterations one after another.
            let job = PartJob(p: p, out: out, cuts: cuts, terminator: terminator)
            let done = DispatchSemaphore(value: 0)
            for j in 1..<parts { Thread.detachNewThread { job.run(j); done.signal() } }
            job.run(0)
            for _ in 1..<parts { done.wait() }
        }
        if tallies.contains(where: { $0.overflow > 0 }) {
            return partTally(p, start: cuts[0], end: cuts[parts], terminator: terminator)
        }
        var joined = tallies[0]
        for t in tallies.dropFirst() { joined.append(t) }
        return joined
    }

    /// One part of `templateTally` for a thread of its own: reads the file (immutable while the pass runs) and
    /// writes only its own slot of `out`.
    private struct PartJob: @unchecked Sendable {
        let p: UnsafePointer<UInt8>
        let out: UnsafeMutableBufferPointer<WATemplateTally>
        let cuts: [Int]
        let terminator: UInt8
        func run(_ j: Int) { out[j] = partTally(p, start: cuts[j], end: cuts[j + 1], terminator: terminator) }
    }

    /// Pass 1 over the lines of `p[start..<end]` (`start` is a line start, `end` a line start or the file's end).
    static func partTally(_ p: UnsafePointer<UInt8>, start: Int, end n: Int, terminator term: UInt8) -> WATemplateTally {
        let base = UnsafeRawPointer(p)
        var tally = WATemplateTally()
        var h = WAHeaderFields()
        var cache = WAHeaderCache()
        var i = start
        while i < n {
            // A run of lines with the cached header (messages of one day) adds only to its template's count: their
            // date is the cached one, the last its slot saw.
            let run = cache.skipRun(p, start: i, count: n, terminator: term)
            if run.lines > 0 {
                tally.slots[cache.tag].count += run.lines
                i = run.next
                if i >= n { break }
            }
            // The line at `i` does not have the cached header: read it in full.
            let e = memchr(base + i, Int32(term), n - i).map { base.distance(to: UnsafeRawPointer($0)) } ?? n
            let ce = (e > i && p[e - 1] == 0x0D) ? e - 1 : e
            if WABytes.mayStartHeader(p[i]) && WAHeaderScanner.scan(p, i, ce, allowMarker: true, into: &h) {
                var k = 0
                while k < tally.slots.count && tally.slots[k].signature != h.signature { k += 1 }
                if k == tally.slots.count {
                    if k < WATemplateTally.capacity {
                        tally.slots.append(WATemplateEvidence(signature: h.signature))
                    } else {
                        tally.overflow += 1
                        k = -1
                    }
                }
                if k >= 0 {
                    tally.slots[k].add(h)
                    cache.store(p, start: i, ce: ce, count: n, fields: h, tag: k)
                }
            }
            i = e + 1
        }
        return tally
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
