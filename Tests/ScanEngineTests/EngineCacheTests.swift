import Foundation
import TestScratch
import Testing
@testable import ScanEngine

/// The cache directory keeps the most recently used files of each kind and drops the rest when it writes a new one.
@Suite struct EngineCacheTests {
    /// Sets `path`'s modification time to `secondsAgo` before now.
    func age(_ path: String, _ secondsAgo: Int) {
        let t = timespec(tv_sec: time(nil) - secondsAgo, tv_nsec: 0)
        var times = [t, t]
        _ = utimensat(AT_FDCWD, path, &times, 0)
    }

    @Test func writingAFileDropsTheLeastRecentlyUsedOfItsKindBeyondTheLimit() throws {
        let dir = try TestScratch.directory("engine-cache")
        let keep = EngineCache.Kind.prefilter.keep
        let extra = 6
        for i in 0..<(keep + extra) {
            let path = dir.appendingPathComponent("prefilter-\(i).bin").path
            try Data([UInt8(i & 0xFF)]).write(to: URL(fileURLWithPath: path))
            age(path, 1000 + i * 10)   // file 0 is the newest, the last one the oldest
        }
        // Other kinds and names are left alone.
        let others = ["scalars-a.bin", "notes.txt", "prefilter-9.bin.tmp42"]
        for (i, name) in others.enumerated() {
            try Data([1]).write(to: dir.appendingPathComponent(name))
            age(dir.appendingPathComponent(name).path, 100_000 + i)
        }
        // The oldest file was just used, so it stays.
        let oldest = dir.appendingPathComponent("prefilter-\(keep + extra - 1).bin")
        EngineCache.markUsed(oldest)
        EngineCache.store([7, 7], at: dir.appendingPathComponent("prefilter-new.bin"), kind: .prefilter)

        let names = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
        let kept = names.filter { $0.hasPrefix("prefilter-") && $0.hasSuffix(".bin") }
        #expect(keep == 64)
        #expect(kept.count == keep)
        #expect(kept.contains("prefilter-new.bin") && kept.contains(oldest.lastPathComponent))
        // New file and just-used file, then the newest keep - 2 of the rest; the next ones are gone.
        for i in 0..<(keep - 2) { #expect(kept.contains("prefilter-\(i).bin")) }
        for i in (keep - 2)..<(keep + extra - 1) { #expect(!kept.contains("prefilter-\(i).bin")) }
        for name in others { #expect(names.contains(name)) }
        #expect(try Data(contentsOf: dir.appendingPathComponent("prefilter-new.bin")) == Data([7, 7]))
    }

    @Test func loadingACachedPlanMarksItUsed() throws {
        let dir = TestScratch.path("engine-cache-used")
        let specs = [PrefilterSpec(rule: 0, source: "\\bslap\\b", caseless: true)]
        _ = try PrefilterPlan.build(specs: specs, cacheDirectory: dir)
        let file = try #require(FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasPrefix("prefilter-") })
        let path = dir.appendingPathComponent(file).path
        age(path, 86_400 * 30)
        #expect(try PrefilterPlan.build(specs: specs, cacheDirectory: dir).fromCache)
        var st = stat()
        #expect(stat(path, &st) == 0)
        #expect(time(nil) - st.st_mtim.tv_sec < 3600)
    }
}
