import ChatModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One WhatsApp message located in the file, as byte offsets only (no String): what the scan engine iterates.
public struct WhatsAppSpan: Sendable, Equatable {
    /// Whole message: header line start (after a file-start BOM) to the end of its last line, terminator excluded.
    public var start: Int
    public var end: Int
    /// Body: after `sender: ` (user messages) or after the header (system notices), to `end`.
    public var textStart: Int
    public var textEnd: Int
    /// Raw sender field (may hold invisible marks and the `~ ` prefix); -1 when there is no human author.
    public var senderStart: Int
    public var senderEnd: Int
    /// 1-based first (header) and last line.
    public var line: Int
    public var lineEnd: Int
    public var kind: MessageKind
    /// True when a continuation line looked like a header of another template or gave an invalid date.
    public var mismatch: Bool

    public init(start: Int, end: Int, textStart: Int, textEnd: Int, senderStart: Int, senderEnd: Int, line: Int,
                lineEnd: Int, kind: MessageKind, mismatch: Bool) {
        self.start = start; self.end = end; self.textStart = textStart; self.textEnd = textEnd
        self.senderStart = senderStart; self.senderEnd = senderEnd; self.line = line; self.lineEnd = lineEnd
        self.kind = kind; self.mismatch = mismatch
    }
}

extension WhatsAppParser {
    /// Content end (terminator and a CR before LF excluded) and next line start of the line at `i`.
    @inline(__always)
    static func lineBounds(_ cursor: inout LineCursor, _ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int,
                           _ crOnly: Bool) -> (Int, Int) {
        let e = cursor.next(from: i)
        if e >= n { return (n, n) }
        if !crOnly && e > i && p[e - 1] == 0x0D { return (e - 1, e + 1) }
        return (e, e + 1)
    }

    /// The same with `memchr`, for one-off lookups.
    @inline(__always)
    static func lineBounds(_ base: UnsafeRawPointer, _ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int,
                           _ crOnly: Bool) -> (Int, Int) {
        if let q = memchr(base + i, crOnly ? 0x0D : 0x0A, n - i) {
            let e = base.distance(to: UnsafeRawPointer(q))
            if !crOnly && e > i && p[e - 1] == 0x0D { return (e - 1, e + 1) }
            return (e, e + 1)
        }
        return (n, n)
    }

    /// 0: not header-like; 1: a header of the layout's template with a valid date; 2: header-like but another
    /// template or an invalid date (a continuation with `header-format-mismatch`).
    @inline(__always)
    static func headerState(_ p: UnsafePointer<UInt8>, _ i: Int, _ ce: Int, _ sig: UInt32, _ allowMarker: Bool,
                            _ dayFirst: Bool, _ h: inout WAHeaderFields) -> Int {
        guard i < ce, WABytes.mayStartHeader(p[i]),
              WAHeaderScanner.scan(p, i, ce, allowMarker: allowMarker, into: &h) else { return 0 }
        if h.signature == sig && WAHeaderScanner.date(h, dayFirst: dayFirst) != nil { return 1 }
        return 2
    }

    /// Offset of the first message start at or after `offset` (a line start that is a header of the layout), or
    /// `bytes.count`. Chunk boundaries for parallel parsing.
    public static func nextMessageBoundary(_ bytes: UnsafeRawBufferPointer, layout: WhatsAppLayout, from offset: Int) -> Int {
        let n = bytes.count
        guard let base = bytes.baseAddress, let sig = layout.template, offset < n else { return n }
        let p = base.assumingMemoryBound(to: UInt8.self)
        let term: UInt8 = layout.crOnly ? 0x0D : 0x0A
        var i = max(offset, layout.bomLength)
        if i > layout.bomLength && p[i - 1] != term {
            guard let q = memchr(base + i, Int32(term), n - i) else { return n }
            i = base.distance(to: UnsafeRawPointer(q)) + 1
        }
        var h = WAHeaderFields()
        while i < n {
            let (ce, next) = lineBounds(base, p, i, n, layout.crOnly)
            if headerState(p, i, ce, sig, layout.hasMarker, layout.dayFirst, &h) == 1 { return i }
            i = next
        }
        return n
    }

