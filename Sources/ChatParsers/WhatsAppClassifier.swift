import ChatModel

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
    ///   `textEnd` = end of the message's last line; `chatName` = the chat's name as UTF-8 (may be empty).
    @inline(__always)
    static func classify(_ p: UnsafePointer<UInt8>, rest: Int, firstEnd: Int, textEnd: Int,
                         chatName: UnsafeBufferPointer<UInt8>, catalogue cat: WACatalogue) -> WAClassified {
        // First ": " on the header line, or a final ":" (empty body). Sender names are short: a plain loop that
        // also notes whether a quote could precede the colon: `"`, or the lead byte of a curly or low quote (E2) or
        // of a guillemet (C2), the only bytes `senderHasQuote` looks for.
        var colon = firstEnd
        var special = false
        var j = rest
        // 8 bytes at a time: find a ':' and note any '"', E2 or C2 byte (over-approximated per word).
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        while j + 8 <= firstEnd {
            let w = UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self)
            let c = w ^ 0x3A3A_3A3A_3A3A_3A3A
            let colons = (c &- ones) & ~c & high
            let q = w ^ 0x2222_2222_2222_2222, e2 = w ^ 0xE2E2_E2E2_E2E2_E2E2, c2 = w ^ 0xC2C2_C2C2_C2C2_C2C2
            if ((q &- ones) & ~q | (e2 &- ones) & ~e2 | (c2 &- ones) & ~c2) & high != 0 { special = true }
            if colons == 0 { j += 8; continue }
            let at = j + colons.trailingZeroBitCount >> 3
            if at + 1 == firstEnd || p[at + 1] == 0x20 { colon = at; break }
            j = at + 1
        }
        if colon == firstEnd {
            while j < firstEnd {
                let b = p[j]
                if b == 0x3A && (j + 1 == firstEnd || p[j + 1] == 0x20) { colon = j; break }
                special = special || b == 0x22 || b == 0xE2 || b == 0xC2
                j += 1
            }
        }
        if colon >= firstEnd {
            // No author: a system notice (or a call notice such as `X started a call`).
            let kind: MessageKind = anyFragment(p, rest, firstEnd, cat, cat.callFragments) ? .call : .system
            return WAClassified(kind: kind, senderStart: -1, senderEnd: -1, textStart: rest)
        }
        let system = WAClassified(kind: .system, senderStart: -1, senderEnd: -1, textStart: rest)
        if special && senderHasQuote(p, rest, colon) && anyFragment(p, rest, firstEnd, cat, cat.systemFragments) { return system }
        let bodyStart = min(colon + 2, firstEnd)
        var result = WAClassified(kind: .text, senderStart: rest, senderEnd: colon, textStart: bodyStart)
        // Trimmed first line of the body; the common case (ASCII letter at both ends) costs two comparisons.
        var s = bodyStart, e = firstEnd
        guard s < e else { return result }
        if p[s] >= 0x80 || p[s] == 0x20 || p[e - 1] >= 0x80 || p[e - 1] == 0x20 { (s, e) = WAMatch.trim(p, s, e) }
        guard s < e else { return result }
        let len = e - s
        var k = cat.firstStart[Int(p[s])]
        let kEnd = cat.firstStart[Int(p[s]) + 1]
        // Most bodies start with two bytes that start no pattern; unless one of them may start an invisible mark
        // (which `WAMatch.prefix` skips), that rules out every pattern of the bucket.
        if k < kEnd && len >= 2 {
            let b0 = p[s], b1 = p[s + 1]
            if b0 != 0xE2 && b0 != 0xEF && b1 != 0xE2 && b1 != 0xEF && !cat.startsPattern(b0, b1) { k = kEnd }
        }
        // Up to four leading bytes at once; a first difference at a byte that cannot start an invisible mark
        // rules the pattern out exactly as `WAMatch.prefix` would.
        let subjectHead: UInt32 = len >= 4 ? UnsafeRawPointer(p + s).loadUnaligned(as: UInt32.self) : 0
        while k < kEnd {
            let (pat, info) = cat.pattern(k)
            if len >= info.length && len <= info.maxLength {
                let diff = (subjectHead ^ cat.heads[k]) & cat.headMasks[k]
                if diff != 0 && len >= 4 {
                    let b = p[s + diff.trailingZeroBitCount >> 3]
                    if b != 0xE2 && b != 0xEF { k += 1; continue }
                }
                let end = WAMatch.prefix(p, s, e, pat, info.length)
                if end >= 0 && (info.mode == .prefix || end == e) {
                    if info.kind == .system { return system }
                    result.kind = info.kind
                    return result
                }
            }
            k += 1
        }
        k = cat.lastStart[Int(p[e - 1])]
        let lEnd = cat.lastStart[Int(p[e - 1]) + 1]
        while k < lEnd {
            let (pat, info) = cat.pattern(k)
            if len <= info.maxLength && WAMatch.suffix(p, s, e, pat, info.length) >= 0 {
                result.kind = info.kind
                return result
            }
            k += 1
        }
        // iOS notices attributed to the chat: `[…] Group: \u{200E}Anna added Bob`.
        if p[bodyStart] == 0xE2 && bodyStart + 2 < firstEnd && p[bodyStart + 1] == 0x80 && p[bodyStart + 2] == 0x8E
            && senderIsChat(p, rest, colon, chatName) && anyFragment(p, s, e, cat, cat.systemFragments) {
            return system
        }
        // Edited: a suffix at the very end of the message.
        var te = textEnd
        while te > s && (p[te - 1] == 0x20 || p[te - 1] == 0x0D || p[te - 1] == 0x0A) { te -= 1 }
        if te > s && p[te - 1] == 0x3E {
            for k in cat.edited {
                let (pat, info) = cat.pattern(k)
                if WAMatch.suffix(p, s, te, pat, info.length) >= 0 {
                    result.kind = .edited
                    return result
                }
            }
        }
        return result
    }

    /// True when `[s, e)` contains one of the catalogue's fragments in `range`.
    static func anyFragment(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, _ cat: WACatalogue, _ range: Range<Int>) -> Bool {
        for k in range {
            let (pat, info) = cat.pattern(k)
            if WAMatch.contains(p, s, e, pat, info.length) { return true }
        }
        return false
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
    static func senderIsChat(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, _ name: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let nameBase = name.baseAddress, name.count > 0 else { return true }
        var (a, b) = WAMatch.trim(p, s, e)
        if a < b && p[a] == 0x7E { (a, b) = WAMatch.trim(p, a + 1, b) }
        return WAMatch.prefix(p, a, b, nameBase, name.count) == b
    }
}
