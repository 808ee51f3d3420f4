import Testing
@testable import ChatParsers

/// The mask-based line cursor the WhatsApp parser walks lines with, against a plain search.
@Suite struct LineCursorTests {
    @Test func nextTerminatorEqualsAPlainSearchFromEveryOffsetAcrossWindows() {
        var rng = SystemRandomNumberGenerator()
        for (size, gap) in [(0, 5), (1, 1), (70, 3), (40_000, 80), (50_000, 20_000)] {
            let bytes = (0..<size).map { _ in Int.random(in: 0..<gap, using: &rng) == 0 ? UInt8(0x0A) : UInt8(0x61) }
            var want = [Int](repeating: size, count: size + 1)
            for i in stride(from: size - 1, through: 0, by: -1) { want[i] = bytes[i] == 0x0A ? i : want[i + 1] }
            bytes.withUnsafeBufferPointer { p in
                let base = p.baseAddress ?? UnsafePointer(bitPattern: 1)!
                LineCursor.with(base, count: size, terminator: 0x0A) { cursor in
                    // Forward from line to line, as the parser walks.
                    var i = 0
                    while i < size {
                        let e = cursor.next(from: i)
                        #expect(e == want[i], "size \(size) from \(i)")
                        i = e + 1
                    }
                    // Then every offset in a shuffled order (jumps back and across windows).
                    for i in (0...size).shuffled(using: &rng).prefix(3000) {
                        #expect(cursor.next(from: i) == want[i], "size \(size) from \(i)")
                    }
                }
            }
        }
    }
}
