import ChatModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a classified message's parts are: kind, sender range (-1 when there is no human author) and body start.
struct WAClassified {
    var kind: MessageKind
    var senderStart: Int
    var senderEnd: Int
    var textStart: Int
}

extension WhatsAppParser {
    /// Splits a header line's rest at the first `": "` and classifies the message by its text (catalogue 1.9).
    /// The system catalogue is consulted before the sender split, so `X changed the subject to "a: b"` is a notice.
    /// - Parameters: `rest` = first byte after the header; `firstEnd` = end of the header line (no terminator);
    ///   `textEnd` = end of the message's last line.
    @inline(__always)
    static func classify(_ p: UnsafePointer<UInt8>, rest: Int, firstEnd: Int, textEnd: Int,
                         layout: WhatsAppLayout, catalogue cat: WACatalogue) -> WAClassified {
        // First ": " on the header line, or a final ":" (empty body).
        var colon = -1
        var j = rest
        while j < firstEnd {
            guard let q = memchr(p + j, 0x3A, firstEnd - j) else { break }
            let c = UnsafePointer<UInt8>(q.assumingMemoryBound(to: UInt8.self)) - p
            if c + 1 == firstEnd || p[c + 1] == 0x20 { colon = c; break }
            j = c + 1
        }
        if colon < 0 {
            // No author: a system notice (or a call notice such as `X started a call`).
            for f in cat.callFragments where WAMatch.contains(p, rest, firstEnd, f) {
                return WAClassified(kind: .call, senderStart: -1, senderEnd: -1, textStart: rest)
            }
            return WAClassified(kind: .system, senderStart: -1, senderEnd: -1, textStart: rest)
        }
        if senderHasQuote(p, rest, colon) {
            for f in cat.systemFragments where WAMatch.contains(p, rest, firstEnd, f) {
                return WAClassified(kind: .system, senderStart: -1, senderEnd: -1, textStart: rest)
            }
        }
        let bodyStart = min(colon + 2, firstEnd)
        var result = WAClassified(kind: .text, senderStart: rest, senderEnd: colon, textStart: bodyStart)
        let (s, e) = WAMatch.trim(p, bodyStart, firstEnd)
        guard s < e else { return result }
        let len = e - s
        for entry in cat.byFirst[Int(p[s])] where len <= entry.maxLength {
            let end = WAMatch.prefix(p, s, e, entry.bytes)
            if end >= 0 && (entry.mode == .prefix || end == e) {
                return settle(&result, entry.kind, rest)
            }
        }
        for entry in cat.byLast[Int(p[e - 1])] where len <= entry.maxLength {
            if WAMatch.suffix(p, s, e, entry.bytes) >= 0 { return settle(&result, entry.kind, rest) }
        }
        // iOS notices attributed to the chat: `[…] Group: \u{200E}Anna added Bob`.
        if p[bodyStart] == 0xE2 && bodyStart + 2 < firstEnd && p[bodyStart + 1] == 0x80 && p[bodyStart + 2] == 0x8E
            && senderIsChat(p, rest, colon, layout) {
            for f in cat.systemFragments where WAMatch.contains(p, s, e, f) {
                return settle(&result, .system, rest)
            }
        }
        // Edited: a suffix at the very end of the message.
        let (_, te) = WAMatch.trim(p, bodyStart, textEnd)
        if te > s && p[te - 1] == 0x3E {
            for suffix in cat.edited where WAMatch.suffix(p, s, te, suffix) >= 0 {
                result.kind = .edited
                return result
            }
        }
        return result
    }

    @inline(__always)
    private static func settle(_ r: inout WAClassified, _ kind: MessageKind, _ rest: Int) -> WAClassified {
        r.kind = kind
        if kind == .system { r.senderStart = -1; r.senderEnd = -1; r.textStart = rest }
        return r
    }

    /// True when `[s, e)` holds a straight, curly or low quote or a guillemet (a notice quoting a group name).
    @inline(__always)
    static func senderHasQuote(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        var i = s
        while i < e {
            let b = p[i]
            if b == 0x22 { return true }
            if b == 0xE2 && i + 2 < e && p[i + 1] == 0x80 && p[i + 2] >= 0x9C && p[i + 2] <= 0x9E { return true }
            if b == 0xC2 && i + 1 < e && (p[i + 1] == 0xAB || p[i + 1] == 0xBB) { return true }
            i += 1
        }
        return false
    }

    /// True when the sender field names the chat itself (or the chat name is unknown).
    @inline(__always)
    static func senderIsChat(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, _ layout: WhatsAppLayout) -> Bool {
        let name = layout.chatNameBytes
        if name.isEmpty { return true }
        var (a, b) = WAMatch.trim(p, s, e)
        if a < b && p[a] == 0x7E { (a, b) = WAMatch.trim(p, a + 1, b) }
        return WAMatch.prefix(p, a, b, name) == b
    }
}
