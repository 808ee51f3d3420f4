import ChatModel

/// Message text as UTF-8 bytes together with the file offset each byte came from.
///
/// `table[i]` is the offset in the file of the source of text byte `i` (the first byte of a JSON escape such as
/// `\u00f0`, or the byte itself when it was stored raw); `table[bytes.count]` is the offset just past the text
/// (the closing quote of the last string token). This is what `TextOrigin.mapped` carries.
struct MappedText {
    var bytes: [UInt8] = []
    var table: [Int] = []

    static func empty(at offset: Int) -> MappedText { MappedText(bytes: [], table: [offset]) }

    var string: String { String(decoding: bytes, as: UTF8.self) }
    var origin: TextOrigin { .mapped(table) }

    /// Appends another piece: the end marker of this piece is replaced by the other piece's offsets.
    mutating func append(_ other: MappedText) {
        if !table.isEmpty { table.removeLast() }
        bytes.append(contentsOf: other.bytes)
        table.append(contentsOf: other.table)
    }
}

/// What the guarded mojibake repair did to one string.
enum MojibakeOutcome: Equatable {
    /// Pure ASCII, or repair not asked for.
    case unchanged
    /// Every scalar was at most U+00FF and the bytes formed valid UTF-8: the string was repaired.
    case fixed
    /// A scalar above U+00FF, or bytes that are not UTF-8: the string was kept as it was.
    case notFixable
}

extension JSONScanner {
    /// One decoded scalar of a JSON string token, with where it came from.
    struct SourceScalar {
        var value: UInt32
        /// File offset of the raw bytes or of the escape (`\n`, `\u00e9`, the first half of a surrogate pair).
        var offset: Int
        /// Length of the raw UTF-8 bytes in the file, or 0 when the scalar came from an escape.
        var rawLength: Int
    }

    /// Decodes the JSON string token `token` (quotes included) scalar by scalar. The file must be valid UTF-8.
    func decodeString(_ token: Range<Int>) throws -> [SourceScalar] {
        var out: [SourceScalar] = []
        out.reserveCapacity(token.count)
        var i = token.lowerBound + 1
        let end = token.upperBound - 1
        while i < end {
            let b = bytes[i]
            if b == 0x5C {
                guard i + 1 < end else { throw JSONScanError(offset: i, reason: "dangling backslash in a string") }
                let e = bytes[i + 1]
                switch e {
                case 0x22, 0x5C, 0x2F: out.append(SourceScalar(value: UInt32(e), offset: i, rawLength: 0)); i += 2
                case 0x62: out.append(SourceScalar(value: 0x08, offset: i, rawLength: 0)); i += 2
                case 0x66: out.append(SourceScalar(value: 0x0C, offset: i, rawLength: 0)); i += 2
                case 0x6E: out.append(SourceScalar(value: 0x0A, offset: i, rawLength: 0)); i += 2
                case 0x72: out.append(SourceScalar(value: 0x0D, offset: i, rawLength: 0)); i += 2
                case 0x74: out.append(SourceScalar(value: 0x09, offset: i, rawLength: 0)); i += 2
                case 0x75:
                    guard let hi = hex4(i + 2, end: end) else { throw JSONScanError(offset: i, reason: "bad \\u escape") }
                    var value = hi
                    var next = i + 6
                    if (0xD800...0xDBFF).contains(hi) {
                        if next + 6 <= end, bytes[next] == 0x5C, bytes[next + 1] == 0x75,
                           let lo = hex4(next + 2, end: end), (0xDC00...0xDFFF).contains(lo) {
                            value = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            next += 6
                        } else {
                            value = 0xFFFD
                        }
                    } else if (0xDC00...0xDFFF).contains(hi) {
                        value = 0xFFFD
                    }
                    out.append(SourceScalar(value: value, offset: i, rawLength: 0))
                    i = next
                default:
                    throw JSONScanError(offset: i, reason: "unknown escape '\\\(Character(Unicode.Scalar(e)))'")
                }
                continue
            }
            let len: Int
            let value: UInt32
            if b < 0x80 { len = 1; value = UInt32(b) }
            else if b < 0xE0 { len = 2; value = (UInt32(b & 0x1F) << 6) | UInt32(bytes[i + 1] & 0x3F) }
            else if b < 0xF0 {
                len = 3
                value = (UInt32(b & 0x0F) << 12) | (UInt32(bytes[i + 1] & 0x3F) << 6) | UInt32(bytes[i + 2] & 0x3F)
            } else {
                len = 4
                value = (UInt32(b & 0x07) << 18) | (UInt32(bytes[i + 1] & 0x3F) << 12)
                    | (UInt32(bytes[i + 2] & 0x3F) << 6) | UInt32(bytes[i + 3] & 0x3F)
            }
            out.append(SourceScalar(value: value, offset: i, rawLength: len))
            i += len
        }
        return out
    }

    private func hex4(_ at: Int, end: Int) -> UInt32? {
        guard at + 4 <= end else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = bytes[at + k]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: return nil
            }
            v = v << 4 | d
        }
        return v
    }

    /// The text of a string token with per-byte file offsets; with `repairMojibake` the guarded Latin-1 repair of
    /// the catalogue (§2.3) is applied, and each repaired byte maps to the `\u00XX` escape it came from.
    func mappedText(_ token: Range<Int>, repairMojibake: Bool) throws -> (MappedText, MojibakeOutcome) {
        let scalars = try decodeString(token)
        let closing = token.upperBound - 1
        if repairMojibake, scalars.contains(where: { $0.value > 0x7F }) {
            if scalars.allSatisfy({ $0.value <= 0xFF }) {
                let raw = scalars.map { UInt8($0.value) }
                if Mojibake.isValidUTF8(raw) {
                    var table = scalars.map(\.offset)
                    table.append(closing)
                    return (MappedText(bytes: raw, table: table), .fixed)
                }
            }
            return (plainMapped(scalars, closing: closing), .notFixable)
        }
        return (plainMapped(scalars, closing: closing), .unchanged)
    }

    private func plainMapped(_ scalars: [SourceScalar], closing: Int) -> MappedText {
        var text = MappedText()
        text.bytes.reserveCapacity(scalars.count)
        text.table.reserveCapacity(scalars.count + 1)
        for s in scalars {
            if s.rawLength > 0 {
                for k in 0..<s.rawLength {
                    text.bytes.append(bytes[s.offset + k])
                    text.table.append(s.offset + k)
                }
            } else {
                UTF8.encode(Unicode.Scalar(s.value) ?? "\u{FFFD}") { unit in
                    text.bytes.append(unit)
                    text.table.append(s.offset)
                }
            }
        }
        text.table.append(closing)
        return text
    }
}
