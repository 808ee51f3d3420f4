import Synchronization

/// The Unicode properties the normaliser asks of each non-ASCII scalar, memoised per block of 256 scalars: Swift's
/// property lookups search the Unicode data tables on every call, and a message in a script the shadow table does not
/// settle (Cyrillic, Arabic, Greek, CJK letters) goes through the normaliser scalar by scalar, where those lookups
/// were about a third of the time. A block is worked out the first time one of its scalars is asked about; the
/// values are the properties themselves (an exhaustive test compares them for every scalar below `limit`).
enum ScalarFlags {
    static let limit: UInt32 = 0x30000
    static let combining: UInt8 = 1          // canonical combining class != 0
    static let nfkcCaseFoldChanges: UInt8 = 2 // Changes_When_NFKC_Casefolded
    static let alphabetic: UInt8 = 4
    static let nonspacingMark: UInt8 = 8
    static let ownLowercase: UInt8 = 16       // lowercaseMapping is the scalar itself

    /// The flags of `s`: from the memo below `limit`, else computed.
    @inline(__always)
    static func of(_ s: Unicode.Scalar) -> UInt8 {
        let v = s.value
        guard v < limit else { return compute(s) }
        let block = Int(v >> 8)
        if memo.ready[block].load(ordering: .acquiring) == 0 { fill(block) }
        return memo.flags[Int(v)]
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
        return f
    }

    private static let memo = MemoStorage()

    private static func fill(_ block: Int) {
        memo.lock.withLock { _ in
            guard memo.ready[block].load(ordering: .relaxed) == 0 else { return }
            for low in 0..<256 {
                let v = UInt32(block << 8 | low)
                memo.flags[Int(v)] = Unicode.Scalar(v).map(compute) ?? 0
            }
            memo.ready[block].store(1, ordering: .releasing)
        }
    }
}

/// Storage of `ScalarFlags`' memo: the flags of every scalar below the limit and one ready mark per block (set with
/// release ordering once the block's flags are written).
private final class MemoStorage: @unchecked Sendable {
    let flags = UnsafeMutablePointer<UInt8>.allocate(capacity: Int(ScalarFlags.limit))
    let ready = UnsafeMutablePointer<Atomic<UInt8>>.allocate(capacity: Int(ScalarFlags.limit >> 8))
    let lock = Mutex<Void>(())
    init() {
        for b in 0..<Int(ScalarFlags.limit >> 8) { (ready + b).initialize(to: Atomic(0)) }
    }
}
