import Synchronization

/// What the normaliser asks of each non-ASCII scalar, memoised per block of 256 scalars: five Unicode properties,
/// whether NFKC leaves it alone, the scalar's ASCII confusable (`Confusables.map`), its ASCII base letter
/// (`UnicodeTables.base`) and its lowercase mapping when that is one scalar. Swift's property lookups search the
/// Unicode data tables on every call (the lowercase mapping as a new `String`) and `base` asks Foundation for a
/// decomposition, and a message in a script the shadow table does not settle (Cyrillic, Arabic, Greek, CJK letters)
/// goes through the normaliser scalar by scalar, where those calls were about half of the time. A block is worked
/// out the first time one of its scalars is asked about; the values are the functions' own (an exhaustive test
/// compares them for every scalar below `limit`). Hot loops take `ScalarFlags.memo` once and ask it.
final class ScalarFlags: @unchecked Sendable {
    static let limit: UInt32 = 0x30000
    static let combining: UInt8 = 1          // canonical combining class != 0
    static let nfkcCaseFoldChanges: UInt8 = 2 // Changes_When_NFKC_Casefolded
    static let alphabetic: UInt8 = 4
    static let nonspacingMark: UInt8 = 8
    static let ownLowercase: UInt8 = 16       // lowercaseMapping is the scalar itself
    /// NFKC leaves the scalar alone on its own (`UnicodeTables.nfkc([s]) == [s]`); set below `limit` only, so a
    /// scalar above it is always offered to NFKC.
    static let nfkcStable: UInt8 = 32
    /// A non-ASCII character the `separators` layer may drop between spelled-out letters (`Units.isSeparatorUncached`).
    static let separator: UInt8 = 64

    /// The process's memo.
    static let memo = ScalarFlags()

    private let flags = UnsafeMutablePointer<UInt8>.allocate(capacity: Int(ScalarFlags.limit))
    /// ASCII confusable and ASCII base letter per scalar (0: none).
    private let confusable = UnsafeMutablePointer<UInt8>.allocate(capacity: Int(ScalarFlags.limit))
    private let base = UnsafeMutablePointer<UInt8>.allocate(capacity: Int(ScalarFlags.limit))
    /// The lowercase mapping when it is one scalar, else `UInt32.max`.
    private let lower = UnsafeMutablePointer<UInt32>.allocate(capacity: Int(ScalarFlags.limit))
    /// One mark per block, stored with release ordering once the block's entries are written.
    private let ready = UnsafeMutablePointer<Atomic<UInt8>>.allocate(capacity: Int(ScalarFlags.limit >> 8))
    private let lock = Mutex<Void>(())

    private init() {
        for b in 0..<Int(ScalarFlags.limit >> 8) { (ready + b).initialize(to: Atomic(0)) }
    }

    /// The flags of `s`.
    @inline(__always)
    func flags(_ s: Unicode.Scalar) -> UInt8 {
        let v = s.value
        guard v < ScalarFlags.limit else { return ScalarFlags.compute(s) }
        ensure(v)
        return flags[Int(v)]
    }

    /// `Confusables.map(s)` as a scalar.
    @inline(__always)
    func confusable(_ s: Unicode.Scalar) -> Unicode.Scalar? {
        answer(s, confusable, none: 0) { Confusables.map($0)?.unicodeScalars.first }
    }

    /// `UnicodeTables.base(s)`.
    @inline(__always)
    func base(_ s: Unicode.Scalar) -> Unicode.Scalar? { answer(s, base, none: 0) { UnicodeTables.base($0) } }

    /// `s.properties.lowercaseMapping` when it is one scalar, else nil (none, or several: `İ` is `i` and a dot).
    @inline(__always)
    func lowercase(_ s: Unicode.Scalar) -> Unicode.Scalar? { answer(s, lower, none: .max) { ScalarFlags.singleLowercase($0) } }

    /// The memo's scalar for `s` in `table` (nil where it holds `none`), or `compute(s)` above the memo's limit.
    @inline(__always)
    private func answer<T: FixedWidthInteger>(_ s: Unicode.Scalar, _ table: UnsafeMutablePointer<T>, none: T,
                                              compute: (Unicode.Scalar) -> Unicode.Scalar?) -> Unicode.Scalar? {
        let v = s.value
        guard v < ScalarFlags.limit else { return compute(s) }
        ensure(v)
        let x = table[Int(v)]
        return x == none ? nil : Unicode.Scalar(UInt32(x))
    }

    static func singleLowercase(_ s: Unicode.Scalar) -> Unicode.Scalar? {
        let l = s.properties.lowercaseMapping.unicodeScalars
        return l.count == 1 ? l.first : nil
    }

    static func compute(_ s: Unicode.Scalar) -> UInt8 {
        let p = s.properties
        var f: UInt8 = 0
        if p.canonicalCombiningClass.rawValue != 0 { f |= combining }
        if p.changesWhenNFKCCaseFolded { f |= nfkcCaseFoldChanges }
        if p.isAlphabetic { f |= alphabetic }
        if p.generalCategory == .nonspacingMark { f |= nonspacingMark }
        let lower = p.lowercaseMapping.unicodeScalars
        if lower.count == 1 && lower.first == s { f |= ownLowercase }
        if Units.isSeparatorUncached(s) { f |= separator }
        return f
    }

    @inline(__always)
    private func ensure(_ v: UInt32) {
        let block = Int(v >> 8)
        if ready[block].load(ordering: .acquiring) == 0 { fill(block) }
    }

    /// An ASCII scalar's byte, else 0 (the memo only holds ASCII answers; others are asked each time).
    private static func ascii(_ s: Unicode.Scalar?) -> UInt8? {
        guard let s else { return 0 }
        return s.value > 0 && s.value < 0x80 ? UInt8(s.value) : nil
    }

    @inline(never)
    private func fill(_ block: Int) {
        lock.withLock { _ in
            guard ready[block].load(ordering: .acquiring) == 0 else { return }
            for low in 0..<256 {
                let v = block << 8 | low
                guard let s = Unicode.Scalar(UInt32(v)) else {
                    flags[v] = 0; confusable[v] = 0; base[v] = 0; lower[v] = .max; continue
                }
                flags[v] = ScalarFlags.compute(s) | (UnicodeTables.nfkc([s]) == [s] ? ScalarFlags.nfkcStable : 0)
                lower[v] = ScalarFlags.singleLowercase(s)?.value ?? .max
                // Both functions answer with ASCII letters; anything else would not fit a byte: then stop.
                guard let c = ScalarFlags.ascii(Confusables.map(s)?.unicodeScalars.first),
                      let b = ScalarFlags.ascii(UnicodeTables.base(s)) else {
                    preconditionFailure("ScalarFlags: a non-ASCII answer for U+\(String(v, radix: 16))")
                }
                confusable[v] = c
                base[v] = b
            }
            ready[block].store(1, ordering: .releasing)
        }
    }
}