    /// 1-based line number of the line holding `offset` (counts terminators before it).
    public static func lineNumber(at offset: Int, in bytes: UnsafeRawBufferPointer, layout: WhatsAppLayout) -> Int {
        guard let base = bytes.baseAddress else { return 1 }
        let term: Int32 = layout.crOnly ? 0x0D : 0x0A
        let limit = min(offset, bytes.count)
        var line = 1
        var i = 0
        while i < limit, let q = memchr(base + i, term, limit - i) {
            line += 1
            i = base.distance(to: UnsafeRawPointer(q)) + 1
        }
        return line
    }

    /// Number of lines in the file (a last line without terminator counts; an empty file has 0).
    public static func lineCount(_ bytes: UnsafeRawBufferPointer, layout: WhatsAppLayout) -> Int {
        let n = bytes.count
        guard n > 0 else { return 0 }
        let term: UInt8 = layout.crOnly ? 0x0D : 0x0A
        let terminators = lineNumber(at: n, in: bytes, layout: layout) - 1
        return bytes[n - 1] == term ? terminators : terminators + 1
    }

    /// The span `forEachSpan` reports for the message at `start..<end` (lines `line...lineEnd`), rebuilt from those
    /// bounds alone: one header scan, the classifier, and a look at continuation lines for `mismatch`. Nil when
    /// `start` is not a header of the layout's template.
    public static func span(at start: Int, end: Int, line: Int, lineEnd: Int, in bytes: UnsafeRawBufferPointer,
                            layout: WhatsAppLayout) -> WhatsAppSpan? {
        var h = WAHeaderFields()
        return span(at: start, end: end, line: line, lineEnd: lineEnd, in: bytes, layout: layout, header: &h)
    }

    /// The same, also giving the message's header fields in `h`.
    static func span(at start: Int, end: Int, line: Int, lineEnd: Int, in bytes: UnsafeRawBufferPointer,
                     layout: WhatsAppLayout, header h: inout WAHeaderFields) -> WhatsAppSpan? {
        let n = bytes.count
        guard let base = bytes.baseAddress, let sig = layout.template, start < n, end <= n, start <= end else { return nil }
        let p = base.assumingMemoryBound(to: UInt8.self)
        let crOnly = layout.crOnly
        var (firstEnd, next) = lineBounds(base, p, start, n, crOnly)
        firstEnd = min(firstEnd, end)
        guard headerState(p, start, firstEnd, sig, layout.hasMarker, layout.dayFirst, &h) == 1 else { return nil }
        var mismatch = false
        if lineEnd > line {
            var other = WAHeaderFields()
            var i = next
            while i < end && !mismatch {
                let (ce, after) = lineBounds(base, p, i, n, crOnly)
                if headerState(p, i, min(ce, end), sig, layout.hasMarker, layout.dayFirst, &other) == 2 { mismatch = true }
                i = after
            }
        }
        let c = layout.chatNameBytes.withUnsafeBufferPointer { chatName in
            classify(p, rest: h.restStart, firstEnd: firstEnd, textEnd: end, chatName: chatName, catalogue: WACatalogue.shared)
        }
        return WhatsAppSpan(start: start, end: end, textStart: c.textStart, textEnd: end, senderStart: c.senderStart,
                            senderEnd: c.senderEnd, line: line, lineEnd: lineEnd, kind: c.kind, mismatch: mismatch)
    }

    /// The record `message(from:)` builds for the span `span(at:...)` rebuilds, with the header scanned once; nil
    /// when `start` is not a header of the layout's template.
    public static func message(at start: Int, end: Int, line: Int, lineEnd: Int, in bytes: UnsafeRawBufferPointer,
                               layout: WhatsAppLayout, file: String, chat: String?, index: Int) -> Message? {
        var h = WAHeaderFields()
        guard let s = span(at: start, end: end, line: line, lineEnd: lineEnd, in: bytes, layout: layout, header: &h) else {
            return nil
        }
        return message(from: s, header: h, bytes: bytes, layout: layout, file: file, chat: chat, index: index)
    }

