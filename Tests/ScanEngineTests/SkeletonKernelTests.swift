import CScanKernels
import Foundation
import Testing
@testable import ScanEngine

/// The C skeleton writer (vector and scalar) against the Swift definition `SkeletonKind.write`, text by text.
@Suite struct SkeletonKernelTests {
    /// The Swift writer's skeletons in the same layout: `\n`, then each skeleton and `\n`.
    func reference(_ texts: [[UInt8]], _ kind: SkeletonKind) -> (bytes: [UInt8], bounds: [(Int, Int)]) {
        var out: [UInt8] = [0x0A]
        var bounds: [(Int, Int)] = []
        for t in texts {
            var tmp = [UInt8](repeating: 0, count: t.count + 1)
            let n = t.withUnsafeBufferPointer { s in
                tmp.withUnsafeMutableBufferPointer { kind.write(s.baseAddress ?? UnsafePointer(bitPattern: 1)!, t.count, to: $0.baseAddress!) }
            }
            bounds.append((out.count, out.count + n))
            out += tmp[0..<n]
            out.append(0x0A)
        }
        return (out, bounds)
    }

    /// Skeletons of `texts` through `cs_skeleton_gathered` (all `kinds` in one call) over their gathered copy.
    /// `level` picks the loop (0 scalar, 1 AVX2, 2 AVX-512; see `cs_skeleton_vectorised`).
    func gathered(_ texts: [[UInt8]], _ kinds: [SkeletonKind], level: Int32) -> [(bytes: [UInt8], bounds: [(Int, Int)])] {
        gatheredAndFolded(texts, kinds, level: level).skeletons
    }

