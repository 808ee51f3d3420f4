/// The one UTF-8 well-formedness check every reader uses: finds the first NUL byte (when asked) or invalid UTF-8
/// sequence (overlong forms, surrogates and values above U+10FFFF are invalid). ASCII runs are checked 8 bytes
/// at a time, so it runs at several GB/s.
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
        let n = bytes.count
        guard n > 0, let base = bytes.baseAddress else { return nil }
        let p = base.assumingMemoryBound(to: UInt8.self)
        let high: UInt64 = 0x8080_8080_8080_8080
        let ones: UInt64 = 0x0101_0101_0101_0101
        var i = 0
        while i < n {
            if i + 8 <= n {
                let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                // all ASCII, and (when NUL matters) no zero byte in the word
                if w & high == 0 && (!rejectNUL || (w &- ones) & ~w & high == 0) { i += 8; continue }
            }
            let b = p[i]
            if b == 0 && rejectNUL { return (i, .nul) }
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
            default: return (i, .invalid)
            }
            guard i + need < n else { return (i, .truncated) }
            let c1 = p[i + 1]
            guard c1 >= lo && c1 <= hi else { return (i, .invalid) }
            var k = 2
            while k <= need {
                guard p[i + k] & 0xC0 == 0x80 else { return (i, .invalid) }
                k += 1
            }
            i += need + 1
        }
        return nil
    }
}
