import ChatModel
import ChatParsers
import Foundation

/// Bytes that stay valid as long as their owner lives: a memory-mapped file or an inflated zip member.
public protocol ByteOwner: AnyObject, Sendable {
    var bytes: UnsafeRawBufferPointer { get }
}

extension MappedFile: ByteOwner {}

/// An owned copy of bytes (an inflated zip member).
public final class OwnedBytes: ByteOwner, @unchecked Sendable {
    public let bytes: UnsafeRawBufferPointer
    public init(_ data: Data) {
        let p = UnsafeMutableRawBufferPointer.allocate(byteCount: max(data.count, 1), alignment: 16)
        data.withUnsafeBytes { if $0.count > 0 { p.copyMemory(from: $0) } }
        bytes = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(p)[0..<data.count])
    }
    deinit { UnsafeMutableRawBufferPointer(mutating: bytes).deallocate() }
}

/// A WhatsApp text export scanned in place: the layout is inferred once (`WhatsAppParser.analyse`), chunks are cut
/// at message boundaries, and messages are located with the parser's allocation-free span API. Message texts are
/// file ranges, so the prefilter scans the file bytes directly and hits map to file offsets verbatim.
public final class WhatsAppSpanSource: ChunkedMessageSource, @unchecked Sendable {
    public let displayPath: String
    public let chat: String?
    public var format: SourceFormat { .whatsapp }
    public var relativeLines: Bool { true }
    public var buffer: UnsafeRawBufferPointer { owner.bytes }
    let owner: ByteOwner
    let layout: WhatsAppLayout
    let chunks: [Range<Int>]
    let fileIssues: [ParseIssue]
    let terminator: Int32

    /// `threads`: how many parts of a large file the layout pass reads at once (see `WhatsAppParser.analyse`).
    public init(owner: ByteOwner, displayPath: String, options: ParseOptions, chatName: String?, chunkBytes: Int = 2 << 20,
                threads: Int = 1) {
        self.owner = owner; self.displayPath = displayPath
        var opts = options
        if opts.chatName == nil { opts.chatName = chatName ?? WhatsAppParser.chatName(fromFileName: displayPath) }
        chat = opts.chatName
        let bytes = owner.bytes
        layout = WhatsAppParser.analyse(bytes, options: opts, parts: threads)
        terminator = layout.crOnly ? 0x0D : 0x0A
        var cuts: [Range<Int>] = []
        var start = 0
        // Files of a few MB still get enough chunks to keep every core busy to the end (at least 256 KiB each: a 1 MB
        // export is four chunks, scanned 13 % faster on two cores than as one 1 MiB chunk).
        let target = min(chunkBytes, max(256 << 10, bytes.count / 16))
        while start < bytes.count {
            var next = WhatsAppParser.nextMessageBoundary(bytes, layout: layout, from: min(bytes.count, start + target))
            if next <= start { next = bytes.count }
            cuts.append(start..<next)
            start = next
        }
        chunks = cuts
        var issues: [ParseIssue] = []
        if layout.template == nil && bytes.count > 0 {
            issues.append(ParseIssue(file: displayPath, severity: .warning,
                                     reason: "no WhatsApp message header found; every line is reported as unparsed"))
        }
        if layout.dateOrderAmbiguous {
            issues.append(ParseIssue(file: displayPath, severity: .warning,
                                     reason: "ambiguous-date-order: no date decides day/month order; read as day first (use --date-order dmy|mdy|ymd to override)"))
        }
        fileIssues = issues
    }

    public var chunkCount: Int { chunks.count }

    public func messages(inChunk k: Int, reusing storage: consuming [MessageSpan]) -> ChunkMessages {
        let r = chunks[k]
        let bytes = owner.bytes
        var issues: [ParseIssue] = k == 0 ? fileIssues : []
        let valid = UTF8Validation.firstProblem(UnsafeRawBufferPointer(rebasing: bytes[r]), rejectNUL: true) == nil
        var spans = storage
        spans.removeAll(keepingCapacity: true)
        spans.reserveCapacity(r.count / 60)
        var senders = SenderTally()
        let path = displayPath
        var lastLine = 0
        WhatsAppParser.forEachSpan(bytes, layout: layout, range: r, startLine: 1, unparsed: { line, _ in
            lastLine = max(lastLine, line)
            issues.append(ParseIssue(file: path, line: line, severity: .unparsed, reason: "line before the first message header"))
        }, body: { s in
            lastLine = max(lastLine, s.lineEnd)
            spans.append(MessageSpan(start: s.start, end: s.end, textStart: s.textStart, textEnd: s.textEnd, line: s.line,
                                     lineEnd: s.lineEnd, scannable: s.kind == .text || s.kind == .edited))
            if s.mismatch {
                issues.append(ParseIssue(file: path, line: s.line, severity: .warning,
                                         reason: "header-format-mismatch: a line that looks like a header of another template (or an invalid date) was kept as a continuation of this message"))
            }
            if s.senderStart >= 0 && s.kind != .system { senders.add(bytes, s) }
            return true
        })
        if !valid {
            issues += InvalidUTF8Messages.exclude(bytes, range: r, spans: &spans, file: displayPath, terminator: UInt8(terminator))
        }
        var counts: [String: Int] = [:]
        for (span, n) in senders.entries {
            let name = WhatsAppParser.message(from: span, bytes: bytes, layout: layout, file: displayPath, chat: chat, index: 0).sender ?? ""
            counts[name, default: 0] += n
        }
        // A chunk other than the last ends just before a message header, so its lines are exactly the lines seen;
        // the last chunk's count is never used as a base.
        let newlines = k + 1 < chunks.count && lastLine > 0 ? lastLine : countTerminators(r)
        return ChunkMessages(spans: spans, newlines: newlines, issues: issues, senderCounts: counts)
    }