    /// Calls `body` for each message whose header starts in `range` (`range.lowerBound` must be 0 or a boundary from
    /// `nextMessageBoundary`); the last one may extend past `range.upperBound` to its natural end. `startLine` is the
    /// 1-based line number at `range.lowerBound`. Lines before the first header go to `unparsed`. Return false from
    /// `body` to stop. No allocation per message.
    public static func forEachSpan(_ bytes: UnsafeRawBufferPointer, layout: WhatsAppLayout, range: Range<Int>,
                                   startLine: Int, unparsed: (Int, Range<Int>) -> Void,
                                   body: (WhatsAppSpan) -> Bool) {
        let n = bytes.count
        guard let base = bytes.baseAddress, !range.isEmpty, range.lowerBound < n else { return }
        let p = base.assumingMemoryBound(to: UInt8.self)
        let upper = range.upperBound
        let crOnly = layout.crOnly
        var i = range.lowerBound == 0 ? layout.bomLength : range.lowerBound
        var line = startLine
        guard let sig = layout.template else {
            while i < n && i < upper {
                let (ce, next) = lineBounds(base, p, i, n, crOnly)
                unparsed(line, i..<ce)
                line += 1
                i = next
            }
            return
        }
        let allowMarker = layout.hasMarker
        let dayFirst = layout.dayFirst
        let cat = WACatalogue.shared
        let firstOffset = i, firstLine = line
        LineCursor.with(p, count: n, terminator: crOnly ? 0x0D : 0x0A) { cursor in
            layout.chatNameBytes.withUnsafeBufferPointer { chatName in
                var i = firstOffset, line = firstLine
                var h = WAHeaderFields()
                var cache = WAHeaderCache()
                var cur = WhatsAppSpan(start: 0, end: 0, textStart: 0, textEnd: 0, senderStart: -1, senderEnd: -1,
                                       line: 0, lineEnd: 0, kind: .text, mismatch: false)
                var has = false
                var curRest = 0, curFirstEnd = 0
                while i < n {
                    let (ce, next) = lineBounds(&cursor, p, i, n, crOnly)
                    // Only headers of the layout's template with a valid date are cached, so a match is one too.
                    var state = 1
                    if !cache.match(p, start: i, ce: ce, count: n, into: &h) {
                        state = headerState(p, i, ce, sig, allowMarker, dayFirst, &h)
                        if state == 1 { cache.store(p, start: i, ce: ce, count: n, fields: h) }
                    }
                    if state == 1 {
                        if i >= upper { break }
                        if has {
                            let c = classify(p, rest: curRest, firstEnd: curFirstEnd, textEnd: cur.end,
                                             chatName: chatName, catalogue: cat)
                            cur.kind = c.kind; cur.senderStart = c.senderStart; cur.senderEnd = c.senderEnd
                            cur.textStart = c.textStart; cur.textEnd = cur.end
                            if !body(cur) { return }
                        }
                        cur.start = i; cur.end = ce; cur.line = line; cur.lineEnd = line; cur.mismatch = false
                        curRest = h.restStart; curFirstEnd = ce
                        has = true
                    } else if has {
                        cur.end = ce
                        cur.lineEnd = line
                        if state == 2 { cur.mismatch = true }
                    } else {
                        if i >= upper { return }
                        unparsed(line, i..<ce)
                    }
                    line += 1
                    i = next
                }
                if has {
                    let c = classify(p, rest: curRest, firstEnd: curFirstEnd, textEnd: cur.end, chatName: chatName,
                                     catalogue: cat)
                    cur.kind = c.kind; cur.senderStart = c.senderStart; cur.senderEnd = c.senderEnd
                    cur.textStart = c.textStart; cur.textEnd = cur.end
                    _ = body(cur)
                }
            }
        }
    }
}
