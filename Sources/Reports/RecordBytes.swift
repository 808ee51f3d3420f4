import ChatModel
import Foundation

/// Byte-level writers behind the streaming JSON Lines and CSV outputs: they append UTF-8 straight into a reusable
/// `[UInt8]` (the output buffer of an `AtomicOutput`) instead of building `String`s. `JSON`, `HitRecords.jsonLine`
/// and `HitRecords.csvRow` are `String` wrappers over them; `csvText` hands its two rare cases to `CSV.text`. The
/// tests compare every writer byte for byte with the `String` builders they replaced (kept as test oracles).
enum RecordBytes {
    // Every writer appends to a `ByteSink`: an output's `[UInt8]` buffer, or a `LineBuffer` (raw memory, for the
    // many small appends of one message's JSON lines).

    /// Appends the bytes of a literal.
    @inline(__always)
    static func literal<S: ByteSink>(_ s: StaticString, to out: inout S) {
        out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// Appends the UTF-8 of `s` as it is.
    @inline(__always)
    static func raw<S: ByteSink>(_ s: String, to out: inout S) {
        withUTF8(s) { out.append(contentsOf: $0) }
    }

    /// Runs `body` on the contiguous UTF-8 of `s` (native strings need no copy).
    @inline(__always)
    static func withUTF8<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let r = s.utf8.withContiguousStorageIfAvailable(body) { return r }
        var copy = s
        return copy.withUTF8(body)
    }

    // MARK: JSON

    /// `JSON.string(s)`: `null`, or the quoted string with `"`, `\`, control characters, DEL, U+2028 and U+2029
    /// escaped; runs that need no escaping are copied in one go.
    static func jsonString<S: ByteSink>(_ s: String?, to out: inout S) {
        guard let s else { literal("null", to: &out); return }
        withUTF8(s) { jsonEscaped($0, to: &out) }
    }

