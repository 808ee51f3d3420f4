/// Lower-case hexadecimal text of bytes (digests, keys), without `String(format:)`, whose first use in a process
/// sets up Foundation's formatting machinery.
public enum Hex {
    /// Two lower-case hex digits per byte, in order.
    public static func string<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for b in bytes {
            out.append(digit(b >> 4))
            out.append(digit(b & 15))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The lower-case hex digit (ASCII) of `v` (0-15).
    @inlinable public static func digit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x61 + v - 10 }
}
