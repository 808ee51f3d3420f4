import ChatModel
import Foundation

/// The working state of the normaliser: one unit per output character, each remembering the original byte range
/// it came from and which layers changed it. Every layer rewrites the unit list. Without `maps` only the characters
/// are kept (for the shadow bytes alone): ranges, change and join marks stay empty.
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

    // MARK: layers

    mutating func nfkc() -> Bool {
        if isASCII { return false }
        // A cluster is sent to NFKC (below) when it holds a scalar NFKC may change, or a combining mark after its
        // first scalar: without either anywhere, the layer changes nothing and nothing is copied.
        let mayChange = scalars.indices.contains { k in
            guard scalars[k].value >= 0x80 else { return false }
            let f = memo.flags(scalars[k])
            return f & ScalarFlags.nfkcCaseFoldChanges != 0 || (k > 0 && f & ScalarFlags.combining != 0)
        }
        if !mayChange { return false }
        let b = Units.bit(.nfkc)
        var ns: [Unicode.Scalar] = [], nst: [Int32] = [], nen: [Int32] = [], nm: [UInt8] = [], nj: [UInt8] = []
        ns.reserveCapacity(count)
        if maps { nst.reserveCapacity(count); nen.reserveCapacity(count); nm.reserveCapacity(count); nj.reserveCapacity(count) }
        var changed = false
        // Clusters: a base scalar plus following combining marks (canonical combining class != 0).
        var i = 0
        while i < count {
            var j = i + 1
            while j < count && memo.flags(scalars[j]) & ScalarFlags.combining != 0 { j += 1 }
            let c = i..<j
            i = j
            // Changes_When_NFKC_Casefolded is false for scalars NFKC leaves alone (emoji, most letters in lower
            // case): a cluster of one such scalar, or of ASCII only, is kept without asking Foundation (or copying).
            let needs = (c.count > 1 && scalars[c].contains(where: { $0.value >= 0x80 }))
                || scalars[c].contains(where: { $0.value >= 0x80 && memo.flags($0) & ScalarFlags.nfkcCaseFoldChanges != 0 })
            let out: [Unicode.Scalar]? = needs ? UnicodeTables.nfkc(Array(scalars[c])) : nil
            if let out, !out.elementsEqual(scalars[c]) {
                changed = true
                guard maps else { ns += out; continue }
                var m: UInt8 = b
                for k in c { m |= mask[k] }
                for (n, s) in out.enumerated() {
                    ns.append(s); nst.append(start[c.lowerBound]); nen.append(end[c.upperBound - 1]); nm.append(m)
                    nj.append(n == 0 ? join[c.lowerBound] : 0)
                }
            } else if maps {
                for k in c { ns.append(scalars[k]); nst.append(start[k]); nen.append(end[k]); nm.append(mask[k]); nj.append(join[k]) }
            } else {
                ns += scalars[c]
            }
        }
        scalars = ns; start = nst; end = nen; mask = nm; join = nj
        return changed
    }

    static func isInvisible(_ v: UInt32) -> Bool {
        switch v {
        case 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF, 0x00AD, 0x034F, 0x180E: true
        default: false
        }
    }

    mutating func stripInvisible() -> Bool {
        if !scalars.contains(where: { Units.isInvisible($0.value) }) { return false }
        let r = rewritten(.stripInvisible) { i, emit in if !Units.isInvisible(scalars[i].value) { emit(scalars[i], false) } }
        return apply(r)
    }

    mutating func confusables() -> Bool {
        if isASCII { return false }
        func step(_ i: Int) -> Step {
            let s = scalars[i]
            if s.value < 0x80 { return .keep }
            if let c = memo.confusable(s) { return .replace(c) }
            // Latin letters with diacritics: drop the marks (ráṕé -> rape).
            if let base = memo.base(s) { return .replace(base) }
            // A combining mark following an ASCII letter (e + U+0301) is dropped.
            if memo.flags(s) & ScalarFlags.nonspacingMark != 0, i > 0, scalars[i - 1].value < 0x80,
               memo.flags(scalars[i - 1]) & ScalarFlags.alphabetic != 0 { return .rebuild }
            return .keep
        }
        if let changes = replacements(step) { return replace(changes, .confusables) }
        return apply(rebuilt(.confusables, step))
    }

    mutating func casefold() -> Bool {
        if !scalars.contains(where: { $0.value >= 0x80 || ($0.value >= 65 && $0.value <= 90) }) { return false }
        func step(_ i: Int) -> Step {
            let s = scalars[i]
            if s.value < 0x80 { return s.value >= 65 && s.value <= 90 ? .replace(Unicode.Scalar(s.value + 32)!) : .keep }
            if memo.flags(s) & ScalarFlags.ownLowercase != 0 { return .keep }
            let lower = s.properties.lowercaseMapping.unicodeScalars
            if lower.count == 1, let l = lower.first { return .replace(l) }
            return .rebuild
        }
        if let changes = replacements(step) { return replace(changes, .casefold) }
        return apply(rebuilt(.casefold, step) { i in Array(scalars[i].properties.lowercaseMapping.unicodeScalars) })
    }

    static func leetTarget(_ v: UInt32) -> Unicode.Scalar? {
        switch v {
        case 0x34, 0x40: "a"; case 0x33: "e"; case 0x31, 0x21: "i"; case 0x30: "o"; case 0x24, 0x35: "s"
        case 0x37, 0x2B: "t"; case 0x38: "b"; case 0x7C: "l"; default: nil
        }
    }

    func isLetter(_ i: Int) -> Bool {
        guard i >= 0 && i < count else { return false }
        let v = scalars[i].value
        if v < 0x80 { return (v | 0x20) >= 97 && (v | 0x20) <= 122 }
        return memo.flags(scalars[i]) & ScalarFlags.alphabetic != 0
    }

    mutating func leet() -> Bool {
        // Tokens: runs of letters, digits and leet symbols.
        guard scalars.contains(where: { Units.leetTarget($0.value) != nil }) else { return false }
        var targets: [Unicode.Scalar?] = []   // made at the first leet character to replace
        var any = false
        var i = 0
        while i < count {
            // One token, read once: whether it has a letter, a leet character (only those are ever marked) and a
            // digit that is no leet character (2, 6, 9: the token is left alone).
            var j = i
            var hasLetter = false, hasLeet = false, badDigit = false
            while j < count {
                let v = scalars[j].value
                if isLetter(j) { hasLetter = true } else if Units.leetTarget(v) != nil { hasLeet = true }
                else if v == 0x32 || v == 0x36 || v == 0x39 { badDigit = true } else { break }
                j += 1
            }
            if j == i { i += 1; continue }
            if hasLetter && hasLeet && !badDigit { any = markLeet(i..<j, &targets) || any }
            i = j
        }
        if !any { return false }
        // One scalar for one: in place.
        return replace(targets.indices.compactMap { k in targets[k].map { (k, $0) } }, .leet)
    }

    private func markLeet(_ tok: Range<Int>, _ targets: inout [Unicode.Scalar?]) -> Bool {
        var marked = false
        var k = tok.lowerBound
        while k < tok.upperBound {
            guard !isLetter(k) else { k += 1; continue }
            var e = k
            while e < tok.upperBound && !isLetter(e) { e += 1 }
            let run = k..<e
            let before = run.lowerBound > tok.lowerBound
            let after = run.upperBound < tok.upperBound
            let lettersBefore = (tok.lowerBound..<run.lowerBound).filter(isLetter).count
            let lettersAfter = (run.upperBound..<tok.upperBound).filter(isLetter).count
            for p in run {
                let v = scalars[p].value
                guard let t = Units.leetTarget(v) else { continue }
                let digit = v >= 0x30 && v <= 0x39
                let interiorOnly = v == 0x21 || v == 0x2B   // ! +
                var ok: Bool
                if before && after { ok = true }
                else if interiorOnly { ok = false }
                else if digit { ok = after ? lettersAfter >= 3 : lettersBefore >= 2 }
                else { ok = true }   // @ $ | next to letters
                if ok {
                    if targets.isEmpty { targets = [Unicode.Scalar?](repeating: nil, count: count) }
                    targets[p] = t; marked = true
                }
            }
            k = e
        }
        return marked
    }

    static func isSeparator(_ s: Unicode.Scalar) -> Bool {
        switch s.value { case 0x20, 0x2E, 0x2D, 0x5F, 0x2A, 0x2F: true; default: false }
    }

    mutating func separators() -> Bool {
        var drop: [Bool] = []   // made at the first chain
        var any = false
        var i = 0
        // A single character: a letter or leet character with no letter or leet character on either side.
        func glyph(_ k: Int) -> Bool { k >= 0 && k < count && (isLetter(k) || Units.leetTarget(scalars[k].value) != nil) }
        func single(_ k: Int) -> Bool { glyph(k) && !glyph(k - 1) && !glyph(k + 1) }
        while i < count {
            guard single(i) else { i += 1; continue }
            // Most single glyphs (one-letter words) are not followed by separators and another single glyph: no
            // chain starts there.
            var next = i + 1
            while next < count && next - i <= 3 && Units.isSeparator(scalars[next]) { next += 1 }
            if next == i + 1 || next >= count || !single(next) { i += 1; continue }
            var chain = [i]
            var seps: [Int] = []
            var k = i
            var firstRun: [Unicode.Scalar]?
            while true {
                var j = k + 1
                var run: [Int] = []
                while j < count && run.count < 3 && Units.isSeparator(scalars[j]) { run.append(j); j += 1 }
                guard !run.isEmpty, j < count, single(j) else { break }
                // The same separator string all along the chain: `s.l.a.p r` stops at the space.
                let text = run.map { scalars[$0] }
                if let firstRun, firstRun != text { break }
                firstRun = text
                seps += run; chain.append(j); k = j
            }
            if chain.count >= 3 && chain.filter(isLetter).count >= 2 {
                if drop.isEmpty { drop = [Bool](repeating: false, count: count) }
                for s in seps { drop[s] = true }
                any = true
            }
            i = chain.last! + 1
        }
        if !any { return false }
        let r = rewritten(.separators) { k, emit in if !drop[k] { emit(scalars[k], false) } }
        return apply(r)
    }

    mutating func collapseRepeats() -> Bool {
        var changed = false
        let b = Units.bit(.collapseRepeats)
        var i = 0
        var keep: [Bool] = []   // made at the first run to collapse
        while i < count {
            var j = i + 1
            while j < count && scalars[j] == scalars[i] { j += 1 }
            if j - i >= 3 && isLetter(i) {
                if keep.isEmpty { keep = Array(repeating: true, count: count) }
                for k in (i + 2)..<j { keep[k] = false }
                if maps { end[i + 1] = end[j - 1]; mask[i + 1] |= b }
                changed = true
            }
            i = j
        }
        guard changed else { return false }
        let r = rewritten(.collapseRepeats) { k, emit in if keep[k] { emit(scalars[k], false) } }
        _ = apply(r)
        // Dropped repeats are folded into the kept second letter (its range was extended), not a join.
        if maps { for k in 0..<count { join[k] &= ~b } }
        return true
    }

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
                              stages: stages.map { (layer: $0.0, text: $0.1) })
    }
}