    func countTerminators(_ r: Range<Int>) -> Int {
        guard let base = owner.bytes.baseAddress else { return 0 }
        var n = 0, p = r.lowerBound
        while p < r.upperBound, let q = memchr(base + p, terminator, r.upperBound - p) {
            n += 1; p = base.distance(to: UnsafeRawPointer(q)) + 1
        }
        return n
    }

    public func materialise(_ s: MessageSpan, chunk k: Int, localIndex: Int) -> Message {
        // Rebuild the parser's record for this message (kind and mismatch come from the classifier again).
        WhatsAppParser.message(at: s.start, end: s.end, line: s.line, lineEnd: s.lineEnd, in: owner.bytes, layout: layout,
                               file: displayPath, chat: chat, index: localIndex)
            ?? Message(file: displayPath, chat: chat, sender: nil, timestamp: nil, text: "", kind: .text, line: s.line,
                       lineEnd: s.lineEnd, byteStart: s.start, byteEnd: s.end, messageIndex: localIndex, format: .whatsapp)
    }
}

/// Counts messages per raw sender field without allocating per message (a chat has few distinct senders). Fields
/// are found through an open-addressing table keyed by their length and their first and last eight bytes, which
/// settle fields of up to 16 bytes exactly; a `memcmp` settles longer ones. The table is kept at most a quarter
/// full, so a lookup almost always settles at its first slot.
struct SenderTally {
    var entries: [(span: WhatsAppSpan, count: Int)] = []
    private var keys: [Key] = []
    /// Entry index + 1 per slot (0 = empty); the size is a power of two, at most a quarter full.
    private var slots = [Int32](repeating: 0, count: 256)

    struct Key: Equatable {
        var length: Int
        var head: UInt64
        var tail: UInt64
    }

    /// Length, first eight bytes (zero-padded) and last eight bytes (0 up to eight bytes) of a sender field.
    @inline(__always)
    static func key(_ base: UnsafeRawPointer, count: Int, _ s: WhatsAppSpan) -> Key {
        let len = s.senderEnd - s.senderStart
        if len > 8 {
            return Key(length: len, head: base.loadUnaligned(fromByteOffset: s.senderStart, as: UInt64.self),
                       tail: base.loadUnaligned(fromByteOffset: s.senderEnd - 8, as: UInt64.self))
        }
        if s.senderStart + 8 <= count {
            // Eight bytes are readable: keep the field's own bytes.
            let w = base.loadUnaligned(fromByteOffset: s.senderStart, as: UInt64.self)
            return Key(length: len, head: len == 8 ? w : w & ((1 << (8 * UInt64(len))) - 1), tail: 0)
        }
        var h: UInt64 = 0
        for k in 0..<len { h |= UInt64(base.load(fromByteOffset: s.senderStart + k, as: UInt8.self)) << (8 * UInt64(k)) }
        return Key(length: len, head: h, tail: 0)
    }

    @inline(__always)
    static func slot(_ k: Key, mask: Int) -> Int {
        Int(truncatingIfNeeded: ((k.head ^ (k.tail &* 31) ^ UInt64(k.length)) &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }

    mutating func add(_ bytes: UnsafeRawBufferPointer, _ s: WhatsAppSpan) {
        guard let base = bytes.baseAddress else { return }
        let k = SenderTally.key(base, count: bytes.count, s)
        let mask = slots.count - 1
        var at = SenderTally.slot(k, mask: mask)
        while slots[at] != 0 {
            let i = Int(slots[at]) - 1
            if keys[i] == k && (k.length <= 16 || memcmp(base + entries[i].span.senderStart, base + s.senderStart, k.length) == 0) {
                entries[i].count += 1
                return
            }
            at = (at + 1) & mask
        }
        entries.append((span: s, count: 1))
        keys.append(k)
        slots[at] = Int32(entries.count)
        if 4 * entries.count > slots.count { rehash() }
    }

    private mutating func rehash() {
        slots = [Int32](repeating: 0, count: 2 * slots.count)
        let mask = slots.count - 1
        for (i, k) in keys.enumerated() {
            var at = SenderTally.slot(k, mask: mask)
            while slots[at] != 0 { at = (at + 1) & mask }
            slots[at] = Int32(i + 1)
        }
    }
}
