import ChatModel

/// Byte-level helpers shared by the WhatsApp header scanner, classifier and span iterator.
/// Everything works on raw UTF-8 bytes so that offsets stay those of the file as stored.
enum WABytes {
    /// Length of the invisible mark at `i` (U+200E, U+200F, U+FEFF, U+202A-U+202E, U+2066-U+2069), or 0.
    @inline(__always)
    static func invisibleLength(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> Int {
        guard i + 2 < end else { return 0 }
        let b0 = p[i]
        if b0 == 0xE2 {
            let b1 = p[i + 1], b2 = p[i + 2]
            if b1 == 0x80 && (b2 == 0x8E || b2 == 0x8F || (b2 >= 0xAA && b2 <= 0xAE)) { return 3 }
            if b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9 { return 3 }
            return 0
        }
        if b0 == 0xEF && p[i + 1] == 0xBB && p[i + 2] == 0xBF { return 3 }
        return 0
    }

    @inline(__always)
    static func skipInvisible(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> Int {
        if i >= end || p[i] < 0xE2 { return i }  // fast path: no mark here
        var i = i
        while i < end {
            let n = invisibleLength(p, i, end)
            if n == 0 { break }
            i += n
        }
        return i
    }

    /// Length of a space at `i`: ASCII space, NBSP (U+00A0) or narrow NBSP (U+202F); 0 otherwise.
    @inline(__always)
    static func spaceLength(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> Int {
        guard i < end else { return 0 }
        let b = p[i]
        if b == 0x20 { return 1 }
        if b == 0xC2 && i + 1 < end && p[i + 1] == 0xA0 { return 2 }
        if b == 0xE2 && i + 2 < end && p[i + 1] == 0x80 && p[i + 2] == 0xAF { return 3 }
        return 0
    }

    /// Skips spaces and invisible marks.
    @inline(__always)
    static func skipBlank(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> Int {
        // Fast path: one ASCII space before an ASCII non-space.
        if i + 1 < end && p[i] == 0x20 && p[i + 1] < 0x80 && p[i + 1] != 0x20 { return i + 1 }
        var i = i
        while i < end {
            var n = spaceLength(p, i, end)
            if n == 0 { n = invisibleLength(p, i, end) }
            if n == 0 { break }
            i += n
        }
        return i
    }

    /// First byte of a line that may start a header: a digit, `[`, or the lead byte of an invisible mark.
    @inline(__always)
    static func mayStartHeader(_ b: UInt8) -> Bool {
        (b &- 0x30) < 10 || b == 0x5B || b == 0xE2 || b == 0xEF
    }
}

/// One header line taken apart: the template signature plus the raw field values.
struct WAHeaderFields: Equatable {
    /// Packed template signature (see `WAHeaderScanner`); equal signatures mean the same header template.
    var signature: UInt32 = 0
    /// The three date fields in the order written, and which of them is the year (0, 1 or 2).
    var f0 = 0, f1 = 0, f2 = 0
    var yearPos = 2
    var hour = 0, minute = 0, second = 0
    /// 0 none, 1 AM, 2 PM.
    var marker = 0
    /// Offset just after the header and its separator (where the sender or the notice starts).
    var restStart = 0

    var year: Int {
        let y = yearPos == 0 ? f0 : (yearPos == 1 ? f1 : f2)
        return y < 100 ? y + 2000 : y
    }
    /// The two fields that are not the year, in the order written.
    var nonYear: (Int, Int) {
        switch yearPos {
        case 0: return (f1, f2)
        case 1: return (f0, f2)
        default: return (f0, f1)
        }
    }
    /// Hour on a 24 h clock: `12 AM` is 0, `12 PM` is 12, other PM hours add 12; an hour above 12 ignores the marker.
    var hour24: Int {
        if marker == 0 || hour > 12 { return hour }
        if marker == 1 { return hour == 12 ? 0 : hour }
        return hour == 12 ? 12 : hour + 12
    }
}

/// Signature bits of a header template.
enum WASig {
    static let bracket: UInt32 = 1
    static let dateSepShift: UInt32 = 1      // 2 bits: 1 '/', 2 '.', 3 '-'
    static let yearPosShift: UInt32 = 3      // 2 bits
    static let fourDigitYear: UInt32 = 1 << 5
    static let spaceAfterDateSep: UInt32 = 1 << 6
    static let dotAfterDate: UInt32 = 1 << 7
    static let comma: UInt32 = 1 << 8
    static let klo: UInt32 = 1 << 9
    static let dottedTime: UInt32 = 1 << 10
    static let seconds: UInt32 = 1 << 11
    static let dotAfterTime: UInt32 = 1 << 12
    static let marker: UInt32 = 1 << 13
    static let separatorShift: UInt32 = 14  // 3 bits: 0 bracket, 1 " - ", 2 " – ", 3 ": ", 4 none
}

/// Recognises WhatsApp header lines on raw bytes, for every variant of the catalogue (section 1.2), ignoring invisible
/// marks. It does not decide day/month order: that is the layout's job.
enum WAHeaderScanner {
    /// Parses up to 4 digits at `i`; returns (value, digits).
    @inline(__always)
    static func digits(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int, max: Int) -> (Int, Int) {
        var v = 0, n = 0
        while i + n < end && n <= max {
            let d = p[i + n] &- 0x30
            if d >= 10 { break }
            v = v * 10 + Int(d)
            n += 1
        }
        return (v, n)
    }

    /// Tries to read a header at the start of the line `[start, end)`. `allowMarker` false skips AM/PM parsing (used
    /// when the file's template has none, so a sender called `Am…` is not taken for a marker).
    @inline(__always)
    static func scan(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, allowMarker: Bool,
                     into h: inout WAHeaderFields) -> Bool {
        var i = WABytes.skipInvisible(p, start, end)
        guard i < end else { return false }
        var sig: UInt32 = 0
        let bracket = p[i] == 0x5B
        if bracket {
            sig |= WASig.bracket
            i = WABytes.skipInvisible(p, i + 1, end)
        }
        // Date: three fields of 1-4 digits with one separator.
        let (v0, n0) = digits(p, i, end, max: 4)
        guard n0 >= 1 && n0 <= 4 else { return false }
        i += n0
        guard i < end else { return false }
        let sepChar = p[i]
        let sepCode: UInt32
        switch sepChar {
        case 0x2F: sepCode = 1
        case 0x2E: sepCode = 2
        case 0x2D: sepCode = 3
        default: return false
        }
        sig |= sepCode << WASig.dateSepShift
        i += 1
        let spaced = i < end && p[i] == 0x20
        if spaced { sig |= WASig.spaceAfterDateSep; i += 1 }
        let (v1, n1) = digits(p, i, end, max: 4)
        guard n1 >= 1 && n1 <= 4 else { return false }
        i += n1
        guard i < end && p[i] == sepChar else { return false }
        i += 1
        if spaced { guard i < end && p[i] == 0x20 else { return false }; i += 1 }
        let (v2, n2) = digits(p, i, end, max: 4)
        guard n2 >= 1 && n2 <= 4 else { return false }
        i += n2
        // Which field is the year: the one written with 3-4 digits, else the last.
        let yearPos: Int
        if n0 >= 3 { guard n1 <= 2 && n2 <= 2 else { return false }; yearPos = 0 }
        else if n1 >= 3 { guard n2 <= 2 else { return false }; yearPos = 1 }
        else { yearPos = 2 }
        let yearDigits = yearPos == 0 ? n0 : (yearPos == 1 ? n1 : n2)
        if yearDigits >= 3 { sig |= WASig.fourDigitYear } else if yearDigits != 2 { return false }
        sig |= UInt32(yearPos) << WASig.yearPosShift
        // The two non-year fields must be a plausible day and month.
        let a = yearPos == 0 ? v1 : v0, b = yearPos == 2 ? v1 : v2
        guard a >= 1 && a <= 31 && b >= 1 && b <= 31 && (a <= 12 || b <= 12) else { return false }
        if i < end && p[i] == 0x2E { sig |= WASig.dotAfterDate; i += 1 }
        if i < end && p[i] == 0x2C { sig |= WASig.comma; i += 1 }
        // At least one space between date and time.
        let afterDate = i
        i = WABytes.skipBlank(p, i, end)
        guard i > afterDate else { return false }
        if i + 3 < end && p[i] == 0x6B && p[i + 1] == 0x6C && p[i + 2] == 0x6F && p[i + 3] == 0x20 {  // "klo "
            sig |= WASig.klo
            i = WABytes.skipBlank(p, i + 3, end)
        }
        // Time: H[H]:MM[:SS] or with dots.
        let (hour, nh) = digits(p, i, end, max: 2)
        guard nh >= 1 && nh <= 2 else { return false }
        i += nh
        guard i < end else { return false }
        let timeSep = p[i]
        guard timeSep == 0x3A || timeSep == 0x2E else { return false }
        if timeSep == 0x2E { sig |= WASig.dottedTime }
        let (minute, nm) = digits(p, i + 1, end, max: 2)
        guard nm == 2 else { return false }
        i += 3
        var second = 0
        if i + 2 < end && p[i] == timeSep && (p[i + 1] &- 0x30) < 10 {
            let (s, ns) = digits(p, i + 1, end, max: 2)
            guard ns == 2 else { return false }
            second = s
            sig |= WASig.seconds
            i += 3
        }
        guard hour <= 23 && minute <= 59 && second <= 59 else { return false }
        if i < end && p[i] == 0x2E { sig |= WASig.dotAfterTime; i += 1 }
        var marker = 0
        if allowMarker {
            let m = scanMarker(p, i, end)
            if m.kind != 0 { marker = m.kind; i = m.next; sig |= WASig.marker }
        }
        i = WABytes.skipInvisible(p, i, end)
        // Separator.
        if bracket {
            while i < end && p[i] == 0x20 { i += 1 }
            i = WABytes.skipInvisible(p, i, end)
            guard i < end && p[i] == 0x5D else { return false }
            i += 1
            i = WABytes.skipInvisible(p, i, end)
            if i < end {
                let n = WABytes.spaceLength(p, i, end)
                guard n > 0 else { return false }
                i += n
            }
        } else {
            guard i < end else { return false }
            if p[i] == 0x20 {
                if i + 2 < end && p[i + 1] == 0x2D && p[i + 2] == 0x20 {
                    sig |= 1 << WASig.separatorShift; i += 3
                } else if i + 4 < end && p[i + 1] == 0xE2 && p[i + 2] == 0x80 && p[i + 3] == 0x93 && p[i + 4] == 0x20 {
                    sig |= 2 << WASig.separatorShift; i += 5
                } else {
                    sig |= 4 << WASig.separatorShift; i += 1
                    guard i < end && p[i] != 0x20 else { return false }
                }
            } else if p[i] == 0x3A && i + 1 < end && p[i + 1] == 0x20 {
                sig |= 3 << WASig.separatorShift; i += 2
            } else {
                return false
            }
        }
        h.signature = sig
        h.f0 = v0; h.f1 = v1; h.f2 = v2; h.yearPos = yearPos
        h.hour = hour; h.minute = minute; h.second = second; h.marker = marker
        h.restStart = i
        return true
    }

    /// Reads an AM/PM marker after optional spaces: `AM`, `pm`, `a.m.`, `p. m.`, `p.\u{a0}m.`, `\u{202f}PM`.
    /// Returns kind 0 when there is none.
    @inline(__always)
    static func scanMarker(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> (kind: Int, next: Int) {
        var i = start
        while true { let n = WABytes.spaceLength(p, i, end); if n == 0 { break }; i += n }
        guard i < end else { return (0, start) }
        let c = p[i] | 0x20
        guard c == 0x61 || c == 0x70 else { return (0, start) }
        i += 1
        if i < end && p[i] == 0x2E {
            i += 1
            while true { let n = WABytes.spaceLength(p, i, end); if n == 0 { break }; i += n }
        }
        guard i < end && (p[i] | 0x20) == 0x6D else { return (0, start) }
        i += 1
        if i < end && p[i] == 0x2E { i += 1 }
        // The marker must end here: end of line, a space, `]`, `:` or an invisible mark.
        if i < end {
            let b = p[i]
            guard b == 0x20 || b == 0x5D || b == 0x3A || b == 0xE2 || b == 0xEF || b == 0xC2 else { return (0, start) }
        }
        return (c == 0x61 ? 1 : 2, i)
    }

    static func daysInMonth(_ m: Int, _ y: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Year, month and day under the given order; nil if the date does not exist.
    @inline(__always)
    static func date(_ h: WAHeaderFields, dayFirst: Bool) -> (Int, Int, Int)? {
        let (a, b) = h.nonYear
        let d = dayFirst ? a : b, m = dayFirst ? b : a
        let y = h.year
        guard m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(m, y) else { return nil }
        return (y, m, d)
    }
}
