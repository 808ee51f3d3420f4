import ChatModel
import Foundation

/// Parser for WhatsApp "Export chat" text files (Android and iOS, every header variant of chat-export-formats.md 1.2).
///
/// Two ways in: `parse(bytes:file:options:)` gives the whole `ParsedChat` (`chatsieve parse` reads through
/// `ChatReader.read`, which parses without the all-or-nothing UTF-8 check and leaves out only the messages holding a
/// bad byte); the scan engine
/// uses the allocation-free span API instead: `analyse` once per file, then `forEachSpan` per chunk (chunks split at
/// `nextMessageBoundary`), then `message(from:)` only for spans it needs as records.
public enum WhatsAppParser {
    /// Whole-file parse: validates UTF-8, infers the layout, and returns every message plus every unparsed line
    /// and warning. Throws `InputError` (with the first bad line) for invalid UTF-8 or binary data.
    public static func parse(bytes: UnsafeRawBufferPointer, file: String, options: ParseOptions) throws -> ParsedChat {
        try validateText(bytes, file: file)
        return parseUnchecked(bytes: bytes, file: file, options: options)
    }

    /// `parse` without the UTF-8 check: a message holding a NUL byte or invalid UTF-8 gets U+FFFD in its text (the
    /// caller drops or reports it: `InvalidTextMessages`).
    static func parseUnchecked(bytes: UnsafeRawBufferPointer, file: String, options: ParseOptions) -> ParsedChat {
        var opts = options
        if opts.chatName == nil { opts.chatName = chatName(fromFileName: file) }
        let layout = analyse(bytes, options: opts)
        var messages: [Message] = []
        var issues: [ParseIssue] = []
        var unparsedLines = 0
        if layout.template == nil && bytes.count > 0 {
            issues.append(ParseIssue(file: file, line: nil, severity: .warning,
                                     reason: "no WhatsApp message header found; every line is reported as unparsed"))
        }
        for w in layout.warnings where w == "ambiguous-date-order" {
            issues.append(ParseIssue(file: file, line: nil, severity: .warning,
                                     reason: "ambiguous-date-order: no date decides day/month order; read as day first "
                                        + "(use --date-order dmy|mdy|ymd to override)"))
        }
        forEachSpan(bytes, layout: layout, range: 0..<bytes.count, startLine: 1, unparsed: { line, _ in
            unparsedLines += 1
            issues.append(ParseIssue(file: file, line: line, severity: .unparsed,
                                     reason: "line before the first message header"))
        }, body: { span in
            let m = message(from: span, bytes: bytes, layout: layout, file: file, chat: opts.chatName,
                            index: messages.count)
            if span.mismatch {
                issues.append(ParseIssue(file: file, line: span.line, severity: .warning,
                                         reason: "header-format-mismatch: a line that looks like a header of another "
                                            + "template (or an invalid date) was kept as a continuation of this message"))
            }
            messages.append(m)
            return true
        })
        return ParsedChat(file: file, format: .whatsapp, chat: opts.chatName, messages: messages, issues: issues,
                          totalLines: lineCount(bytes, layout: layout), unparsedLines: unparsedLines)
    }

    /// Builds the full record for one span: timestamp, normalised sender, verbatim text, warnings.
    public static func message(from span: WhatsAppSpan, bytes: UnsafeRawBufferPointer, layout: WhatsAppLayout,
                               file: String, chat: String?, index: Int) -> Message {
        message(from: span, header: nil, bytes: bytes, layout: layout, file: file, chat: chat, index: index)
    }

    /// The same; `header` = the span's header fields when the caller has scanned them already.
    static func message(from span: WhatsAppSpan, header: WAHeaderFields?, bytes: UnsafeRawBufferPointer,
                        layout: WhatsAppLayout, file: String, chat: String?, index: Int) -> Message {
        var timestamp: String? = nil
        var warnings: [String] = []
        var fields = header
        if fields == nil, let base = bytes.baseAddress {
            let p = base.assumingMemoryBound(to: UInt8.self)
            let (firstEnd, _) = lineBounds(base, p, span.start, span.end, layout.crOnly)
            var h = WAHeaderFields()
            if WAHeaderScanner.scan(p, span.start, firstEnd, allowMarker: layout.hasMarker, into: &h) { fields = h }
        }
        if let h = fields, let (y, m, d) = WAHeaderScanner.date(h, dayFirst: layout.dayFirst) {
            timestamp = isoTimestamp(y, m, d, h.hour24, h.minute, h.second)
        }
        if span.mismatch { warnings.append("header-format-mismatch") }
        if layout.dateOrderAmbiguous { warnings.append("ambiguous-date-order") }
        let text = span.textEnd > span.textStart
            ? String(decoding: UnsafeRawBufferPointer(rebasing: bytes[span.textStart..<span.textEnd]), as: UTF8.self)
            : ""
        let sender = span.senderStart >= 0
            ? normaliseSender(UnsafeRawBufferPointer(rebasing: bytes[span.senderStart..<span.senderEnd])) : nil
        return Message(file: file, chat: chat, sender: sender, timestamp: timestamp, text: text, kind: span.kind,
                       line: span.line, lineEnd: span.lineEnd, byteStart: span.start, byteEnd: span.end,
                       messageIndex: index, format: .whatsapp, warnings: warnings,
                       textOrigin: .verbatim(span.textStart))
    }

