import ChatModel

/// The WhatsApp system-message and placeholder catalogue (chat-export-formats.md 1.9) as byte patterns, indexed by
/// first and last byte so that a plain text message costs one table lookup. English and German, plus the Spanish,
/// Italian and Portuguese forms seen in issues.
final class WACatalogue: @unchecked Sendable {
    enum Mode: UInt8 { case exact, prefix, suffix }
    /// One pattern, stored as a range of `bytes` (flat storage: no reference counting in the hot path).
    struct Pattern {
        var offset: Int
        var length: Int
        var kind: MessageKind
        var mode: Mode
        /// Longest first line (bytes) the pattern applies to; placeholders and call notes are short.
        var maxLength: Int
    }

    static let shared = WACatalogue()

    /// All pattern bytes, back to back. Allocated once for the life of the process.
    let bytes: UnsafeMutablePointer<UInt8>
    let patterns: UnsafeMutablePointer<Pattern>
    /// `firstStart[b]..<firstStart[b+1]`: exact and prefix patterns whose first byte is `b`.
    let firstStart: UnsafeMutablePointer<Int>
    /// `lastStart[b]..<lastStart[b+1]`: suffix patterns whose last byte is `b`.
    let lastStart: UnsafeMutablePointer<Int>
    /// Bit `b0 | b1 << 8` is set when an exact or prefix pattern starts with bytes b0 b1 (every b1 for a one-byte
    /// pattern): 65536 bits.
    let firstPairs: UnsafeMutablePointer<UInt64>
    /// First four bytes of each pattern (little-endian, zero-padded) and the mask of the bytes it has.
    let heads: UnsafeMutablePointer<UInt32>
    let headMasks: UnsafeMutablePointer<UInt32>
    /// Suffixes that mark an edited message (end of the whole text).
    let edited: Range<Int>
    /// Fragments of group and security notices; used only when a body starts with U+200E and is attributed to the
    /// chat itself, or when a would-be sender holds a quote (`X changed the subject to "a: b"`).
    let systemFragments: Range<Int>
    /// Fragments that make an authorless notice a call (`X started a call`).
    let callFragments: Range<Int>

    /// True when an exact or prefix pattern starts with `b0 b1`.
    @inline(__always) func startsPattern(_ b0: UInt8, _ b1: UInt8) -> Bool {
        let bit = Int(b0) | Int(b1) << 8
        return firstPairs[bit >> 6] & (1 << UInt64(bit & 63)) != 0
    }

    @inline(__always) func pattern(_ k: Int) -> (UnsafePointer<UInt8>, Pattern) {
        let pat = patterns[k]
        return (UnsafePointer(bytes + pat.offset), pat)
    }

