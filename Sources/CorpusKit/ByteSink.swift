#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Errors the corpus generator reports: bad options, files that cannot be written.
public struct CorpusError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A buffered, streaming file writer that also counts lines, so ground truth can name the line a message starts on.
///
/// Memory stays at the buffer size whatever the output size.
final class ByteSink {
    let path: String
    private let fp: UnsafeMutablePointer<FILE>
    private let buf: UnsafeMutablePointer<UInt8>
    private let capacity = 1 << 22
    private var used = 0
    /// Bytes written so far (flushed and buffered).
    private(set) var total = 0
    /// 1-based number of the line the next byte goes to.
    var line = 1

    init(path: String) throws {
        guard let f = fopen(path, "wb") else { throw CorpusError("\(path): cannot open for writing (errno \(errno))") }
        self.path = path
        fp = f
        buf = .allocate(capacity: capacity)
    }

    deinit {
        fclose(fp)
        buf.deallocate()
    }

    func flush() throws {
        if used > 0 {
            let n = fwrite(buf, 1, used, fp)
            guard n == used else { throw CorpusError("\(path): write failed (errno \(errno))") }
            used = 0
        }
    }

    func close() throws {
        try flush()
        guard fflush(fp) == 0 else { throw CorpusError("\(path): flush failed (errno \(errno))") }
    }

    @inline(__always)
    private func reserve(_ n: Int) throws {
        if used + n > capacity { try flush() }
    }

    /// Appends raw bytes; the caller counts any newlines in them through `line`.
    @inline(__always)
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        let n = bytes.count
        if n == 0 { return }
        if n > capacity {
            try flush()
            guard fwrite(bytes.baseAddress!, 1, n, fp) == n else { throw CorpusError("\(path): write failed") }
            total += n
            return
        }
        try reserve(n)
        (buf + used).update(from: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), count: n)
        used += n
        total += n
    }

    @inline(__always)
    func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }

    @inline(__always)
    func write(_ bytes: ArraySlice<UInt8>) throws { try bytes.withUnsafeBytes { try write($0) } }

    @inline(__always)
    func byte(_ b: UInt8) throws {
        try reserve(1)
        buf[used] = b
        used += 1
        total += 1
    }

    /// Copies the last `n` bytes written into `dest`; false when a flush already moved some of them to disk.
    func copyLast(_ n: Int, into dest: inout [UInt8]) -> Bool {
        guard n <= used, dest.count == n else { return false }
        for k in 0..<n { dest[k] = buf[used - n + k] }
        return true
    }

    /// Appends a newline and advances the line counter.
    @inline(__always)
    func newline() throws {
        try byte(0x0A)
        line += 1
    }

    func write(_ s: String) throws {
        var s = s
        try s.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    /// Appends a decimal number (no padding).
    func decimal(_ value: Int) throws {
        var v = value
        if v < 0 { try byte(0x2D); v = -v }
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        try withUnsafeMutableBytes(of: &tmp) { p in
            repeat {
                p[19 - n] = UInt8(0x30 + v % 10)
                v /= 10
                n += 1
            } while v > 0
            try write(UnsafeRawBufferPointer(rebasing: p[(20 - n)...]))
        }
    }

    /// Appends a number zero-padded to two digits.
    @inline(__always)
    func twoDigits(_ v: Int) throws {
        try reserve(2)
        buf[used] = UInt8(0x30 + v / 10)
        buf[used + 1] = UInt8(0x30 + v % 10)
        used += 2
        total += 2
    }
}
