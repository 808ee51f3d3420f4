import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The engine's cache directory (`~/.cache/chatsieve`): compiled prefilter databases and shadow scalar tables. Files
/// are written whole and renamed into place, so a reader never sees half a file and a mapping never changes under
/// it; each kind keeps its most recently used files (a use refreshes a file's modification time) and drops the rest
/// when a new one is written, so editing a rule pack again and again does not fill the disk.
enum EngineCache {
    /// How many files of a kind (file name prefix) are kept.
    static let limits: [String: Int] = ["prefilter-": 64, "scalars-": 8]

    /// Writes `bytes` to `url` through a temporary file, then drops the least recently used files of the same kind
    /// beyond its limit. Failures are ignored: an unwritable cache only costs the next run the build.
    static func store(_ bytes: [UInt8], at url: URL, kind: String) {
        let dir = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let tmp = url.appendingPathExtension("tmp\(getpid())")
            try Data(bytes).write(to: tmp)
            if rename(tmp.path, url.path) != 0 { try? FileManager.default.removeItem(at: tmp); return }
        } catch { return }
        prune(dir, kind: kind, keep: limits[kind] ?? 16)
    }

    /// Marks a cache file as just used (its modification time set to now), for `prune`.
    static func markUsed(_ url: URL) {
        _ = utimensat(AT_FDCWD, url.path, nil, 0)
    }

    /// Deletes the files named `kind*.bin` in `dir` beyond the `keep` most recently modified.
    static func prune(_ dir: URL, kind: String, keep: Int) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return }
        var files: [(path: String, modified: timespec)] = []
        for name in names where name.hasPrefix(kind) && name.hasSuffix(".bin") {
            let path = dir.appendingPathComponent(name).path
            var st = stat()
            if stat(path, &st) == 0 { files.append((path, st.st_mtim)) }
        }
        guard files.count > keep else { return }
        files.sort { ($0.modified.tv_sec, $0.modified.tv_nsec, $0.path) > ($1.modified.tv_sec, $1.modified.tv_nsec, $1.path) }
        for f in files.dropFirst(keep) { unlink(f.path) }
    }
}
