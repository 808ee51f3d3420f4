import CScanKernels

/// Finds the line terminators ahead of a reader from bit masks of 64 bytes each (CScanKernels' `cs_byte_masks`),
/// computed a window at a time: a few instructions per line instead of a `memchr` call per line. Windows start at
/// 256 bytes and double up to 16 KiB, so a cursor that reads one message does not compute masks for a whole window.
struct LineCursor {
    /// Masks per window (16 KiB of text).
    static let windowWords = 256
    let base: UnsafePointer<UInt8>
    let count: Int
    let terminator: UInt8
    /// Room for `windowWords` masks, owned by the caller.
    let masks: UnsafeMutablePointer<UInt64>
    /// Bytes the masks cover; `windowStart` is a multiple of 64.
    private var windowStart = 0, windowEnd = 0
    private var windowWordsNow = 4

    init(base: UnsafePointer<UInt8>, count: Int, terminator: UInt8, masks: UnsafeMutablePointer<UInt64>) {
        self.base = base; self.count = count; self.terminator = terminator; self.masks = masks
    }

    /// Runs `body` with a cursor over `count` bytes at `base` whose masks live on the stack.
    static func with<R>(_ base: UnsafePointer<UInt8>, count: Int, terminator: UInt8,
                        _ body: (inout LineCursor) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: windowWords) { buffer in
            var cursor = LineCursor(base: base, count: count, terminator: terminator, masks: buffer.baseAddress!)
            return try body(&cursor)
        }
    }

    /// Offset of the first terminator at or after `i`, or `count` when there is none.
    @inline(__always)
    mutating func next(from i: Int) -> Int {
        guard i < count else { return count }
        if i < windowStart || i >= windowEnd { fill(at: i & ~63) }
        var w = (i - windowStart) >> 6
        var m = masks[w] & (~0 << UInt64(i & 63))
        while m == 0 {
            w += 1
            if windowStart + (w << 6) >= windowEnd {
                if windowEnd >= count { return count }
                fill(at: windowEnd)
                w = 0
            }
            m = masks[w]
        }
        return windowStart + (w << 6) + m.trailingZeroBitCount
    }

    private mutating func fill(at start: Int) {
        windowStart = start
        windowEnd = min(count, start + windowWordsNow * 64)
        windowWordsNow = min(Self.windowWords, windowWordsNow * 2)
        cs_byte_masks(base + start, windowEnd - start, terminator, masks)
    }
}
