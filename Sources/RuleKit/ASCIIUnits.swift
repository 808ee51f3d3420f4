/// The normaliser's fast path for pure-ASCII text (most chat messages): the same layers and the same rules as
/// `Units`, on bytes, with one unit per byte. `ASCIIUnitsTests` checks that both paths agree.
struct ASCIIUnits {
    var c: [UInt8]
    var start: [Int32]
    var end: [Int32]
    var mask: [UInt8]
    var join: [UInt8]
    /// As in `Units`: the `separators` layer's second reading, and whether a joined chain has one.
    var secondReading = false
    var hasSecondReading = false

    init(_ bytes: UnsafeRawBufferPointer) {
        let n = bytes.count
        c = Array(bytes)
        start = ASCIIUnits.ramp(n, from: 0)
        end = ASCIIUnits.ramp(n, from: 1)
        mask = [UInt8](repeating: 0, count: n)
        join = [UInt8](repeating: 0, count: n)
    }

    /// `offset, offset + 1, ..., offset + n - 1`. An empty text gets a plain `[]`: building an empty array through
    /// `unsafeUninitializedCapacity` stores its count into the stdlib's shared empty-array storage, a write that
    /// ThreadSanitizer reports as a race when two threads normalise empty texts.
    static func ramp(_ n: Int, from offset: Int32) -> [Int32] {
        guard n > 0 else { return [] }
        return [Int32](unsafeUninitializedCapacity: n) { b, k in for i in 0..<n { b[i] = Int32(i) + offset }; k = n }
    }

    var count: Int { c.count }
    var text: String { String(decoding: c, as: UTF8.self) }

    @inline(__always) func isLetter(_ i: Int) -> Bool { i >= 0 && i < c.count && ASCII.isLetter(c[i]) }
    @inline(__always) static func leetTarget(_ b: UInt8) -> UInt8 {
        switch b {
        case 0x34, 0x40: 0x61; case 0x33: 0x65; case 0x31, 0x21: 0x69; case 0x30: 0x6F; case 0x24, 0x35: 0x73
        case 0x37, 0x2B: 0x74; case 0x38: 0x62; case 0x7C: 0x6C; default: 0
        }
    }

    /// Removes units where `keep` is false; the next kept unit's `join` records the layer (as `Units.rewritten`).
    mutating func compact(_ keep: [Bool], _ layer: NormaliseLayer) {
        let b = Units.bit(layer)
        var w = 0
        var pending: UInt8 = 0
        for r in 0..<c.count {
            if keep[r] {
                c[w] = c[r]; start[w] = start[r]; end[w] = end[r]; mask[w] = mask[r]; join[w] = join[r] | pending
                pending = 0; w += 1
            } else {
                pending |= b | join[r]
            }
        }
        c.removeLast(c.count - w); start.removeLast(start.count - w); end.removeLast(end.count - w)
        mask.removeLast(mask.count - w); join.removeLast(join.count - w)
    }

    mutating func casefold() -> Bool {
        let b = Units.bit(.casefold)
        var changed = false
        for i in 0..<c.count where c[i] >= 65 && c[i] <= 90 { c[i] += 32; mask[i] |= b; changed = true }
        return changed
    }

    mutating func separators() -> Bool {
        let n = c.count
        @inline(__always) func glyph(_ k: Int) -> Bool { k >= 0 && k < n && (ASCII.isLetter(c[k]) || ASCIIUnits.leetTarget(c[k]) != 0) }
        // Not one side of a contraction (`I'm`, `don't`), as in `Units.separators`. The apostrophe's length: `'`, or
        // `’` (an inert scalar, here as its UTF-8 bytes E2 80 99) starting at k (`after`) or ending at k.
        @inline(__always) func apostrophe(_ k: Int, after: Bool) -> Int {
            guard k >= 0 && k < n else { return 0 }
            if c[k] == 0x27 { return 1 }
            let s = after ? k : k - 2
            return s >= 0 && s + 2 < n && c[s] == 0xE2 && c[s + 1] == 0x80 && c[s + 2] == 0x99 ? 3 : 0
        }
        @inline(__always) func single(_ k: Int) -> Bool {
            guard glyph(k) && !glyph(k - 1) && !glyph(k + 1) else { return false }
            let a = apostrophe(k + 1, after: true), b = apostrophe(k - 1, after: false)
            return !(a > 0 && glyph(k + 1 + a)) && !(b > 0 && glyph(k - 1 - b))
        }
        var keep: [Bool]?
        var i = 0
        while i < n {
            guard single(i) else { i += 1; continue }
            // A chain of single glyphs joined by 1-3 separators; everything between its ends is separators.
            var last = i, glyphs = 1, letters = ASCII.isLetter(c[i]) ? 1 : 0
            var firstRun: Range<Int>?
            while true {
                var j = last + 1
                var run = 0
                while j < n && run < 3 && ASCII.isSeparator(c[j]) { run += 1; j += 1 }
                guard run > 0, j < n, single(j) else { break }
                // The same separator string all along the chain (as in `Units.separators`).
                if let f = firstRun, !c[f].elementsEqual(c[(last + 1)..<j]) { break }
                if firstRun == nil { firstRun = (last + 1)..<j }
                last = j; glyphs += 1
                if ASCII.isLetter(c[j]) { letters += 1 }
            }
            if glyphs >= 3 && letters >= 2 {
                if keep == nil { keep = [Bool](repeating: true, count: n) }
                // `a` or `i`, one space, then 3+ glyphs (2+ letters): the second reading keeps that space.
                let article = Units.isArticle(UInt32(c[i])) && firstRun.map { c[$0].elementsEqual([0x20]) } == true
                    && glyphs >= 4 && letters >= 3
                if article { hasSecondReading = true }
                for s in i...last where ASCII.isSeparator(c[s]) && !(article && secondReading && s == i + 1) { keep![s] = false }
                i = last + 1
            } else {
                // Too short: its last glyph may start a chain of its own (as in `Units.separators`).
                i = last > i ? last : i + 1
            }
        }
        guard let keep else { return false }
        compact(keep, .separators)
        return true
    }

