/// The last header `WAHeaderScanner.scan` read in full, kept as a byte template so that the next lines of the same
/// day are recognised by a few word compares instead of a full parse.
///
/// A line matches when its first `length` bytes equal the cached header's, except at the time's digit positions,
/// which must hold digits giving a valid time; the line must also go on past the header. The scanner's result on
/// such a line is then known without running it: it reads only bytes inside the header (the date, every separator,
/// mark and AM/PM byte are equal) and at digit positions it only looks at digit-ness and values. That holds for the
/// templates whose header ends with a byte the scanner checks (`]` plus space, ` - `, ` – `, `: `); the template
/// that ends with a bare space looks past the header (`- ` or a sender called `Am`), so it is never cached.
struct WAHeaderCache {
    /// Header length in bytes (line start to `restStart`); 0 when nothing is cached.
    private var length = 0
    private var word0: UInt64 = 0, word1: UInt64 = 0, word2: UInt64 = 0, word3: UInt64 = 0
    /// 0xFF on bytes that must be equal; 0x00 on the time's digits.
    private var exact0: UInt64 = 0, exact1: UInt64 = 0, exact2: UInt64 = 0, exact3: UInt64 = 0
    private var hourAt = 0, hourDigits = 0, minuteAt = 0, secondAt = -1
    /// The cached line's fields (time and `restStart` are replaced on a match).
    private var fields = WAHeaderFields()
    /// Caller's tag for the cached header (the analysis pass keeps its evidence slot here).
    private(set) var tag = 0

    static let maxLength = 32

    /// Caches the header just read by `WAHeaderScanner.scan` at `start` (line content ends at `ce`; `count` is the
    /// buffer's size). Leaves the cache empty when the header cannot be cached safely.
    @inline(__always)
    mutating func store(_ p: UnsafePointer<UInt8>, start: Int, ce: Int, count: Int, fields h: WAHeaderFields,
                        tag: Int = 0) {
        length = 0
        let len = h.restStart - start
        guard len > 0, len <= Self.maxLength, h.restStart < ce, start + Self.maxLength <= count else { return }
        let separator = (h.signature >> WASig.separatorShift) & 7
        guard h.signature & WASig.bracket != 0 || (separator >= 1 && separator <= 3) else { return }
        // The time's digits: the date is the header's first three digit runs, the time the next two or three.
        var i = start, runs = 0
        var hourStart = 0, hourEnd = 0, minuteStart = 0, minuteEnd = 0, secondStart = -1, secondEnd = -1
        while i < h.restStart {
            guard (p[i] &- 0x30) < 10 else { i += 1; continue }
            var j = i
            while j < h.restStart && (p[j] &- 0x30) < 10 { j += 1 }
            switch runs {
            case 3: hourStart = i; hourEnd = j
            case 4: minuteStart = i; minuteEnd = j
            case 5: secondStart = i; secondEnd = j
            default: break
            }
            runs += 1
            i = j
        }
        let hasSeconds = h.signature & WASig.seconds != 0
        guard runs == (hasSeconds ? 6 : 5), hourEnd - hourStart <= 2, minuteEnd - minuteStart == 2,
              !hasSeconds || secondEnd - secondStart == 2 else { return }
        hourAt = hourStart - start; hourDigits = hourEnd - hourStart
        minuteAt = minuteStart - start
        secondAt = hasSeconds ? secondStart - start : -1
        // Bit k set: byte k is free (a time digit, or past the header).
        var free: UInt32 = len == 32 ? 0 : ~0 << UInt32(len)
        for k in hourAt..<(hourAt + hourDigits) { free |= 1 << UInt32(k) }
        free |= 3 << UInt32(minuteAt)
        if secondAt >= 0 { free |= 3 << UInt32(secondAt) }
        exact0 = Self.byteMask(free); exact1 = Self.byteMask(free >> 8)
        exact2 = Self.byteMask(free >> 16); exact3 = Self.byteMask(free >> 24)
        let raw = UnsafeRawPointer(p + start)
        word0 = raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self) & exact0
        word1 = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self) & exact1
        word2 = raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self) & exact2
        word3 = raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self) & exact3
        fields = h
        self.tag = tag
        length = len
    }

    /// 0xFF for each of the low 8 bits of `free` that is clear, 0x00 for each that is set (little-endian bytes).
    static func byteMask(_ free: UInt32) -> UInt64 {
        var m: UInt64 = 0
        for k in 0..<8 where free & (1 << UInt32(k)) == 0 { m |= 0xFF << UInt64(8 * k) }
        return m
    }

    /// Reads the header at `start` (content ends at `ce`, the buffer holds `count` bytes) from the cache: true, with
    /// `h` set as `WAHeaderScanner.scan` would set it, when the line matches; false when it must be scanned.
    @inline(__always)
    func match(_ p: UnsafePointer<UInt8>, start: Int, ce: Int, count: Int, into h: inout WAHeaderFields) -> Bool {
        guard length > 0, start + length < ce, start + Self.maxLength <= count else { return false }
        let raw = UnsafeRawPointer(p + start)
        let x0 = raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        let x1 = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        let x2 = raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
        let x3 = raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
        guard ((x0 & exact0) ^ word0) | ((x1 & exact1) ^ word1) | ((x2 & exact2) ^ word2) | ((x3 & exact3) ^ word3) == 0
        else { return false }
        let q = p + start
        let h0 = q[hourAt] &- 0x30, m0 = q[minuteAt] &- 0x30, m1 = q[minuteAt + 1] &- 0x30
        guard h0 < 10, m0 < 6, m1 < 10 else { return false }
        var hour = Int(h0)
        if hourDigits == 2 {
            let h1 = q[hourAt + 1] &- 0x30
            guard h1 < 10 else { return false }
            hour = hour * 10 + Int(h1)
            guard hour <= 23 else { return false }
        }
        var second = 0
        if secondAt >= 0 {
            let s0 = q[secondAt] &- 0x30, s1 = q[secondAt + 1] &- 0x30
            guard s0 < 6, s1 < 10 else { return false }
            second = Int(s0) * 10 + Int(s1)
        }
        h = fields
        h.hour = hour
        h.minute = Int(m0) * 10 + Int(m1)
        h.second = second
        h.restStart = start + length
        return true
    }
}