    static func jsonEscaped<S: ByteSink>(_ b: UnsafeBufferPointer<UInt8>, to out: inout S) {
        out.append(0x22)
        let n = b.count
        var runStart = 0
        var i = 0
        let base = UnsafeRawPointer(b.baseAddress)
        while i < n {
            // Skip eight clean bytes at a time.
            if let base, n - i >= 8, !mayNeedEscape(base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { i += 8; continue }
            let c = b[i]
            if c >= 0x20 && c != 0x22 && c != 0x5C && c != 0x7F && c != 0xE2 { i += 1; continue }
            if c == 0xE2 {
                // U+2028 is E2 80 A8, U+2029 is E2 80 A9; any other E2 sequence is copied.
                guard i + 2 < n, b[i + 1] == 0x80, b[i + 2] == 0xA8 || b[i + 2] == 0xA9 else { i += 1; continue }
                if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart..<i])) }
                literal(b[i + 2] == 0xA8 ? "\\u2028" : "\\u2029", to: &out)
                i += 3
                runStart = i
                continue
            }
            if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart..<i])) }
            switch c {
            case 0x22: literal("\\\"", to: &out)
            case 0x5C: literal("\\\\", to: &out)
            case 0x0A: literal("\\n", to: &out)
            case 0x0D: literal("\\r", to: &out)
            case 0x09: literal("\\t", to: &out)
            default:   // other C0 controls and DEL: \u00xx, lower-case hex as String(format: "\\u%04x")
                literal("\\u00", to: &out)
                out.append(Hex.digit(c >> 4))
                out.append(Hex.digit(c & 0x0F))
            }
            i += 1
            runStart = i
        }
        if runStart < n { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart..<n])) }
        out.append(0x22)
    }

    /// True when one of the eight bytes (little-endian word) is below 0x20 or is `"`, `\`, DEL or 0xE2. Uses the
    /// "has zero byte" / "has byte less than" word tricks, which never miss such a byte; the byte loop after it
    /// decides what each byte needs.
    @inline(__always)
    static func mayNeedEscape(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ v: UInt64) -> Bool { (v &- ones) & ~v & high != 0 }
        let control = (w &- ones &* 0x20) & ~w & high != 0
        return control || hasZero(w ^ (ones &* 0x22)) || hasZero(w ^ (ones &* 0x5C)) || hasZero(w ^ (ones &* 0x7F))
            || hasZero(w ^ (ones &* 0xE2))
    }

    /// `JSON.int(n)`: decimal digits or `null`.
    @inline(__always)
    static func jsonInt<S: ByteSink>(_ n: Int?, to out: inout S) {
        if let n { int(n, to: &out) } else { literal("null", to: &out) }
    }

    /// `String(n)` as bytes.
    static func int<S: ByteSink>(_ n: Int, to out: inout S) {
        if n < 0 {
            guard n != Int.min else { raw(String(n), to: &out); return }
            out.append(0x2D)
        }
        var v = UInt(n.magnitude)
        if v < 10 { out.append(0x30 + UInt8(v)); return }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)   // 24 bytes: UInt.max has 20 digits
        withUnsafeMutableBytes(of: &digits) { buf in
            var p = buf.count
            while v > 0 {
                p -= 1
                buf[p] = 0x30 + UInt8(v % 10)
                v /= 10
            }
            out.append(contentsOf: UnsafeBufferPointer(start: buf.baseAddress!.assumingMemoryBound(to: UInt8.self) + p,
                                                       count: buf.count - p))
        }
    }

    /// `JSON.double(d)`: `null` when absent or not finite, `N.0` for integral values below 1e15, else Swift's
    /// shortest round-trip description.
    static func jsonDouble<S: ByteSink>(_ d: Double?, to out: inout S) {
        guard let d, d.isFinite else { literal("null", to: &out); return }
        if d == d.rounded() && abs(d) < 1e15 {
            int(Int(d), to: &out)
            literal(".0", to: &out)
        } else {
            raw("\(d)", to: &out)
        }
    }

    // MARK: CSV

    /// `CSV.text(s)`: formula-guarded, then RFC 4180 quoted when it holds `"`, `,`, CR or LF.
    static func csvText<S: ByteSink>(_ s: String, to out: inout S) {
        let handled = withUTF8(s) { b -> Bool in
            guard let first = b.first else { return true }
            var guarded = false
            if first == 0x3D || first == 0x2B || first == 0x2D || first == 0x40 || first == 0x09 || first == 0x0D {
                // The guard looks at the first Character: "\r\n" or "=" plus a combining mark is not one of the
                // prefixes. Rare, so ask String.
                guarded = s.first.map { CSV.formulaPrefixes.contains($0) } ?? false
            }
            if !mayNeedQuotes(b) {
                if guarded { out.append(0x27) }
                out.append(contentsOf: b)
                return true
            }
            // A quote next to a non-ASCII scalar may sit inside one Character with it, where `replacingOccurrences`
            // does not double it: leave that to the String code.
            for i in 0..<b.count where b[i] == 0x22 {
                if (i > 0 && b[i - 1] >= 0x80) || (i + 1 < b.count && b[i + 1] >= 0x80) { return false }
            }
            out.append(0x22)
            if guarded { out.append(0x27) }
            var runStart = 0
            for i in 0..<b.count where b[i] == 0x22 {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart...i]))
                out.append(0x22)
                runStart = i + 1
            }
            if runStart < b.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart...])) }
            out.append(0x22)
            return true
        }
        if !handled { raw(CSV.text(s), to: &out) }
    }

    /// True when `b` holds a `"`, `,`, LF or CR (checked eight bytes at a time).
    static func mayNeedQuotes(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ v: UInt64) -> Bool { (v &- ones) & ~v & high != 0 }
        let n = b.count
        var i = 0
        if let base = UnsafeRawPointer(b.baseAddress) {
            while n - i >= 8 {
                let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if hasZero(w ^ (ones &* 0x22)) || hasZero(w ^ (ones &* 0x2C)) || hasZero(w ^ (ones &* 0x0A))
                    || hasZero(w ^ (ones &* 0x0D)) { return true }
                i += 8
            }
        }
        while i < n {
            let c = b[i]
            if c == 0x22 || c == 0x2C || c == 0x0A || c == 0x0D { return true }
            i += 1
        }
        return false
    }

    /// `CSV.number(n)`: digits, or nothing.
    @inline(__always)
    static func csvNumber<S: ByteSink>(_ n: Int?, to out: inout S) {
        if let n { int(n, to: &out) }
    }
}

/// Where `RecordBytes` writes bytes.
protocol ByteSink {
    mutating func append(_ b: UInt8)
    mutating func append(contentsOf b: UnsafeBufferPointer<UInt8>)
}

extension Array: ByteSink where Element == UInt8 {}

/// A growable byte buffer in raw memory for assembling output lines: an append is a bounds check and a copy, with
/// none of an array's uniqueness and capacity bookkeeping. The owner calls `release()` once it is done with it.
struct LineBuffer: ByteSink {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 1 << 14) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    /// The bytes written since the last `removeAll()`.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    mutating func removeAll() { count = 0 }

    func release() { base.deallocate() }

    @inline(__always)
    mutating func append(_ b: UInt8) {
        if count == capacity { grow(1) }
        base[count] = b
        count += 1
    }

    @inline(__always)
    mutating func append(contentsOf b: UnsafeBufferPointer<UInt8>) {
        guard let src = b.baseAddress, b.count > 0 else { return }
        if count + b.count > capacity { grow(b.count) }
        (base + count).update(from: src, count: b.count)
        count += b.count
    }

    private mutating func grow(_ extra: Int) {
        var c = capacity
        while c < count + extra { c *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = c
    }
}
