@testable import ScanEngine

/// The skeleton written in Swift, one character at a time: the definition the C kernels (`CScanKernels`) are checked
/// against. See `SkeletonKind` for what a skeleton is.
extension SkeletonKind {
    /// Writes the skeleton of `n` bytes of valid UTF-8 at `src` to `dst` (room for `n` bytes), squeezing repeats
    /// (the byte before `dst` counts as `\n`); returns the number of bytes written.
    @inline(__always)
    func write(_ src: UnsafePointer<UInt8>, _ n: Int, to dst: UnsafeMutablePointer<UInt8>) -> Int {
        let table = UnsafePointer(SkeletonKind.tablePointers[rawValue])
        var i = 0, o = 0
        var prev: UInt8 = 0x0A
        while i < n {
            let b = src[i]
            var c: UInt8
            if _fastPath(b < 0x80) {
                c = table[Int(b)]; i &+= 1
            } else if b == 0xE2 && i + 2 < n && src[i + 1] == 0x84 && src[i + 2] == 0xAA {
                c = 0x6B; i &+= 3
            } else if b == 0xC5 && i + 1 < n && src[i + 1] == 0xBF { c = 0x73; i &+= 2 } else { c = 0; i &+= 1 }
            // Branch-free: always store, advance only for a kept byte.
            dst[o] = c
            let keep = (c != 0) && (c != prev)
            o &+= keep ? 1 : 0
            prev = keep ? c : prev
        }
        return o
    }

    /// Appends the skeleton of `bytes` to `out` (convenience for short texts).
    func append(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8], last: inout UInt8) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        var tmp = [UInt8](repeating: 0, count: bytes.count)
        let n = tmp.withUnsafeMutableBufferPointer { write(base.assumingMemoryBound(to: UInt8.self), bytes.count, to: $0.baseAddress!) }
        out += tmp[0..<n]
    }
}
