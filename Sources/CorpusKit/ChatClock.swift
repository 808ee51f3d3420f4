/// A wall-clock time that steps forwards or backwards by seconds without Foundation, and formats itself the way
/// each export format writes dates. Times are treated as UTC for the epoch fields.
struct ChatClock: Sendable, Equatable {
    var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Moves the clock forwards by `seconds` (>= 0).
    mutating func advance(_ seconds: Int) {
        var total = second + seconds
        second = total % 60
        total = minute + total / 60
        minute = total % 60
        total = hour + total / 60
        hour = total % 24
        var days = total / 24
        while days > 0 {
            day += 1
            days -= 1
            if day > ChatClock.daysIn(month: month, year: year) {
                day = 1
                month += 1
                if month > 12 { month = 1; year += 1 }
            }
        }
    }

    /// Moves the clock backwards by `seconds` (>= 0).
    mutating func retreat(_ seconds: Int) {
        var s = (hour * 3600 + minute * 60 + second) - seconds
        while s < 0 {
            s += 86_400
            day -= 1
            if day < 1 {
                month -= 1
                if month < 1 { month = 12; year -= 1 }
                day = ChatClock.daysIn(month: month, year: year)
            }
        }
        hour = s / 3600
        minute = (s / 60) % 60
        second = s % 60
    }

    /// Seconds since 1970-01-01T00:00:00Z, reading the clock as UTC (days-from-civil, H. Hinnant).
    var epochSeconds: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return days * 86_400 + hour * 3600 + minute * 60 + second
    }

    /// `DD/MM/YYYY, HH:MM` (WhatsApp Android, UK locale).
    func writeAndroid(_ out: ByteSink) throws {
        try out.twoDigits(day); try out.byte(0x2F); try out.twoDigits(month); try out.byte(0x2F)
        try out.decimal(year); try out.byte(0x2C); try out.byte(0x20)
        try out.twoDigits(hour); try out.byte(0x3A); try out.twoDigits(minute)
    }

    /// `DD/MM/YYYY, HH:MM:SS` (WhatsApp iOS, UK locale; the caller writes the brackets).
    func writeIOS(_ out: ByteSink) throws {
        try writeAndroid(out)
        try out.byte(0x3A); try out.twoDigits(second)
    }

    /// `YYYY-MM-DDTHH:MM:SS` (Telegram `date`).
    func writeISO(_ out: ByteSink) throws {
        try out.decimal(year); try out.byte(0x2D); try out.twoDigits(month); try out.byte(0x2D); try out.twoDigits(day)
        try out.byte(0x54)
        try out.twoDigits(hour); try out.byte(0x3A); try out.twoDigits(minute); try out.byte(0x3A); try out.twoDigits(second)
    }

    /// The ISO form as a string (ground truth and tests).
    var isoString: String {
        func p(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(year)-\(p(month))-\(p(day))T\(p(hour)):\(p(minute)):\(p(second))"
    }
}