    private init() {
        var first: [[(String, MessageKind, Mode, Int)]] = Array(repeating: [], count: 256)
        var last: [[(String, MessageKind, Mode, Int)]] = Array(repeating: [], count: 256)
        func add(_ s: String, _ kind: MessageKind, _ mode: Mode, max: Int = 400) {
            let b = Array(s.utf8)
            if mode == .suffix { last[Int(b[b.count - 1])].append((s, kind, mode, max)) }
            else { first[Int(b[0])].append((s, kind, mode, max)) }
        }
        // Encryption and security notices: distinctive, so checked on every body (pseudo-sender = the chat).
        for s in ["Messages and calls are end-to-end encrypted", "Messages to this group are now secured with end-to-end",
                  "Messages you send to this group are now secured", "Messages to this chat and calls are now secured",
                  "Messages you send to this chat and calls are now secured",
                  "Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt", "Your security code with ",
                  "Dein Sicherheitscode für ", "Meta AI is an optional service from Meta",
                  "Los mensajes y las llamadas están cifrados de extremo a extremo"] {
            add(s, .system, .prefix)
        }
        // Media omitted (export without media).
        for s in ["<Media omitted>", "<Video message omitted>", "<Video note omitted>", "<Medien ausgeschlossen>",
                  "<Medien weggelassen>", "<Videonachricht weggelassen>", "<Multimedia omitido>", "<Media omessi>",
                  "<Mídia oculta>", "image omitted", "audio omitted", "video omitted", "GIF omitted",
                  "sticker omitted", "Contact card omitted", "video note omitted", "Bild weggelassen",
                  "Audio weggelassen", "Video weggelassen", "Sticker weggelassen", "GIF weggelassen",
                  "Kontaktkarte weggelassen", "Bild ausgelassen", "Audio ausgelassen", "Video ausgelassen",
                  "Sticker ausgelassen", "GIF ausgelassen", "Kontaktkarte ausgelassen", "imagen omitida",
                  "audio omitido", "video omitido", "sticker omitido"] {
            add(s, .media, .exact)
        }
        for s in ["document omitted", "Dokument weggelassen", "Dokument ausgelassen"] { add(s, .media, .suffix) }
        // Attachments (export with media).
        for s in ["(file attached)", "(archivo adjunto)", "(Datei angehängt)", "(arquivo anexado)", "(file allegato)",
                  "(fichier joint)", "<attached>"] {
            add(s, .attachment, .suffix)
        }
        for s in ["<attached: ", "< attached: ", "<Anhang: ", "<adjunto: ", "<allegato: "] { add(s, .attachment, .prefix) }
        // Deleted messages.
        for s in ["This message was deleted", "This message was deleted.", "You deleted this message",
                  "You deleted this message.", "Message deleted", "Diese Nachricht wurde gelöscht.",
                  "Diese Nachricht wurde gelöscht", "Du hast diese Nachricht gelöscht.",
                  "Du hast diese Nachricht gelöscht", "Se eliminó este mensaje.", "Eliminaste este mensaje.",
                  "Questo messaggio è stato eliminato", "Hai eliminato questo messaggio"] {
            add(s, .deleted, .exact)
        }
        // Calls.
        for s in ["Missed voice call", "Missed video call", "Missed group voice call", "Missed group video call",
                  "Voice call", "Video call", "Verpasster Sprachanruf", "Verpasster Videoanruf",
                  "Verpasster Gruppen-Sprachanruf", "Verpasster Gruppen-Videoanruf", "Sprachanruf", "Videoanruf",
                  "Llamada perdida", "Videollamada perdida"] {
            add(s, .call, .exact)
        }
        for s in ["Missed voice call. ", "Missed video call. ", "Voice call. ", "Video call. ", "Verpasster Sprachanruf. ",
                  "Verpasster Videoanruf. ", "Sprachanruf. ", "Videoanruf. "] {
            add(s, .call, .prefix, max: 64)
        }
        // Locations.
        for s in ["location: https://maps.google.com/", "Location: https://maps.google.com/",
                  "Standort: https://maps.google.com/", "ubicación: https://maps.google.com/",
                  "Ubicación: https://maps.google.com/"] {
            add(s, .location, .prefix)
        }
        for s in ["live location shared", "Live location shared", "Live-Standort wird geteilt.",
                  "Live-Standort wird geteilt", "Ubicación en tiempo real compartida"] {
            add(s, .location, .exact)
        }
        // Polls (Android: the body is `POLL:` and the question and options follow on continuation lines).
        for s in ["POLL:", "UMFRAGE:", "ENCUESTA:"] { add(s, .poll, .exact) }
        let editedList = ["<This message was edited>", "<Este mensaje fue editado>", "<Diese Nachricht wurde bearbeitet>",
                          "<Questo messaggio è stato modificato>", "<Esta mensagem foi editada>"]
        let systemList = [
            " added ", " added you", " removed ", " left", " created group", " created this group",
            " changed the subject", " changed the group", " changed this group", " deleted this group",
            " joined using", " changed their phone number", " changed to ", "security code", " were added",
            " was added", "You were added", "now an admin", "no longer an admin", "disappearing messages",
            "message timer", "blocked this contact", "unblocked this contact", "end-to-end encrypt", " is a contact",
            " pinned a message", " turned on ", " turned off ", "Meta AI", " hinzugefügt", " entfernt",
            " verlassen", " erstellt", " geändert", "Sicherheitscode", "Ende-zu-Ende", "blockiert", "beigetreten",
            "Betreff", "Gruppennamen", "Gruppenbeschreibung", "Gruppenbild", "Nachrichtendauer", "Telefonnummer",
        ]
        let callList = [" started a call", " started a video call", "Missed voice call", "Missed video call",
                        "Missed group", "hat einen Anruf gestartet", "Verpasster "]

        var flatBytes: [UInt8] = []
        var flat: [Pattern] = []
        func store(_ s: String, _ kind: MessageKind, _ mode: Mode, _ max: Int) {
            let b = Array(s.utf8)
            flat.append(Pattern(offset: flatBytes.count, length: b.count, kind: kind, mode: mode, maxLength: max))
            flatBytes += b
        }
        var fs = [Int](), ls = [Int]()
        for b in 0..<256 { fs.append(flat.count); for e in first[b] { store(e.0, e.1, e.2, e.3) } }
        fs.append(flat.count)
        for b in 0..<256 { ls.append(flat.count); for e in last[b] { store(e.0, e.1, e.2, e.3) } }
        ls.append(flat.count)
        var lo = flat.count
        for s in editedList { store(s, .edited, .suffix, 0) }
        edited = lo..<flat.count
        lo = flat.count
        for s in systemList { store(s, .system, .prefix, 0) }
        systemFragments = lo..<flat.count
        lo = flat.count
        for s in callList { store(s, .call, .prefix, 0) }
        callFragments = lo..<flat.count

        firstPairs = .allocate(capacity: 1024)
        firstPairs.initialize(repeating: 0, count: 1024)
        for k in 0..<fs[256] {
            let pat = flat[k]
            let b0 = Int(flatBytes[pat.offset])
            let seconds = pat.length >= 2 ? [Int(flatBytes[pat.offset + 1])] : Array(0..<256)
            for b1 in seconds { firstPairs[(b0 | b1 << 8) >> 6] |= 1 << UInt64((b0 | b1 << 8) & 63) }
        }
        heads = .allocate(capacity: flat.count)
        headMasks = .allocate(capacity: flat.count)
        for (k, pat) in flat.enumerated() {
            var head: UInt32 = 0, mask: UInt32 = 0
            for j in 0..<min(4, pat.length) {
                head |= UInt32(flatBytes[pat.offset + j]) << UInt32(8 * j)
                mask |= 0xFF << UInt32(8 * j)
            }
            heads[k] = head
            headMasks[k] = mask
        }
        bytes = .allocate(capacity: flatBytes.count)
        bytes.initialize(from: flatBytes, count: flatBytes.count)
        patterns = .allocate(capacity: flat.count)
        patterns.initialize(from: flat, count: flat.count)
        firstStart = .allocate(capacity: fs.count)
        firstStart.initialize(from: fs, count: fs.count)
        lastStart = .allocate(capacity: ls.count)
        lastStart.initialize(from: ls, count: ls.count)
    }
}

