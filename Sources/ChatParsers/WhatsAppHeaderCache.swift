import CScanKernels

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
    /// The byte template and time positions (CScanKernels, shared with the C line walk).
    private var c = cs_wa_cache()
    /// The cached line's fields (time and `restStart` are replaced on a match).
    private var fields = WAHeaderFields()
    /// Caller's tag for the cached header (the analysis pass keeps its evidence slot here).
    private(set) var tag = 0

    static let maxLength = Int(CS_WA_CACHE_SPAN)

    /// Caches the header just read by `WAHeaderScanner.scan` at `start` (line content ends at `ce`; `count` is the
    /// buffer's size). Leaves the cache empty when the header cannot be cached safely.
    @inline(__always)
    mutating func store(_ p: UnsafePointer<UInt8>, start: Int, ce: Int, count: Int, fields h: WAHeaderFields,
                        tag: Int = 0) {
        c.length = 0
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
        let hourAt = hourStart - start, minuteAt = minuteStart - start
        let secondAt = hasSeconds ? secondStart - start : -1
        // Bit k set: byte k is free (a time digit, or past the header).
        var free: UInt32 = len == 32 ? 0 : ~0 << UInt32(len)
        for k in hourAt..<(hourEnd - start) { free |= 1 << UInt32(k) }
        free |= 3 << UInt32(minuteAt)
        if secondAt >= 0 { free |= 3 << UInt32(secondAt) }
        c.exact = (Self.byteMask(free), Self.byteMask(free >> 8), Self.byteMask(free >> 16), Self.byteMask(free >> 24))
        let raw = UnsafeRawPointer(p + start)
        c.word = (raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self) & c.exact.0,
                  raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self) & c.exact.1,
                  raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self) & c.exact.2,
                  raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self) & c.exact.3)
        c.hour_at = Int32(hourAt); c.hour_digits = Int32(hourEnd - hourStart)
        c.minute_at = Int32(minuteAt); c.second_at = Int32(secondAt)
        fields = h
        self.tag = tag
        c.length = Int32(len)
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
        var hms: (Int32, Int32, Int32) = (0, 0, 0)
        let hit = withUnsafePointer(to: c) { cp in
            withUnsafeMutablePointer(to: &hms) {
                $0.withMemoryRebound(to: Int32.self, capacity: 3) { cs_wa_cache_match(cp, p, start, ce, count, $0) }
            }
        }
        guard hit != 0 else { return false }
        h = fields
        h.hour = Int(hms.0)
        h.minute = Int(hms.1)
        h.second = Int(hms.2)
        h.restStart = start + Int(c.length)
        return true
    }

    /// Skips the lines from `start` (a line start) that have the cached header; returns the first line start that
    /// does not (or `count`) and how many were skipped. Such a line adds nothing to the analysis pass's date
    /// evidence but its count: its date is the cached one.
    @inline(__always)
    func skipRun(_ p: UnsafePointer<UInt8>, start: Int, count: Int, terminator: UInt8) -> (next: Int, lines: Int) {
        var lines = 0
        let next = withUnsafePointer(to: c) { cs_wa_cached_run($0, p, count, start, terminator, &lines) }
        return (next, lines)
    }
}
