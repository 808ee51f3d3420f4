/// Finds the first NUL byte or invalid UTF-8 sequence; ASCII is checked 8 bytes at a time.
func firstInvalidUTF8(_ bytes: UnsafeRawBufferPointer) -> (offset: Int, reason: String)? {
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
        if b == 0 { return (i, "binary data (NUL byte)") }
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
        default: return (i, "invalid UTF-8 (byte 0x\(String(b, radix: 16, uppercase: true)))")
        }
        guard i + need < n else { return (i, "truncated UTF-8 sequence") }
        for k in 1...need {
            let c = p[i + k]
            let (l, h) = k == 1 ? (lo, hi) : (UInt8(0x80), UInt8(0xBF))
            if c < l || c > h { return (i, "invalid UTF-8 (byte 0x\(String(b, radix: 16, uppercase: true)))") }
        }
        i += need + 1
    }
    return nil
}
