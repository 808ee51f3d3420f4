import ChatModel
import Foundation

/// The working state of the normaliser: one unit per output character, each remembering the original byte range
/// it came from and which layers changed it. Each layer (in NormaliserUnits.swift) changes units in place or
/// rebuilds the list. Without `maps` only the characters are kept (for the shadow bytes alone): ranges, change and
/// join marks stay empty.
struct Units {
    var scalars: [Unicode.Scalar] = []
    var start: [Int32] = []
    var end: [Int32] = []
    var mask: [UInt8] = []
    var join: [UInt8] = []
    /// The memo of scalar properties, taken once (each `ScalarFlags.memo` access checks its lazy initialisation).
    let memo = ScalarFlags.memo
    /// Whether the units keep their original ranges, change and join marks.
    let maps: Bool
    /// The `separators` layer's second reading: a single `a` or `i` before a spelled-out word stays a word of its
    /// own (`such a f a g` -> `such a fag`, not `such afag`); see `Normaliser.secondReading`.
    var secondReading = false
    /// Set by the `separators` layer when it joined a chain that reads differently in the second reading.
    var hasSecondReading = false

    init(_ bytes: UnsafeRawBufferPointer, maps: Bool = true) {
        self.maps = maps
        let n = bytes.count
        scalars.reserveCapacity(n)
        if maps { start.reserveCapacity(n); end.reserveCapacity(n) }
        if let p = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) {
            // Valid runs are read scalar by scalar from each lead byte's length; a byte that starts no valid
            // sequence (the scan hands over valid UTF-8; other callers' bytes are repaired) becomes U+FFFD alone.
            var i = 0
            while i < n {
                let rest = UnsafeRawBufferPointer(rebasing: bytes[i...])
                let valid = UTF8Validation.firstProblem(rest, rejectNUL: false)?.offset ?? rest.count
                decodeValid(p, i, i + valid)
                i += valid
                if i < n { append("\u{FFFD}", i, i + 1); i += 1 }
            }
        }
        guard maps else { return }
        mask = Array(repeating: 0, count: scalars.count)
        join = Array(repeating: 0, count: scalars.count)
    }

    @inline(__always)
    private mutating func append(_ s: Unicode.Scalar, _ from: Int, _ to: Int) {
        scalars.append(s)
        if maps { start.append(Int32(from)); end.append(Int32(to)) }
    }

    /// The scalars of the valid UTF-8 in `p[from..<to]`.
    private mutating func decodeValid(_ p: UnsafePointer<UInt8>, _ from: Int, _ to: Int) {
        var i = from
        while i < to {
            let b0 = UInt32(p[i])
            let len = b0 < 0x80 ? 1 : b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4
            var v = len == 1 ? b0 : b0 & (0x7F >> UInt32(len))
            for k in 1..<len { v = v << 6 | UInt32(p[i + k] & 0x3F) }
            append(Unicode.Scalar(v)!, i, i + len)
            i += len
        }
    }

    var count: Int { scalars.count }
    var text: String { var s = String.UnicodeScalarView(); s.append(contentsOf: scalars); return String(s) }

    static func bit(_ l: NormaliseLayer) -> UInt8 { 1 << UInt8(l.order) }

    /// Rebuilds the unit list: `body(i, emit)` is called for each unit and emits its replacement scalars
    /// (nothing = removed). Removed units mark the next kept unit's `join` with the layer bit.
    func rewritten(_ layer: NormaliseLayer, _ body: (Int, (Unicode.Scalar, Bool) -> Void) -> Void) -> (Units, Bool) {
        let b = Units.bit(layer)
        var ns: [Unicode.Scalar] = [], nst: [Int32] = [], nen: [Int32] = [], nm: [UInt8] = [], nj: [UInt8] = []
        ns.reserveCapacity(count)
        if maps { nst.reserveCapacity(count); nen.reserveCapacity(count); nm.reserveCapacity(count); nj.reserveCapacity(count) }
        var changed = false
        var pendingJoin: UInt8 = 0
        let maps = maps
        for i in 0..<count {
            var emitted = 0
            body(i) { s, isChange in
                ns.append(s)
                if maps {
                    nst.append(start[i]); nen.append(end[i])
                    nm.append(mask[i] | (isChange ? b : 0))
                    nj.append(emitted == 0 ? join[i] | pendingJoin : 0)
                }
                if isChange { changed = true }
                emitted += 1
            }
            if emitted == 0 { pendingJoin |= b | (maps ? join[i] : 0); changed = true } else { pendingJoin = 0 }
        }
        var u = self
        u.scalars = ns; u.start = nst; u.end = nen; u.mask = nm; u.join = nj
        return (u, changed)
    }

    mutating func apply(_ r: (Units, Bool)) -> Bool { self = r.0; return r.1 }

    /// What a layer does to one unit, decided on the units as they were before the layer.
    enum Step {
        case keep
        /// Replaced by one scalar (marked changed even when it is the same scalar).
        case replace(Unicode.Scalar)
        /// Removed or replaced by several scalars: the layer rebuilds the unit list.
        case rebuild
    }

    /// The replacements of a layer that keeps or replaces every unit (`step` decides on the units as they are
    /// before the layer), or nil when some unit needs `.rebuild`.
    func replacements(_ step: (Int) -> Step) -> [(Int, Unicode.Scalar)]? {
        var changes: [(Int, Unicode.Scalar)] = []
        for i in 0..<count {
            switch step(i) {
            case .keep: continue
            case .replace(let s): changes.append((i, s))
            case .rebuild: return nil
            }
        }
        return changes
    }

    /// The rebuilt unit list of a layer that `step` decides unit by unit, and whether it changed anything;
    /// `rebuild(i)` is what a `.rebuild` unit becomes (by default nothing: it is removed).
    func rebuilt(_ layer: NormaliseLayer, _ step: (Int) -> Step,
                 rebuild: (Int) -> [Unicode.Scalar] = { _ in [] }) -> (Units, Bool) {
        rewritten(layer) { i, emit in
            switch step(i) {
            case .keep: emit(scalars[i], false)
            case .replace(let s): emit(s, true)
            case .rebuild: for s in rebuild(i) { emit(s, true) }
            }
        }
    }

    /// Applies `replacements` in place: the units `rewritten` would build for them (each unit's range and join
    /// unchanged, its scalar replaced and marked with the layer). Returns whether there was any.
    mutating func replace(_ changes: [(Int, Unicode.Scalar)], _ layer: NormaliseLayer) -> Bool {
        let b = Units.bit(layer)
        for (i, s) in changes { scalars[i] = s; if maps { mask[i] |= b } }
        return !changes.isEmpty
    }

    /// Runs one layer; true when it changed something.
    mutating func apply(_ layer: NormaliseLayer) -> Bool {
        switch layer {
        case .nfkc: nfkc()
        case .stripInvisible: stripInvisible()
        case .confusables: confusables()
        case .casefold: casefold()
        case .leet: leet()
        case .separators: separators()
        case .collapseRepeats: collapseRepeats()
        }
    }

    /// True when all scalars are ASCII (most layers are then no-ops).
    var isASCII: Bool { !scalars.contains { $0.value >= 0x80 } }

    /// The characters as UTF-8 (the shadow bytes).
    var utf8: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        for s in scalars { Units.appendUTF8(s, to: &bytes) }
        return bytes
    }

    /// Appends the UTF-8 form of `s` (the standard library's `UTF8.encode` goes through a generic buffer per call).
    @inline(__always) @discardableResult
    static func appendUTF8(_ s: Unicode.Scalar, to bytes: inout [UInt8]) -> Int {
        let v = s.value
        if v < 0x80 { bytes.append(UInt8(v)); return 1 }
        if v < 0x800 {
            bytes.append(UInt8(0xC0 | v >> 6)); bytes.append(UInt8(0x80 | v & 0x3F)); return 2
        }
        if v < 0x10000 {
            bytes.append(UInt8(0xE0 | v >> 12)); bytes.append(UInt8(0x80 | v >> 6 & 0x3F)); bytes.append(UInt8(0x80 | v & 0x3F))
            return 3
        }
        bytes.append(UInt8(0xF0 | v >> 18)); bytes.append(UInt8(0x80 | v >> 12 & 0x3F))
        bytes.append(UInt8(0x80 | v >> 6 & 0x3F)); bytes.append(UInt8(0x80 | v & 0x3F))
        return 4
    }

    func finish(layers: [NormaliseLayer], changed: [NormaliseLayer], stages: [(NormaliseLayer, String)],
                originalLength: Int) -> NormalisedText {
        var bytes: [UInt8] = []
        var unitOfByte: [Int32] = []
        bytes.reserveCapacity(count); unitOfByte.reserveCapacity(count)
        for (u, s) in scalars.enumerated() {
            for _ in 0..<Units.appendUTF8(s, to: &bytes) { unitOfByte.append(Int32(u)) }
        }
        return NormalisedText(bytes: bytes, layers: layers, originalLength: originalLength, unitOfByte: unitOfByte,
                              unitStart: start, unitEnd: end, unitMask: mask, unitJoin: join, changed: changed,
                              stages: stages.map { (layer: $0.0, text: $0.1) }, hasSecondReading: hasSecondReading)
    }
}
