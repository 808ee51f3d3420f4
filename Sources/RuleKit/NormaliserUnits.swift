import Foundation

/// The normaliser's layers, each a pass over the units (`Units`, in NormaliserUnitState.swift), in pipeline order as
/// `NormaliseLayer` lists them; each returns whether it changed anything.
extension Units {
    mutating func nfkc() -> Bool {
        // A cluster is sent to NFKC (below) when it holds a scalar NFKC may change, or a combining mark after its
        // first scalar: without either anywhere, the layer changes nothing and nothing is copied.
        let mayChange = scalars.indices.contains { k in
            guard scalars[k].value >= 0x80 else { return false }
            let f = memo.flags(scalars[k])
            return Units.nfkcMayChange(f) || (k > 0 && f & ScalarFlags.combining != 0)
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
            // A cluster of one scalar NFKC leaves alone (`nfkcMayChange` false: emoji, most letters), or of ASCII
            // only, is kept without asking Foundation (or copying).
            let needs = (c.count > 1 && scalars[c].contains(where: { $0.value >= 0x80 }))
                || scalars[c].contains(where: { $0.value >= 0x80 && Units.nfkcMayChange(memo.flags($0)) })
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

    /// Whether NFKC may change a non-ASCII scalar on its own: it changes under NFKC case folding (case folding
    /// alone does not count where NFKC is known to leave the scalar as it is, as for capital Cyrillic letters).
    static func nfkcMayChange(_ flags: UInt8) -> Bool {
        flags & ScalarFlags.nfkcCaseFoldChanges != 0 && flags & ScalarFlags.nfkcStable == 0
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
            if let l = memo.lowercase(s) { return .replace(l) }
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

    /// True when scalar `k` may stand between the letters of a spelled-out word for the `separators` layer: an ASCII
    /// separator (`ASCII.isSeparator`), a dot or bullet (`k·i·l·l`, `k•i•l•l`), or an emoji (`k😂i😂l😂l`, with its
    /// variation selector and skin tone); non-ASCII answers come from the memo, as in `isLetter`.
    func isSeparator(_ k: Int) -> Bool {
        let s = scalars[k]
        return s.value < 0x80 ? ASCII.isSeparator(UInt8(s.value)) : memo.flags(s) & ScalarFlags.separator != 0
    }

    /// `a`, `A`, `i` or `I`: a single letter that may be a word of its own before a spelled-out word.
    static func isArticle(_ v: UInt32) -> Bool { v == 0x61 || v == 0x41 || v == 0x69 || v == 0x49 }

    /// An apostrophe of a contraction for the `separators` layer: `'` or `’` (U+2019). A glyph with one between it
    /// and another glyph (`I'm`, `I’ll`, `don't`) is part of a word, not a spelled-out letter: `x I'm` is not joined.
    static func isApostrophe(_ s: Unicode.Scalar) -> Bool { s.value == 0x27 || s.value == 0x2019 }

    /// `isSeparator` from the scalar's Unicode properties (what `ScalarFlags` caches for non-ASCII scalars).
    static func isSeparatorUncached(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        switch v {
        case 0..<0x80: return ASCII.isSeparator(UInt8(v))
        // · • ‣ ‧ ⁃ ∙ ⋅ ● ◦ ★ ☆ ⸱ ・ ･, and the text and emoji variation selectors.
        case 0xB7, 0x2022, 0x2023, 0x2027, 0x2043, 0x2219, 0x22C5, 0x25CF, 0x25E6, 0x2605, 0x2606, 0x2E31, 0x30FB,
             0xFF65, 0xFE0E, 0xFE0F: return true
        case 0x1F3FB...0x1F3FF: return true   // skin tone modifiers
        default:
            // Emoji (not the ASCII ones: digits, `#`, `*`), except letter-like ones such as `ℹ` or `Ⓜ`.
            let p = s.properties
            return v >= 0x2000 && p.isEmoji && !p.isAlphabetic
        }
    }

    mutating func separators() -> Bool {
        var drop: [Bool] = []   // made at the first chain
        var any = false
        var i = 0
        // A single character: a letter or leet character with no letter or leet character on either side, and not
        // one side of a contraction (`I'm`, `don't`: an apostrophe between it and another glyph).
        func glyph(_ k: Int) -> Bool { k >= 0 && k < count && (isLetter(k) || Units.leetTarget(scalars[k].value) != nil) }
        func apostrophe(_ k: Int) -> Bool { k >= 0 && k < count && Units.isApostrophe(scalars[k]) }
        func single(_ k: Int) -> Bool {
            glyph(k) && !glyph(k - 1) && !glyph(k + 1) && !(apostrophe(k + 1) && glyph(k + 2))
                && !(apostrophe(k - 1) && glyph(k - 2))
        }
        while i < count {
            guard single(i) else { i += 1; continue }
            // Most single glyphs (one-letter words) are not followed by separators and another single glyph: no
            // chain starts there.
            var next = i + 1
            while next < count && next - i <= 3 && isSeparator(next) { next += 1 }
            if next == i + 1 || next >= count || !single(next) { i += 1; continue }
            var chain = [i]
            var seps: [Int] = []
            var k = i
            var firstRun: [Unicode.Scalar]?
            while true {
                var j = k + 1
                var run: [Int] = []
                while j < count && run.count < 3 && isSeparator(j) { run.append(j); j += 1 }
                guard !run.isEmpty, j < count, single(j) else { break }
                // The same separator string all along the chain: `s.l.a.p r` stops at the space.
                let text = run.map { scalars[$0] }
                if let firstRun, firstRun != text { break }
                firstRun = text
                seps += run; chain.append(j); k = j
            }
            let letters = chain.filter(isLetter).count
            if chain.count >= 3 && letters >= 2 {
                if drop.isEmpty { drop = [Bool](repeating: false, count: count) }
                // A single `a` or `i`, one space, then 3+ glyphs (2+ letters): an article or pronoun before a
                // spelled-out word, or the word's first letter. The second reading keeps that space.
                let article = Units.isArticle(scalars[chain[0]].value) && firstRun == [" "] && chain.count >= 4
                    && letters >= 3
                if article { hasSecondReading = true }
                for (k, s) in seps.enumerated() where !(article && secondReading && k == 0) { drop[s] = true }
                any = true
                i = chain.last! + 1
            } else {
                // Too short: its last glyph may start a chain of its own (`a f.a.g`, `i 😍 r a p e`: `fag`, `rape`).
                i = chain.count > 1 ? chain.last! : i + 1
            }
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
}
