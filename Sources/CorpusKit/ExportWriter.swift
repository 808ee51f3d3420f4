/// Where a generated message landed in its output, for the ground-truth file.
struct MessagePosition: Sendable, Equatable {
    /// Display path relative to the output folder (a zip member: `archive.zip!/_chat.txt`).
    var file: String
    /// 1-based line where the message starts (JSON: the line of its opening brace).
    var line: Int
    /// 0-based position of the message in its file, in file order.
    var index: Int
}

/// Renders generated messages in one export format, streaming them to disk.
protocol ExportWriter: AnyObject {
    /// Bytes written so far plus what `finish` will still add.
    var projectedBytes: Int { get }
    /// Whether this format writes the newest message first (Messenger, Instagram): the clock then runs backwards.
    var newestFirst: Bool { get }
    func write(_ m: SynthMessage, clock: ChatClock, millis: Int) throws -> MessagePosition
    /// Closes the output; returns the files written, relative to the output folder.
    func finish() throws -> [String]
}

/// JSON string escaping shared by the JSON writers.
enum JSONText {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Writes `bytes` as the body of a JSON string (no quotes). With `mojibake`, every byte >= 0x80 becomes a
    /// `\u00XX` escape, which is how Facebook's DYI exports encode UTF-8 text.
    static func write(_ bytes: UnsafeRawBufferPointer, mojibake: Bool, to out: ByteSink) throws {
        var runStart = 0
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            let needsEscape = b < 0x20 || b == 0x22 || b == 0x5C || (mojibake && b >= 0x80)
            if needsEscape {
                if i > runStart { try out.write(UnsafeRawBufferPointer(rebasing: bytes[runStart..<i])) }
                switch b {
                case 0x22: try out.byte(0x5C); try out.byte(0x22)
                case 0x5C: try out.byte(0x5C); try out.byte(0x5C)
                case 0x0A: try out.byte(0x5C); try out.byte(0x6E)
                case 0x0D: try out.byte(0x5C); try out.byte(0x72)
                case 0x09: try out.byte(0x5C); try out.byte(0x74)
                default:
                    try out.byte(0x5C); try out.byte(0x75); try out.byte(0x30); try out.byte(0x30)
                    try out.byte(hex[Int(b >> 4)]); try out.byte(hex[Int(b & 0x0F)])
                }
                runStart = i + 1
            }
            i += 1
        }
        if n > runStart { try out.write(UnsafeRawBufferPointer(rebasing: bytes[runStart..<n])) }
    }

    static func write(_ bytes: [UInt8], mojibake: Bool, to out: ByteSink) throws {
        try bytes.withUnsafeBytes { try write($0, mojibake: mojibake, to: out) }
    }

    static func write(_ s: String, mojibake: Bool, to out: ByteSink) throws {
        try write(Array(s.utf8), mojibake: mojibake, to: out)
    }

    /// A quoted JSON string as Swift `String` (for the ground-truth file).
    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || (u.value >= 0x200B && u.value <= 0x200F) || u.value == 0x202F || u.value == 0xFEFF {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
