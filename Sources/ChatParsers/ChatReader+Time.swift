/// UTC ISO 8601 timestamps from epoch values, without `DateFormatter` (fast and locale-free).
enum UTCTime {
    /// `2022-11-16T19:50:03.612Z`: epoch milliseconds, always with three fraction digits (Messenger, Instagram).
    static func iso(milliseconds ms: Int64) -> String {
        let secs = floorDiv(ms, 1000)
        let frac = Int(ms - secs * 1000)
        return base(secs) + "." + pad(frac, 3) + "Z"
    }

    /// `2020-11-12T11:53:52Z`: epoch seconds (Telegram `date_unixtime`).
    static func iso(seconds: Int64) -> String { base(seconds) + "Z" }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    private static func base(_ secs: Int64) -> String {
        let days = floorDiv(secs, 86_400)
        let rem = Int(secs - days * 86_400)
        // civil-from-days (H. Hinnant)
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return pad(Int(y), 4) + "-" + pad(Int(m), 2) + "-" + pad(Int(d), 2) + "T"
            + pad(rem / 3600, 2) + ":" + pad(rem / 60 % 60, 2) + ":" + pad(rem % 60, 2)
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
