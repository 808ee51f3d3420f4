import ChatModel

extension WhatsAppParser {
    /// Checks that a text export is well-formed UTF-8 without NUL bytes; throws `InputError` naming the file, the
    /// first bad line and the byte offset. ASCII runs are checked 8 bytes at a time.
    public static func validateText(_ bytes: UnsafeRawBufferPointer, file: String) throws {
        if let (offset, reason) = firstInvalidByte(bytes) {
            let layout = analyseLineEndingsOnly(bytes)
            let line = lineNumber(at: offset, in: bytes, layout: layout)
            throw InputError(file: file, line: line, reason: "\(reason) at byte \(offset)")
        }
    }

    /// Offset and reason of the first invalid UTF-8 sequence or NUL byte, or nil.
    static func firstInvalidByte(_ bytes: UnsafeRawBufferPointer) -> (Int, String)? {
        let n = bytes.count
        guard n > 0, let base = bytes.baseAddress else { return nil }
        let p = base.assumingMemoryBound(to: UInt8.self)
        let high: UInt64 = 0x8080_8080_8080_8080
        let ones: UInt64 = 0x0101_0101_0101_0101
        var i = 0
        while i < n {
            if i + 8 <= n {
                let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if w & high == 0 && (w &- ones) & ~w & high == 0 { i += 8; continue }
            }
            let b = p[i]
            if b == 0 { return (i, "binary data (NUL byte), not a text export") }
            if b < 0x80 { i += 1; continue }
            let need: Int
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch b {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; hi = 0x9F
            case 0xF0: need = 3; lo = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; hi = 0x8F
            default: return (i, "invalid UTF-8")
            }
            guard i + need < n else { return (i, "invalid UTF-8 (truncated sequence)") }
            let c1 = p[i + 1]
            guard c1 >= lo && c1 <= hi else { return (i, "invalid UTF-8") }
            var k = 2
            while k <= need {
                guard p[i + k] & 0xC0 == 0x80 else { return (i, "invalid UTF-8") }
                k += 1
            }
            i += need + 1
        }
        return nil
    }

    /// A layout that only knows the line endings (for line numbers in errors before the real analysis).
    static func analyseLineEndingsOnly(_ bytes: UnsafeRawBufferPointer) -> WhatsAppLayout {
        let hasLF = bytes.firstIndex(of: 0x0A) != nil
        let hasCR = bytes.firstIndex(of: 0x0D) != nil
        return WhatsAppLayout(template: nil, templateDescription: "", dayFirst: true, dateOrder: .dmy,
                              dateOrderAmbiguous: false, dateOrderEvidence: "", warnings: [], headerLines: 0,
                              otherTemplateLines: 0, crOnly: !hasLF && hasCR, bomLength: 0, chatName: nil,
                              chatNameBytes: [])
    }
}
