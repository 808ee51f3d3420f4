import CScanKernels
import Foundation
import Testing
@testable import ScanEngine

/// The C skeleton writers (vector and scalar) against the Swift definition `SkeletonKind.write`, text by text.
@Suite struct SkeletonKernelTests {
    /// Skeletons of `texts` as the engine's chunk buffer holds them, through the chosen C entry point.
    func kernel(_ texts: [[UInt8]], _ kind: SkeletonKind, scalar: Bool) -> (bytes: [UInt8], bounds: [(Int, Int)]) {
        var src: [UInt8] = []
        var starts: [Int64] = [], ends: [Int64] = []
        for t in texts { starts.append(Int64(src.count)); src += t; ends.append(Int64(src.count)); src.append(0x0A) }
        var out = [UInt8](repeating: 0xFF, count: 1 + src.count + Int(CS_SKELETON_SLACK))
        var os = [Int64](repeating: 0, count: texts.count), oe = os
        let table = SkeletonKind.tablePointers[kind.rawValue]
        let used = src.withUnsafeBufferPointer { s in
            scalar ? cs_skeleton_texts_scalar(s.baseAddress!, starts, ends, texts.count, table, &out, &os, &oe)
                : cs_skeleton_texts(s.baseAddress!, starts, ends, texts.count, table, &out, &os, &oe)
        }
        return (Array(out[0..<used]), zip(os, oe).map { (Int($0), Int($1)) })
    }

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

    func check(_ texts: [[UInt8]], _ context: String) {
        for kind in SkeletonKind.allCases {
            let want = reference(texts, kind)
            for scalar in [true, false] {
                let got = kernel(texts, kind, scalar: scalar)
                #expect(got.bytes == want.bytes, "\(kind) scalar=\(scalar) \(context)")
                #expect(got.bounds.map { $0.0 } == want.bounds.map { $0.0 } && got.bounds.map { $0.1 } == want.bounds.map { $0.1 },
                        "\(kind) scalar=\(scalar) bounds \(context)")
            }
        }
    }

    @Test func kernelsMatchTheSwiftWriterOnHandPickedTexts() {
        let texts = ["S.l.@.p", "k i i i l l", "\u{212A}ill r4pe", "café 😂 naïve", "", "aaaa....aaaa", "ſlut \u{212A}\u{212A}",
                     String(repeating: "x.", count: 70), String(repeating: "é", count: 40) + "K" + String(repeating: "k", count: 30),
                     String(repeating: "ab", count: 31) + "\u{212A}" + "bc", String(repeating: "z", count: 63) + "ſ" + "s"]
        check(texts.map { Array($0.utf8) }, "hand-picked")
    }

    @Test func kernelsMatchTheSwiftWriterOnRandomTextsAcrossBlockEdges() {
        var rng = SystemRandomNumberGenerator()
        // Pieces chosen to hit every branch: letters, digits, leet symbols, separators, repeats, multi-byte characters,
        // the two folding characters, and truncated sequences at text ends.
        let pieces: [[UInt8]] = ["a", "A", "s", "4", "@", "$", "!", "|", "+", "1", "0", " ", ".", "_", "-", "\t", "ss", "é",
                                 "😂", "\u{212A}", "ſ", "\u{2122}", "Ŀ"].map { Array($0.utf8) } + [[0xE2], [0xE2, 0x84], [0xC5]]
        for round in 0..<400 {
            var texts: [[UInt8]] = []
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                var t: [UInt8] = []
                let len = Int.random(in: 0...200, using: &rng)
                while t.count < len { t += pieces[Int.random(in: 0..<pieces.count, using: &rng)] }
                texts.append(t)
            }
            check(texts, "round \(round)")
        }
    }

    @Test func vectorWriterIsUsedWhereTheProcessorHasIt() {
        // Not a speed check: records which path the other tests exercised on this machine.
        let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        if flags.contains("avx512_vbmi2") && flags.contains("avx512vbmi") && flags.contains("avx512bw") {
            #expect(cs_skeleton_vectorised() == 1)
        }
    }
}
