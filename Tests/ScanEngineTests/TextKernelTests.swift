import CScanKernels
import Foundation
import Testing

/// The parsers' C text kernels: the AVX2 loops against the scalar definitions, and both against Swift.
@Suite struct TextKernelTests {
    static let utf8Pieces: [[UInt8]] = ["a", "Z", " ", "\n", "é", "€", "😂", "ſ", "\u{200E}"].map { Array($0.utf8) }
        + [[0x00], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE0, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80],
           [0x80], [0xFF], [0xE2, 0x82], [0xF0, 0x9F]]

    func randomText(_ rng: inout SystemRandomNumberGenerator, maxLength: Int, pieces: [[UInt8]], bad: Int) -> [UInt8] {
        var t: [UInt8] = []
        let len = Int.random(in: 0...maxLength, using: &rng)
        while t.count < len {
            // Mostly ASCII runs, so that the vector loop has long stretches to skip.
            if Int.random(in: 0..<4, using: &rng) > 0 {
                t += [UInt8](repeating: UInt8.random(in: 0x21...0x7E, using: &rng), count: Int.random(in: 1...40, using: &rng))
            } else {
                let limit = Int.random(in: 0..<100, using: &rng) < bad ? pieces.count : 9
                t += pieces[Int.random(in: 0..<limit, using: &rng)]
            }
        }
        return t
    }

    /// Checks `t` with and without vectors, with and without NUL rejection, and against Swift's validation; returns
    /// how many of the two checks found a problem.
    func expectSameFirstProblem(_ t: [UInt8], round: Int) -> Int {
        var problems = 0
        for rejectNUL in [Int32(0), 1] {
            var k1: Int32 = 0, k2: Int32 = 0
            let (a, b) = t.withUnsafeBufferPointer { p -> (Int, Int) in
                let base = p.baseAddress ?? UnsafePointer(bitPattern: 1)!
                return (cs_utf8_first_problem(base, t.count, rejectNUL, &k1), cs_utf8_first_problem_scalar(base, t.count, rejectNUL, &k2))
            }
            #expect(a == b && (a < 0 || k1 == k2), "round \(round): \(t)")
            if rejectNUL == 0 {
                #expect((a < 0) == (String(validating: t, as: UTF8.self) != nil), "round \(round): \(t)")
            }
            if a >= 0 { problems += 1 }
        }
        return problems
    }

    @Test func utf8CheckFindsTheSameFirstProblemWithAndWithoutVectorsAndAgreesWithSwift() {
        var rng = SystemRandomNumberGenerator()
        var problems = 0
        for round in 0..<3000 {
            let t = randomText(&rng, maxLength: 300, pieces: Self.utf8Pieces, bad: round % 3 == 0 ? 0 : 30)
            problems += expectSameFirstProblem(t, round: round)
        }
        #expect(problems > 1000)
    }

    @Test func utf8CheckAgreesOnDenseNonASCIITextWithProblemsAtEveryBlockOffset() {
        var rng = SystemRandomNumberGenerator()
        let good = Self.utf8Pieces.prefix(9).filter { $0.count > 1 || $0[0] >= 0x80 }
        // Every way a sequence can be ill-formed: each byte class of the lookup tables at least once.
        let bad = Array(Self.utf8Pieces.dropFirst(9)) + [
            [0xC1, 0xBF], [0xE0, 0x9F, 0xBF], [0xED, 0xBF, 0xBF], [0xF0, 0x8F, 0xBF, 0xBF], [0xF4, 0xA0, 0x80, 0x80],
            [0xF8, 0x88, 0x80, 0x80], [0xBF], [0xC3], [0xE2, 0x28, 0xA1], [0xF0, 0x9F, 0x98], [0xC3, 0xA9, 0xA9],
            [0xF0, 0x9F, 0x98, 0x82, 0x82], [0xE2, 0x82, 0xAC, 0x80],
        ].map { $0.map(UInt8.init) }
        for round in 0..<4000 {
            // Multi-byte characters back to back (sequences straddle the 32-byte blocks), at most one bad piece.
            var t: [UInt8] = []
            let len = Int.random(in: 0...200, using: &rng)
            while t.count < len {
                t += Int.random(in: 0..<6, using: &rng) == 0 ? [UInt8.random(in: 0x20...0x7E, using: &rng)] : good.randomElement(using: &rng)!
            }
            if round % 5 != 0 {
                let at = Int.random(in: 0...t.count, using: &rng)
                t.insert(contentsOf: bad.randomElement(using: &rng)!, at: at)
            }
            _ = expectSameFirstProblem(t, round: round)
        }
    }

    @Test func utf8CheckReportsTheKindAndOffsetOfHandPickedProblems() {
        func check(_ bytes: [UInt8], _ nul: Int32) -> (Int, Int32) {
            var kind: Int32 = 0
            let at = bytes.withUnsafeBufferPointer { cs_utf8_first_problem($0.baseAddress!, bytes.count, nul, &kind) }
            return (at, kind)
        }
        let pad = [UInt8](repeating: 0x61, count: 40)
        #expect(check(pad + [0xC3, 0xA9] + pad, 1).0 == -1)
        #expect(check(pad + [0x00] + pad, 1) == (40, CS_UTF8_NUL))
        #expect(check(pad + [0x00] + pad, 0).0 == -1)
        #expect(check(pad + [0xED, 0xA0, 0x80] + pad, 0) == (40, CS_UTF8_INVALID))
        #expect(check(pad + [0xE2, 0x82], 0) == (40, CS_UTF8_TRUNCATED))
    }

    @Test func byteMasksMarkEveryOccurrenceWithAndWithoutVectors() {
        var rng = SystemRandomNumberGenerator()
        for round in 0..<2000 {
            let n = Int.random(in: 0...400, using: &rng)
            let bytes = (0..<n).map { _ in Int.random(in: 0..<8, using: &rng) == 0 ? UInt8(0x0A) : UInt8.random(in: 0...255, using: &rng) }
            let words = (n + 63) / 64
            var fast = [UInt64](repeating: 0xDEAD, count: words), slow = fast
            bytes.withUnsafeBufferPointer { p in
                let base = p.baseAddress ?? UnsafePointer(bitPattern: 1)!
                cs_byte_masks(base, n, 0x0A, &fast)
                cs_byte_masks_scalar(base, n, 0x0A, &slow)
            }
            var want = [UInt64](repeating: 0, count: words)
            for (i, b) in bytes.enumerated() where b == 0x0A { want[i / 64] |= 1 << UInt64(i % 64) }
            #expect(fast == want && slow == want, "round \(round), \(n) bytes")
        }
    }
}
