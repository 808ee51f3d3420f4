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

    /// `x` with `digits` decimals (0-6), as `%.*f` writes it: `x` times 10^digits rounded to the nearest integer
    /// (half to even). printf rounds the exact binary value instead, so the last digit can differ from it when the
    /// scaled value is a tie only after floating-point rounding (0.35 gives `0.4` here, `0.3` from printf).
    /// `String(format:)` passes its arguments as `CVarArg` existentials, whose first use in a process costs a dynamic
    /// cast and Foundation's formatting set-up (about 0.9 ms of a small scan). Non-finite values print as printf does
    /// (`nan`, `inf`, `-inf`).
    public static func fixed(_ x: Double, digits: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf") }
        let d = min(max(digits, 0), 6)
        var scale = 1.0
        for _ in 0..<d { scale *= 10 }
        let scaled = (x.magnitude * scale).rounded(.toNearestOrEven)
        guard scaled < 9.0e15 else { return String(x) }   // beyond exact integers: never a summary figure
        let n = UInt64(scaled)
        var text = String(n)
        if d > 0 {
            if text.count <= d { text = String(repeating: "0", count: d + 1 - text.count) + text }
            text.insert(".", at: text.index(text.endIndex, offsetBy: -d))
        }
        return (x < 0 && n > 0 ? "-" : "") + text
    }
}