    /// `gathered`, with the writer's flag per text for KELVIN SIGN or LONG S.
    func gatheredAndFolded(_ texts: [[UInt8]], _ kinds: [SkeletonKind], level: Int32)
        -> (skeletons: [(bytes: [UInt8], bounds: [(Int, Int)])], folded: [Bool]) {
        var g: [UInt8] = [0x0A]
        var ends: [Int64] = []
        for t in texts { g += t; ends.append(Int64(g.count)); g.append(0x0A) }
        let n = texts.count
        let outs = kinds.map { _ in UnsafeMutablePointer<UInt8>.allocate(capacity: g.count + Int(CS_SKELETON_SLACK)) }
        let starts = kinds.map { _ in UnsafeMutablePointer<Int64>.allocate(capacity: max(n, 1)) }
        let oends = kinds.map { _ in UnsafeMutablePointer<Int64>.allocate(capacity: max(n, 1)) }
        defer { outs.forEach { $0.deallocate() }; starts.forEach { $0.deallocate() }; oends.forEach { $0.deallocate() } }
        var used = [Int](repeating: 0, count: kinds.count)
        // Set to 2 so that a text the writer leaves unmarked shows.
        var folded = [UInt8](repeating: 2, count: n)
        let tables: [UnsafePointer<UInt8>?] = kinds.map { UnsafePointer(SkeletonKind.tablePointers[$0.rawValue]) }
        let o: [UnsafeMutablePointer<UInt8>?] = outs, st: [UnsafeMutablePointer<Int64>?] = starts, en: [UnsafeMutablePointer<Int64>?] = oends
        g.withUnsafeBufferPointer { gp in
            if level == 0 {
                cs_skeleton_gathered_scalar(gp.baseAddress!, g.count, ends, n, tables, kinds.count, o, st, en, &used, &folded)
            } else {
                #expect(cs_skeleton_gathered_level(level, gp.baseAddress!, g.count, ends, n, tables, kinds.count, o, st, en,
                                                   &used, &folded) == 1)
            }
        }
        let skeletons = kinds.indices.map { j in
            (Array(UnsafeBufferPointer(start: outs[j], count: used[j])), (0..<n).map { (Int(starts[j][$0]), Int(oends[j][$0])) })
        }
        #expect(folded.allSatisfy { $0 <= 1 })
        return (skeletons, folded.map { $0 == 1 })
    }

    /// Whether a text holds KELVIN SIGN (E2 84 AA) or LONG S (C5 BF), by its bytes.
    func holdsFoldingCharacter(_ t: [UInt8]) -> Bool {
        t.indices.contains { i in
            (t[i] == 0xE2 && i + 2 < t.count && t[i + 1] == 0x84 && t[i + 2] == 0xAA) || (t[i] == 0xC5 && i + 1 < t.count && t[i + 1] == 0xBF)
        }
    }

    func check(_ texts: [[UInt8]], _ context: String) {
        // Every loop this processor has, scalar first.
        // Both kinds in one call in either order: leet then plain takes the vector loops' shared path for the plain
        // skeleton (its table is leet's with `@ $ ! | +` deleted); plain then leet takes the independent one.
        let wantFolded = texts.map(holdsFoldingCharacter)
        for level in Int32(0)...cs_skeleton_vectorised() {
            let (both, folded) = gatheredAndFolded(texts, SkeletonKind.allCases, level: level)
            #expect(folded == wantFolded, "folded texts level=\(level) \(context)")
            #expect(gatheredAndFolded(texts, [.plain], level: level).folded == wantFolded, "folded texts, plain alone, level=\(level) \(context)")
            let swapped = gathered(texts, SkeletonKind.allCases.reversed(), level: level)
            for (j, kind) in SkeletonKind.allCases.enumerated() {
                let want = reference(texts, kind)
                for got in [both[j], swapped[SkeletonKind.allCases.count - 1 - j], gathered(texts, [kind], level: level)[0]] {
                    #expect(got.bytes == want.bytes, "gathered \(kind) level=\(level) \(context)")
                    #expect(got.bounds.map { $0.0 } == want.bounds.map { $0.0 } && got.bounds.map { $0.1 } == want.bounds.map { $0.1 },
                            "gathered \(kind) level=\(level) bounds \(context)")
                }
            }
        }
    }

    @Test func kernelsMatchTheSwiftWriterOnHandPickedTexts() {
        let texts = ["S.l.@.p", "k i i i l l", "\u{212A}ill r4pe", "café 😂 naïve", "", "aaaa....aaaa", "ſlut \u{212A}\u{212A}",
                     String(repeating: "x.", count: 70), String(repeating: "é", count: 40) + "K" + String(repeating: "k", count: 30),
                     String(repeating: "ab", count: 31) + "\u{212A}" + "bc", String(repeating: "z", count: 63) + "ſ" + "s"]
        check(texts.map { Array($0.utf8) }, "hand-picked")
    }

    @Test func kernelsSqueezeAcrossRunsOfDeletedCharactersLongerThanABlock() {
        // The same letter either side of 1...70 deleted bytes, at every offset within a block: the last kept byte
        // must carry across whole blocks of deleted characters (a 16- or 32-byte block of nothing but spaces).
        var texts: [[UInt8]] = []
        for gap in 1...70 {
            for lead in 0..<4 {
                texts.append(Array((String(repeating: "b", count: lead * 5) + "a" + String(repeating: " ", count: gap) + "a").utf8))
                texts.append(Array(("s" + String(repeating: "é", count: gap / 2 + 1) + "$5").utf8))
            }
        }
        check(texts, "long deleted runs")
        for t in texts { check([t], "one text") }
    }

    @Test func kernelsMatchTheSwiftWriterOnRandomTextsAcrossBlockEdges() {
        var rng = SystemRandomNumberGenerator()
        // Pieces chosen to hit every branch: letters, digits, leet symbols, separators, repeats, multi-byte characters,
        // the two folding characters, and truncated sequences at text ends.
        let pieces: [[UInt8]] = ["a", "A", "s", "4", "@", "$", "!", "|", "+", "1", "0", " ", ".", "_", "-", "\t", "ss", "é",
                                 "😂", "\u{212A}", "ſ", "\u{2122}", "Ŀ", "\n", "’"].map { Array($0.utf8) } + [[0xE2], [0xE2, 0x84], [0xC5]]
        for round in 0..<600 {
            var texts: [[UInt8]] = []
            // Many short texts (blocks of the gathered writer cross text edges) or a few long ones.
            let many = round % 2 == 0
            for _ in 0..<Int.random(in: 1...(many ? 40 : 6), using: &rng) {
                var t: [UInt8] = []
                let len = Int.random(in: 0...(many ? 50 : 200), using: &rng)
                while t.count < len { t += pieces[Int.random(in: 0..<pieces.count, using: &rng)] }
                texts.append(t)
            }
            check(texts, "round \(round)")
        }
    }

    @Test func kernelsMatchTheSwiftWriterWhereRareSymbolsSetTheLeetAndPlainSkeletonsApart() {
        // Mostly letters, repeats and spaces, as chat text is, so that most blocks hold none of `@ $ ! | +` and the
        // plain skeleton is the leet one stored twice; a rare symbol (which the two skeletons read differently, and
        // which changes what the next letter is squeezed against) must separate them and later blocks rejoin them.
        var rng = SystemRandomNumberGenerator()
        let common: [[UInt8]] = ["a", "l", "ll", "i", "s", "t", " ", "  ", "A", "L", ".", "\n"].map { Array($0.utf8) }
        let rare: [[UInt8]] = ["!", "@", "$", "|", "+", "!!", "1", "é", "\u{212A}"].map { Array($0.utf8) }
        for round in 0..<300 {
            var texts: [[UInt8]] = []
            for _ in 0..<Int.random(in: 1...12, using: &rng) {
                var t: [UInt8] = []
                let len = Int.random(in: 0...(round % 3 == 0 ? 400 : 60), using: &rng)
                while t.count < len {
                    t += Int.random(in: 0..<40, using: &rng) == 0 ? rare.randomElement(using: &rng)! : common.randomElement(using: &rng)!
                }
                texts.append(t)
            }
            check(texts, "sparse symbols round \(round)")
        }
    }

    @Test func vectorWriterIsUsedWhereTheProcessorHasIt() {
        // Not a speed check: records which path the other tests exercised on this machine.
        let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        // `--profile` names the loop in use.
        #expect(SkeletonKind.writerDescription == ["scalar", "AVX2, 32-byte blocks", "AVX-512 VBMI2, 64-byte blocks"][Int(cs_skeleton_vectorised())])
        if flags.contains("avx512_vbmi2") && flags.contains("avx512vbmi") && flags.contains("avx512bw") {
            #expect(cs_skeleton_vectorised() == 2)
        } else if flags.contains(" avx2") && flags.contains(" bmi2") {
            #expect(cs_skeleton_vectorised() == 1)
        }
    }
}
