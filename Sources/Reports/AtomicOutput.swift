import ChatModel
import Crypto
import Foundation

/// One output written atomically: bytes go to a temporary file in the destination's directory
/// (`.<name>.tmp-<pid>-<random>`), which is renamed over the destination only on `commit()`; `abort()` (or an error)
/// removes it. `-` writes to stdout instead, and a destination that exists but is not a regular file (`/dev/null`, a
/// FIFO, a terminal) is written to directly: renaming a file over a device would replace the device. The SHA-256 and
/// size of everything written are kept for the manifest (no digest for a character or block device such as
/// `/dev/null`: nothing written there can be checked against one). Writes go to a 256 KiB byte buffer that is hashed
/// and written out when full, so small records cost a memory copy each, not a `Data`, a hash update and a system
/// call (256 KiB stays in a core's L2 cache and costs a small scan 64 page faults, not 256).
public final class AtomicOutput {
    public let path: String
    let tempPath: String?
    private let handle: FileHandle
    /// Bytes not yet written to the file (nor hashed).
    private var buffer: [UInt8] = []
    /// SHA-256 state over every byte already written to the file.
    private var hasher = SHA256()
    /// False for a character or block device.
    private let hashed: Bool
    static let flushSize = 1 << 18
    public private(set) var bytesWritten = 0
    private var done = false

    public init(path: String) throws {
        self.path = path
        if path == "-" {
            tempPath = nil
            handle = FileHandle.standardOutput
            hashed = true
            return
        }
        var st = stat()
        let exists = stat(path, &st) == 0
        let type = st.st_mode & S_IFMT
        hashed = !(exists && (type == S_IFCHR || type == S_IFBLK))
        if exists && type != S_IFREG {
            if type == S_IFDIR { throw ReportError(path: path, reason: "is a directory") }
            guard let h = FileHandle(forWritingAtPath: path) else {
                throw ReportError(path: path, reason: "cannot open for writing: \(String(cString: strerror(errno)))")
            }
            tempPath = nil
            handle = h
            return
        }
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        guard FileManager.default.createFile(atPath: tmp, contents: nil, attributes: [.posixPermissions: 0o644]),
              let h = FileHandle(forWritingAtPath: tmp) else {
            throw ReportError(path: path, reason: "cannot create temporary file \(tmp)")
        }
        tempPath = tmp
        handle = h
    }

    public func write(_ s: String) throws {
        RecordBytes.withUTF8(s) { buffer.append(contentsOf: $0) }
        bytesWritten += s.utf8.count
        if buffer.count >= Self.flushSize { try flush() }
    }

    public func write(_ d: Data) throws {
        buffer.append(contentsOf: d)
        bytesWritten += d.count
        if buffer.count >= Self.flushSize { try flush() }
    }

    /// Lets `render` append one record's bytes straight to the output buffer.
    func append(_ render: (inout [UInt8]) -> Void) throws {
        if buffer.capacity < Self.flushSize + 4096 { buffer.reserveCapacity(Self.flushSize + 16 * 1024) }
        let before = buffer.count
        render(&buffer)
        bytesWritten += buffer.count - before
        if buffer.count >= Self.flushSize { try flush() }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        if hashed { buffer.withUnsafeBytes { hasher.update(bufferPointer: $0) } }
        do { try handle.write(contentsOf: buffer) } catch {
            throw ReportError(path: path, reason: "write failed: \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Hex SHA-256 of the bytes written so far; nil for a character or block device.
    public var sha256: String? {
        guard hashed else { return nil }
        var h = hasher
        buffer.withUnsafeBytes { h.update(bufferPointer: $0) }
        return Hex.string(h.finalize())
    }

    /// Flushes, closes and renames the temporary file over the destination.
    public func commit() throws {
        guard !done else { return }
        done = true
        do {
            try flush()
            guard let tempPath else {
                if path != "-" { try handle.close() }
                return
            }
            try handle.synchronize()
            try handle.close()
            if rename(tempPath, path) != 0 {
                let reason = String(cString: strerror(errno))
                unlink(tempPath)
                throw ReportError(path: path, reason: "cannot rename temporary file: \(reason)")
            }
        } catch let e as ReportError {
            throw e
        } catch {
            abort()
            throw ReportError(path: path, reason: error.localizedDescription)
        }
    }

    /// Drops the temporary file; the destination is left as it was.
    public func abort() {
        guard let tempPath else { return }
        done = true
        try? handle.close()
        unlink(tempPath)
    }

    deinit { if !done { abort() } }

    /// Writes a whole file atomically and returns its hex SHA-256 (nil for a device) and size.
    @discardableResult
    public static func write(_ data: Data, to path: String) throws -> (sha256: String?, bytes: Int) {
        let out = try AtomicOutput(path: path)
        try out.write(data)
        let digest = out.sha256
        try out.commit()
        return (digest, data.count)
    }
}

/// A report could not be written; names the output file.
public struct ReportError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) { self.path = path; self.reason = reason }
    public var description: String { "\(path): \(reason)" }
}

/// Hex SHA-256 of bytes.
public func sha256Hex(_ data: Data) -> String {
    Hex.string(SHA256.hash(data: data))
}
