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