    mutating func leet() -> Bool {
        let n = c.count
        guard c.contains(where: { ASCIIUnits.leetTarget($0) != 0 }) else { return false }
        let b = Units.bit(.leet)
        var targets = [UInt8](repeating: 0, count: n)
        var any = false
        var i = 0
        @inline(__always) func inToken(_ k: Int) -> Bool {
            ASCII.isLetter(c[k]) || (c[k] >= 0x30 && c[k] <= 0x39) || ASCIIUnits.leetTarget(c[k]) != 0
        }
        while i < n {
            guard inToken(i) else { i += 1; continue }
            var j = i
            while j < n && inToken(j) { j += 1 }
            var hasLetter = false, badDigit = false
            for k in i..<j { if isLetter(k) { hasLetter = true } else if c[k] == 0x32 || c[k] == 0x36 || c[k] == 0x39 { badDigit = true } }
            if hasLetter && !badDigit { any = markLeet(i..<j, &targets) || any }
            i = j
        }
        guard any else { return false }
        for k in 0..<n where targets[k] != 0 { c[k] = targets[k]; mask[k] |= b }
        return true
    }

    private func markLeet(_ tok: Range<Int>, _ targets: inout [UInt8]) -> Bool {
        var marked = false
        var k = tok.lowerBound
        while k < tok.upperBound {
            guard !isLetter(k) else { k += 1; continue }
            var e = k
            while e < tok.upperBound && !isLetter(e) { e += 1 }
            let before = k > tok.lowerBound, after = e < tok.upperBound
            var lettersBefore = 0, lettersAfter = 0
            for q in tok.lowerBound..<k where isLetter(q) { lettersBefore += 1 }
            for q in e..<tok.upperBound where isLetter(q) { lettersAfter += 1 }
            for p in k..<e {
                let v = c[p]
                let t = ASCIIUnits.leetTarget(v)
                guard t != 0 else { continue }
                let digit = v >= 0x30 && v <= 0x39
                let ok: Bool
                if before && after { ok = true }
                else if v == 0x21 || v == 0x2B { ok = false }
                else if digit { ok = after ? lettersAfter >= 3 : lettersBefore >= 2 }
                else { ok = true }
                if ok { targets[p] = t; marked = true }
            }
            k = e
        }
        return marked
    }

    mutating func collapseRepeats() -> Bool {
        let n = c.count
        let b = Units.bit(.collapseRepeats)
        var keep: [Bool]?
        var i = 0
        while i < n {
            var j = i + 1
            while j < n && c[j] == c[i] { j += 1 }
            if j - i >= 3 && ASCII.isLetter(c[i]) {
                if keep == nil { keep = [Bool](repeating: true, count: n) }
                for k in (i + 2)..<j { keep![k] = false }
                end[i + 1] = end[j - 1]
                mask[i + 1] |= b
            }
            i = j
        }
        guard let keep else { return false }
        compact(keep, .collapseRepeats)
        for k in 0..<c.count { join[k] &= ~b }
        return true
    }

    func finish(layers: [NormaliseLayer], changed: [NormaliseLayer], stages: [(NormaliseLayer, String)],
                originalLength: Int) -> NormalisedText {
        let n = c.count
        let unitOfByte = ASCIIUnits.ramp(n, from: 0)
        return NormalisedText(bytes: c, layers: layers, originalLength: originalLength, unitOfByte: unitOfByte,
                              unitStart: start, unitEnd: end, unitMask: mask, unitJoin: join, changed: changed,
                              stages: stages.map { (layer: $0.0, text: $0.1) }, hasSecondReading: hasSecondReading)
    }
}
