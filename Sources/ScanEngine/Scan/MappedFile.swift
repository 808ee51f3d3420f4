import ChatModel
import Crypto
import Foundation

/// A read-only memory-mapped file. Pages are file-backed, so mapping a large export does not cost anonymous memory.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    public let bytes: UnsafeRawBufferPointer
    private let mapped: Bool

    /// Maps `path` read-only; empty files get an empty buffer.
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw MappedFileError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw MappedFileError(path: path, reason: String(cString: strerror(errno))) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw MappedFileError(path: path, reason: "not a regular file") }
        let size = Int(st.st_size)
        if size == 0 {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0); mapped = false; return
        }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw MappedFileError(path: path, reason: "mmap failed: \(String(cString: strerror(errno)))")
        }
        _ = madvise(p, size, MADV_SEQUENTIAL)
        bytes = UnsafeRawBufferPointer(start: p, count: size)
        mapped = true
    }

    deinit {
        if mapped, let b = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: b), bytes.count) }
    }

    /// Size in bytes of the file at `path`, following symbolic links (the evidence is the file a link points to);
    /// nil when it cannot be stat'ed.
    public static func size(path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int(st.st_size)
    }

    /// Hex SHA-256 and size of the file at `path`; nil when it cannot be read. The file is mapped 16 MiB at a time
    /// (pre-faulted, unmapped after hashing), which saves the kernel-to-user copy of `read(2)` while keeping at most
    /// one window resident beside the scan's own mapping; `read(2)` is the fallback where mapping fails.
    public static func sha256(path: String) -> (sha256: String, size: Int)? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        var h = SHA256()
        var total = 0
        if (st.st_mode & S_IFMT) == S_IFREG {
            let size = Int(st.st_size)
            let window = 16 << 20
            while total < size {
                let n = min(window, size - total)
                guard let p = mmap(nil, n, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, off_t(total)), p != MAP_FAILED else { break }
                h.update(bufferPointer: UnsafeRawBufferPointer(start: p, count: n))
                munmap(p, n)
                total += n
            }
            // A file that grew meanwhile, or a window that could not be mapped: read the rest.
            guard lseek(fd, off_t(total), SEEK_SET) >= 0 else { return nil }
        }
        let size = 4 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer, size)
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 { break }
            h.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: n))
            total += n
        }
        return (Hex.string(h.finalize()), total)
    }

    /// Hex SHA-256 of bytes in memory, in 4 MiB slices.
    public static func sha256(_ bytes: UnsafeRawBufferPointer) -> String {
        var h = SHA256()
        var p = 0
        while p < bytes.count {
            let e = min(bytes.count, p + (4 << 20))
            h.update(bufferPointer: UnsafeRawBufferPointer(rebasing: bytes[p..<e]))
            p = e
        }
        return Hex.string(h.finalize())
    }
}

/// A file that could not be opened or mapped.
public struct MappedFileError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}