    /// `2019-01-01T11:25:00`.
    static func isoTimestamp(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int) -> String {
        String(unsafeUninitializedCapacity: 19) { out in
            @inline(__always) func put(_ at: Int, _ v: Int, _ width: Int) {
                var v = v
                var k = at + width - 1
                while k >= at { out[k] = UInt8(0x30 + v % 10); v /= 10; k -= 1 }
            }
            put(0, y, 4); out[4] = 0x2D; put(5, mo, 2); out[7] = 0x2D; put(8, d, 2); out[10] = 0x54
            put(11, h, 2); out[13] = 0x3A; put(14, mi, 2); out[16] = 0x3A; put(17, s, 2)
            return 19
        }
    }

    /// Sender as shown to users: invisible marks removed, spaces trimmed, the `~ ` (not-a-contact) prefix removed, NFC.
    static func normaliseSender(_ raw: UnsafeRawBufferPointer) -> String {
        guard let base = raw.baseAddress, raw.count > 0 else { return "" }
        let p = base.assumingMemoryBound(to: UInt8.self)
        var (a, b) = WAMatch.trim(p, 0, raw.count)
        if a < b && p[a] == 0x7E { (a, b) = WAMatch.trim(p, a + 1, b) }
        var out = [UInt8]()
        out.reserveCapacity(b - a)
        var i = a
        while i < b {
            let n = WABytes.invisibleLength(p, i, b)
            if n > 0 { i += n; continue }
            out.append(p[i])
            i += 1
        }
        // ASCII is already NFC; other names go through Foundation once per distinct spelling.
        if out.allSatisfy({ $0 < 0x80 }) { return String(decoding: out, as: UTF8.self) }
        return SenderNFCCache.shared.nfc(out)
    }

    /// Chat name from an export's file name: `WhatsApp Chat with X.txt`, `WhatsApp-Chat mit X.txt`,
    /// `WhatsApp Chat - X.zip` give X; anything else gives the file stem. Directories in the path are ignored.
    public static func chatName(fromFileName name: String) -> String {
        var base = name
        if let bang = base.range(of: "!/", options: .backwards) { base = String(base[..<bang.lowerBound]) }
        if let slash = base.lastIndex(of: "/") { base = String(base[base.index(after: slash)...]) }
        for ext in [".txt", ".zip", ".TXT", ".ZIP"] where base.hasSuffix(ext) {
            base = String(base.dropLast(ext.count))
            break
        }
        let prefixes = ["WhatsApp Chat with ", "WhatsApp-Chat mit ", "WhatsApp Chat mit ", "WhatsApp Chat - ",
                        "WhatsApp-Chat - ", "Chat de WhatsApp con ", "Chat WhatsApp con ", "Conversa do WhatsApp com ",
                        "Discussion WhatsApp avec "]
        for prefix in prefixes where base.hasPrefix(prefix) && base.count > prefix.count {
            return String(base.dropFirst(prefix.count)).precomposedStringWithCanonicalMapping
        }
        return base.precomposedStringWithCanonicalMapping
    }

    /// Content sniffing for format detection: true when the first ~200 lines of `prefix` hold WhatsApp headers
    /// (the first non-blank line, or at least a third of the non-blank lines).
    public static func looksLikeWhatsApp(_ prefix: UnsafeRawBufferPointer) -> Bool {
        let n = prefix.count
        guard n > 0, let base = prefix.baseAddress else { return false }
        let p = base.assumingMemoryBound(to: UInt8.self)
        let crOnly = memchr(base, 0x0A, n) == nil
        var i = (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) ? 3 : 0
        var lines = 0, nonBlank = 0, headers = 0
        var firstIsHeader: Bool? = nil
        var h = WAHeaderFields()
        while i < n && lines < 200 {
            let (ce, next) = lineBounds(base, p, i, n, crOnly)
            lines += 1
            if WABytes.skipBlank(p, i, ce) < ce {
                nonBlank += 1
                var isHeader = WABytes.mayStartHeader(p[i]) && WAHeaderScanner.scan(p, i, ce, allowMarker: true, into: &h)
                // Without a separator a header is only convincing with a `sender: ` after it.
                if isHeader && (h.signature >> WASig.separatorShift) & 7 == 4 {
                    var j = h.restStart
                    while j + 1 < ce && !(p[j] == 0x3A && p[j + 1] == 0x20) { j += 1 }
                    isHeader = j + 1 < ce
                }
                if isHeader { headers += 1 }
                if firstIsHeader == nil { firstIsHeader = isHeader }
            }
            i = next
        }
        return headers > 0 && (firstIsHeader == true || headers * 3 >= nonBlank)
    }
}

/// NFC forms of the non-ASCII sender fields seen so far (a chat has few senders, and Foundation's normalisation
/// costs microseconds). Shared by every thread; bounded.
final class SenderNFCCache: @unchecked Sendable {
    static let shared = SenderNFCCache()
    private let lock = NSLock()
    private var forms: [[UInt8]: String] = [:]

    func nfc(_ bytes: [UInt8]) -> String {
        lock.lock()
        if let s = forms[bytes] { lock.unlock(); return s }
        lock.unlock()
        let s = String(decoding: bytes, as: UTF8.self).precomposedStringWithCanonicalMapping
        lock.lock()
        if forms.count >= 4096 { forms.removeAll(keepingCapacity: true) }
        forms[bytes] = s
        lock.unlock()
        return s
    }
}
