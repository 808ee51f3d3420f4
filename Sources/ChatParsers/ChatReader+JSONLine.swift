import ChatModel

/// Writes a `Message` as one line of JSON, byte for byte what `JSONEncoder` with `.sortedKeys` and
/// `.withoutEscapingSlashes` writes for it (the `chatsieve parse` contract), but several times faster.
public enum MessageJSONLine {
    /// Appends the message's JSON object and a line feed to `out`.
    public static func append(_ m: Message, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"byte_end":"#.utf8); number(m.byteEnd, &out)
        out.append(contentsOf: #","byte_start":"#.utf8); number(m.byteStart, &out)
        out.append(contentsOf: #","chat":"#.utf8); optionalString(m.chat, &out)
        out.append(contentsOf: #","file":"#.utf8); string(m.file, &out)
        out.append(contentsOf: #","format":"#.utf8); string(m.format.rawValue, &out)
        out.append(contentsOf: #","kind":"#.utf8); string(m.kind.rawValue, &out)
        out.append(contentsOf: #","line":"#.utf8); optionalNumber(m.line, &out)
        out.append(contentsOf: #","line_end":"#.utf8); optionalNumber(m.lineEnd, &out)
        out.append(contentsOf: #","message_index":"#.utf8); number(m.messageIndex, &out)
        out.append(contentsOf: #","sender":"#.utf8); optionalString(m.sender, &out)
        out.append(contentsOf: #","text":"#.utf8); string(m.text, &out)
        out.append(contentsOf: #","timestamp":"#.utf8); optionalString(m.timestamp, &out)
        out.append(contentsOf: #","warnings":["#.utf8)
        for (i, w) in m.warnings.enumerated() {
            if i > 0 { out.append(0x2C) }
            string(w, &out)
        }
        out.append(contentsOf: "]}\n".utf8)
    }

    static func number(_ v: Int, _ out: inout [UInt8]) { out.append(contentsOf: String(v).utf8) }

    static func optionalNumber(_ v: Int?, _ out: inout [UInt8]) {
        if let v { number(v, &out) } else { out.append(contentsOf: "null".utf8) }
    }

    static func optionalString(_ s: String?, _ out: inout [UInt8]) {
        if let s { string(s, &out) } else { out.append(contentsOf: "null".utf8) }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    static func string(_ s: String, _ out: inout [UInt8]) {
        out.append(0x22)
        var s = s
        s.withUTF8 { bytes in
            var runStart = 0
            for (i, b) in bytes.enumerated() where b < 0x20 || b == 0x22 || b == 0x5C {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
                runStart = i + 1
                switch b {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: out.append(contentsOf: [0x5C, 0x72])
                case 0x09: out.append(contentsOf: [0x5C, 0x74])
                case 0x08: out.append(contentsOf: [0x5C, 0x62])
                case 0x0C: out.append(contentsOf: [0x5C, 0x66])
                default: out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
        out.append(0x22)
    }
}
