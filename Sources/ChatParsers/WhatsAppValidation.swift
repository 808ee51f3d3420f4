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
        guard let (offset, problem) = UTF8Validation.firstProblem(bytes, rejectNUL: true) else { return nil }
        return (offset, problem == .nul ? "binary data (NUL byte), not a text export" : problem.description)
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