/// Byte matching that skips invisible marks in the subject (never in the pattern).
enum WAMatch {
    /// End of the match if `pat` is a prefix of `[s, e)`, else -1.
    @inline(__always)
    static func prefix(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, _ pat: UnsafePointer<UInt8>, _ m: Int) -> Int {
        var i = s
        var k = 0
        while k < m {
            guard i < e else { return -1 }
            if p[i] == pat[k] { i += 1; k += 1; continue }
            let n = WABytes.invisibleLength(p, i, e)
            if n == 0 { return -1 }
            i += n
        }
        return i
    }

    /// Start of the match if `pat` is a suffix of `[s, e)`, else -1.
    @inline(__always)
    static func suffix(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, _ pat: UnsafePointer<UInt8>, _ m: Int) -> Int {
        var i = e
        var k = m
        while k > 0 {
            guard i > s else { return -1 }
            if p[i - 1] == pat[k - 1] { i -= 1; k -= 1; continue }
            if i - 3 >= s && WABytes.invisibleLength(p, i - 3, e) == 3 { i -= 3; continue }
            return -1
        }
        return i
    }

    static func contains(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, _ pat: UnsafePointer<UInt8>, _ m: Int) -> Bool {
        guard m > 0, e - s >= m else { return false }
        let first = pat[0]
        var i = s
        while i + m <= e {
            if p[i] == first {
                var k = 1
                while k < m && p[i + k] == pat[k] { k += 1 }
                if k == m { return true }
            }
            i += 1
        }
        return false
    }

    /// `[s, e)` without leading and trailing spaces and invisible marks.
    @inline(__always)
    static func trim(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> (Int, Int) {
        let a = WABytes.skipBlank(p, s, e)
        var b = e
        while b > a {
            if p[b - 1] == 0x20 || p[b - 1] == 0x09 { b -= 1; continue }
            if b - 3 >= a && WABytes.invisibleLength(p, b - 3, e) == 3 { b -= 3; continue }
            if b - 2 >= a && p[b - 2] == 0xC2 && p[b - 1] == 0xA0 { b -= 2; continue }
            break
        }
        return (a, b)
    }
}
