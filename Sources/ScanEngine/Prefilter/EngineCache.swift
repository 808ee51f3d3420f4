import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The engine's cache directory (`~/.cache/chatsieve`): compiled prefilter databases and shadow scalar tables. Files
/// are written whole and renamed into place, so a reader never sees half a file and a mapping never changes under
/// it; each kind keeps its most recently used files (a use refreshes a file's modification time) and drops the rest
/// when a new one is written, so editing a rule pack again and again does not fill the disk.
enum EngineCache {
    /// What a cache file holds; its name is the kind's prefix, a key and `.bin`.
    enum Kind: String {
        case prefilter = "prefilter-", scalars = "scalars-"

        /// How many files of this kind are kept.
        var keep: Int { self == .prefilter ? 64 : 8 }

        /// The file for `key` in `directory`.
        func file(_ key: String, in directory: URL) -> URL { directory.appendingPathComponent(rawValue + key + ".bin") }
    }

    /// Writes `bytes` to `url` through a temporary file, then drops the least recently used files of the same kind
    /// beyond its limit. Failures are ignored: an unwritable cache only costs the next run the build.
    static func store(_ bytes: [UInt8], at url: URL, kind: Kind) {
        let dir = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let tmp = url.appendingPathExtension("tmp\(getpid())")
            try Data(bytes).write(to: tmp)
            if rename(tmp.path, url.path) != 0 { try? FileManager.default.removeItem(at: tmp); return }
        } catch { return }
        prune(dir, kind: kind)
    }

    /// Marks a cache file as just used (its modification time set to now), for `prune`.
    static func markUsed(_ url: URL) {
        _ = utimensat(AT_FDCWD, url.path, nil, 0)
    }

    /// Deletes the files of `kind` in `dir` beyond the `kind.keep` most recently modified.
    static func prune(_ dir: URL, kind: Kind) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return }
        var files: [(path: String, modified: timespec)] = []
        for name in names where name.hasPrefix(kind.rawValue) && name.hasSuffix(".bin") {
            let path = dir.appendingPathComponent(name).path
            var st = stat()
            if stat(path, &st) == 0 { files.append((path, st.st_mtim)) }
        }
        guard files.count > kind.keep else { return }
        files.sort { ($0.modified.tv_sec, $0.modified.tv_nsec, $0.path) > ($1.modified.tv_sec, $1.modified.tv_nsec, $1.path) }
        for f in files.dropFirst(kind.keep) { unlink(f.path) }
    }
}
