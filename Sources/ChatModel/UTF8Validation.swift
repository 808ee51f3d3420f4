import CScanKernels

/// The one UTF-8 well-formedness check every reader uses: finds the first NUL byte (when asked) or invalid UTF-8
/// sequence (overlong forms, surrogates and values above U+10FFFF are invalid). The check is CScanKernels'
/// `cs_utf8_first_problem` (ASCII runs skipped 32 bytes at a time).
public enum UTF8Validation {
    /// What is wrong at the offset `firstProblem` returns.
    public enum Problem: Sendable, Equatable {
        case nul, invalid, truncated
        public var description: String {
            switch self {
            case .nul: return "binary data (NUL byte)"
            case .invalid: return "invalid UTF-8"
            case .truncated: return "invalid UTF-8 (truncated sequence)"
            }
        }
    }

    /// What a message's error says about the problem at `offset` of `bytes`: the kind, and for an invalid byte its
    /// value, which tells the encoding apart (0xE9, 0xF6: Latin-1 é, ö). `scan` and `parse` word it the same way.
    public static func describe(_ problem: Problem, at offset: Int, in bytes: UnsafeRawBufferPointer) -> String {
        guard problem == .invalid, offset < bytes.count else { return problem.description }
        return "invalid UTF-8 (byte 0x\(String(bytes[offset], radix: 16, uppercase: true)))"
    }

    /// Said once per file (or part of one) after the first invalid-UTF-8 message: a file in another encoding
    /// (Latin-1, Windows-1252) fails on every accented line.
    public static let encodingHint = " (re-export the chat or convert it to UTF-8)"

    /// Offset and kind of the first problem, or nil when the bytes are valid UTF-8 (without NUL if `rejectNUL`).
    public static func firstProblem(_ bytes: UnsafeRawBufferPointer, rejectNUL: Bool) -> (offset: Int, problem: Problem)? {
        guard bytes.count > 0, let base = bytes.baseAddress else { return nil }
        var kind: Int32 = 0
        let at = cs_utf8_first_problem(base.assumingMemoryBound(to: UInt8.self), bytes.count, rejectNUL ? 1 : 0, &kind)
        guard at >= 0 else { return nil }
        switch kind {
        case CS_UTF8_NUL: return (at, .nul)
        case CS_UTF8_TRUNCATED: return (at, .truncated)
        default: return (at, .invalid)
        }
    }
}
