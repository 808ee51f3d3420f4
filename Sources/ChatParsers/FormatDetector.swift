import ChatModel
import CScanKernels
import Foundation

/// Tells what a file is from its content (catalogue §7), not from its name: a zip archive, one of the JSON chat
/// exports, a WhatsApp text export, other text, or binary data. The name is only used to tell Instagram from
/// Messenger, which share one JSON shape.
public enum FormatDetector {
    /// What the content of a file looks like.
    public enum Sniff: Equatable, Sendable {
        /// A chat export in this format.
        case chat(SourceFormat)
        /// A zip archive (its members are looked at separately).
        case zipArchive
        /// UTF-8 text that is not a known chat format (read as `lines` only when asked for).
        case plainText
        /// JSON that holds no known chat structure.
        case otherJSON
        /// Not text: the reason says why (a NUL byte).
        case binary(String)
        /// Text-like bytes with an invalid UTF-8 sequence near the start (at this offset).
        case invalidUTF8(Int)
        case empty
    }

    /// How many leading bytes the text sniffers look at.
    static let prefixLength = 64 * 1024
    /// How far into a JSON document the key sniffer looks before it scans the whole file.
    static let jsonWindow = 1 << 20

    /// Sniffs the bytes of a file; `path` is used only for the Instagram hint.
    public static func sniff(_ bytes: UnsafeRawBufferPointer, path: String) -> Sniff {
        if bytes.isEmpty { return .empty }
        if bytes.count >= 4, bytes[0] == 0x50, bytes[1] == 0x4B,
           (bytes[2] == 0x03 && bytes[3] == 0x04) || (bytes[2] == 0x05 && bytes[3] == 0x06) {
            return .zipArchive
        }
        let prefix = UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, prefixLength)])
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            let order = bytes[0] == 0xFF ? "UTF-16LE" : "UTF-16BE"
            return .binary("\(order) text (byte-order mark \(bytes[0] == 0xFF ? "FF FE" : "FE FF"); exports are read as UTF-8: "
                           + "convert it first, e.g. iconv -f UTF-16 -t UTF-8)")
        }
        if let base = prefix.baseAddress, let hit = memchr(base, 0, prefix.count) {
            return .binary("binary data (NUL byte at offset \(base.distance(to: UnsafeRawPointer(hit))))")
        }
        let first = JSONScanner(bytes).skipSpace(0)
        if first < bytes.count, bytes[first] == 0x7B || bytes[first] == 0x5B {
            if let f = sniffJSON(bytes, path: path) { return .chat(f) }
            // a JSON-looking file can still be a text chat whose first line starts with '[' (iOS WhatsApp)
            if WhatsAppParser.looksLikeWhatsApp(prefix) { return .chat(.whatsapp) }
            return invalidPrefix(prefix).map { .invalidUTF8($0) } ?? .otherJSON
        }
        if WhatsAppParser.looksLikeWhatsApp(prefix) { return .chat(.whatsapp) }
        return invalidPrefix(prefix).map { .invalidUTF8($0) } ?? .plainText
    }

    /// Offset of the first invalid UTF-8 byte in the prefix, ignoring a multi-byte sequence cut by the prefix end.
    static func invalidPrefix(_ prefix: UnsafeRawBufferPointer) -> Int? {
        guard let bad = Mojibake.firstInvalidUTF8Offset(prefix) else { return nil }
        return bad >= prefix.count - 3 && prefix.count == prefixLength ? nil : bad
    }

    /// JSON sniffing by key names (§7): Messenger/Instagram (`sender_name` + `timestamp_ms`), Messenger E2EE
    /// (`senderName`), Telegram (`date_unixtime`, `from_id`, `actor_id`, `text_entities`, or `chats` + `list`).
    static func sniffJSON(_ bytes: UnsafeRawBufferPointer, path: String) -> SourceFormat? {
        var window = UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, jsonWindow)])
        while true {
            if let f = classify(window, path: path) { return f }
            if window.count == bytes.count { return nil }
            window = bytes
        }
    }

    private static func classify(_ w: UnsafeRawBufferPointer, path: String) -> SourceFormat? {
        guard contains(w, "\"messages\"") else { return nil }
        if contains(w, "\"sender_name\""), contains(w, "\"timestamp_ms\"") {
            return looksLikeInstagram(w, path: path) ? .instagram : .messenger
        }
        if contains(w, "\"senderName\"") { return .messengerE2EE }
        let telegramKeys = ["\"date_unixtime\"", "\"from_id\"", "\"actor_id\"", "\"text_entities\"", "\"personal_information\""]
        if telegramKeys.contains(where: { contains(w, $0) }) { return .telegram }
        if contains(w, "\"date\""), contains(w, "\"type\": \"message\"") || contains(w, "\"type\":\"message\"")
            || contains(w, "\"type\": \"service\"") || contains(w, "\"type\":\"service\"") {
            return .telegram
        }
        return nil
    }

    /// Instagram when the path says so, or when the `thread_path` folder looks like an Instagram username
    /// (`jane.doe_1784…`: usernames may hold dots, Messenger's ASCII-folded folder names do not).
    static func looksLikeInstagram(_ w: UnsafeRawBufferPointer, path: String) -> Bool {
        let lower = path.lowercased()
        if lower.contains("instagram") { return true }
        guard let r = range(of: "\"thread_path\"", in: w) else { return false }
        var i = r.upperBound
        while i < w.count, [0x20, 0x3A, 0x0A, 0x0D, 0x09].contains(w[i]) { i += 1 }
        guard i < w.count, w[i] == 0x22 else { return false }
        var j = i + 1
        while j < w.count, w[j] != 0x22 { j += 1 }
        guard j < w.count else { return false }
        let value = String(decoding: UnsafeRawBufferPointer(rebasing: w[(i + 1)..<j]), as: UTF8.self)
        let folder = value.split(separator: "/").last.map(String.init) ?? value
        guard let underscore = folder.lastIndex(of: "_") else { return false }
        return folder[..<underscore].contains(".")
    }

    static func contains(_ w: UnsafeRawBufferPointer, _ needle: String) -> Bool { range(of: needle, in: w) != nil }

    /// Byte range of the first occurrence of `needle` in `w` (libc's `memmem`: a key that starts with `"` is not
    /// found by stopping at every quote of a large JSON file that lacks it).
    static func range(of needle: String, in w: UnsafeRawBufferPointer) -> Range<Int>? {
        let n = Array(needle.utf8)
        guard let base = w.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        let at = cs_find_bytes(base, w.count, n, n.count)
        return at < 0 ? nil : at..<(at + n.count)
    }
}
