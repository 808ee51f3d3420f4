import ChatModel

/// The guarded repair of Facebook's Latin-1 mojibake (catalogue §2.3), and UTF-8 checks on raw bytes.
///
/// Facebook's JSON writes every UTF-8 byte as its own `\u00XX` escape, so a decoder yields one scalar per byte.
/// If every scalar is at most U+00FF, the scalars are turned back into bytes and decoded as UTF-8; if a scalar is
/// above U+00FF, or the bytes are not valid UTF-8, the string is kept unchanged and the caller warns
/// `mojibake-not-fixable`. Pure ASCII strings are unchanged.
public enum Mojibake {
    /// Repairs one string; returns the (possibly) repaired string and what happened.
    static func repair(_ s: String) -> (String, MojibakeOutcome) {
        var raw: [UInt8] = []
        raw.reserveCapacity(s.unicodeScalars.count)
        var nonASCII = false
        for u in s.unicodeScalars {
            guard u.value <= 0xFF else { return (s, .notFixable) }
            if u.value > 0x7F { nonASCII = true }
            raw.append(UInt8(u.value))
        }
        guard nonASCII else { return (s, .unchanged) }
        guard isValidUTF8(raw) else { return (s, .notFixable) }
        return (String(decoding: raw, as: UTF8.self), .fixed)
    }

    /// Public form of the repair for other parts of ChatSieve: the repaired string, or nil when the guard fails
    /// (a scalar above U+00FF or bytes that are not UTF-8). Pure ASCII comes back unchanged.
    public static func repaired(_ s: String) -> String? {
        let (out, outcome) = repair(s)
        return outcome == .notFixable ? nil : out
    }

    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { firstInvalidUTF8Offset($0) == nil }
    }

    /// Offset of the first byte that is not part of a valid UTF-8 sequence, or nil when all bytes are valid UTF-8.
    static func firstInvalidUTF8Offset(_ p: UnsafeRawBufferPointer) -> Int? {
        UTF8Validation.firstProblem(p, rejectNUL: false)?.offset
    }
}
