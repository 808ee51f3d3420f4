#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ISO 8601 UTC timestamps with seconds precision (`2026-12-06T19:50:08Z`), as `ISO8601DateFormatter` with
/// `.withInternetDateTime` writes them, from the C library's `gmtime_r` instead of an ICU date formatter (whose
/// creation took a few milliseconds of every run's start-up).
public enum UTCTimestamp {
    /// The timestamp of `secondsSince1970` (fractions of a second dropped, as the formatter does).
    public static func string(secondsSince1970 t: Double) -> String {
        var time = time_t(t.rounded(.down))
        var parts = tm()
        guard gmtime_r(&time, &parts) != nil else { return "" }
        func pad(_ n: Int32, _ width: Int) -> String { DecimalText.zeroPadded(Int(n), width: width) }
        return pad(parts.tm_year + 1900, 4) + "-" + pad(parts.tm_mon + 1, 2) + "-" + pad(parts.tm_mday, 2) + "T"
            + pad(parts.tm_hour, 2) + ":" + pad(parts.tm_min, 2) + ":" + pad(parts.tm_sec, 2) + "Z"
    }
}

/// Decimal numbers as text without `String(format:)`.
public enum DecimalText {
    /// `n` with leading zeros to `width` characters, as `%0*d` writes it (a minus sign counts towards the width).
    public static func zeroPadded(_ n: Int, width: Int) -> String {
        let digits = String(n.magnitude)
        let sign = n < 0 ? "-" : ""
        let zeros = max(0, width - digits.count - sign.count)
        return sign + String(repeating: "0", count: zeros) + digits
    }
}
