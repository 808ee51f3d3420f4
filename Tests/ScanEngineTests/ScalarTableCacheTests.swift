import CScanKernels
import Foundation
import RuleKit
import TestScratch
import Testing
@testable import ScanEngine

/// Shadow scalar tables cached on disk between runs must be exactly the tables a run would build, and a damaged
/// or foreign file must be rebuilt, never trusted.
@Suite struct ScalarTableCacheTests {
    static let layers: [NormaliseLayer] = [.nfkc, .stripInvisible, .confusables, .casefold]

    @Test func tableReadBackFromTheCacheEqualsTheBuiltTable() throws {
        let dir = try TestScratch.directory("scalars")
        let file = try #require(ScalarTableCache.file(for: Self.layers, in: dir))
        let built = ScalarTableCache.table(Self.layers, directory: dir)
        #expect(FileManager.default.fileExists(atPath: file.path))
        let read = try #require(ScalarTableCache.load(file))
        let reference = ShadowScalarTable(layers: Self.layers)
        #expect(read.blocks == reference.blocks && read.entries == reference.entries)
        #expect(built.blocks == reference.blocks && built.entries == reference.entries)
        // The next run reads the file instead of building.
        let again = ScalarTableCache.table(Self.layers, directory: dir)
        #expect(again.entries == reference.entries)
    }

    @Test func damagedOrForeignFilesAreRebuiltNotTrusted() throws {
        let dir = try TestScratch.directory("scalars")
        let layers: [NormaliseLayer] = [.casefold]
        let file = try #require(ScalarTableCache.file(for: layers, in: dir))
        let good = ScalarTableCache.encode(ShadowScalarTable(layers: layers))
        var wrongBlock = good
        wrongBlock[12] = 0xFF; wrongBlock[13] = 0xFF   // first block points past the entries
        let damaged: [[UInt8]] = [[], Array(good.prefix(good.count - 1)), Array("CSP2".utf8) + good.dropFirst(4), wrongBlock,
                                  good + [0]]
        for bytes in damaged {
            #expect(bytes.withUnsafeBytes { ScalarTableCache.decode($0) } == nil)
            try Data(bytes).write(to: file)
            #expect(ScalarTableCache.load(file) == nil)
            let rebuilt = ScalarTableCache.table(layers, directory: dir)
            #expect(rebuilt.entries == ShadowScalarTable(layers: layers).entries)
            #expect(try Data(contentsOf: file) == Data(good))
        }
    }

    @Test func cacheFileIsKeyedByTheLayersAndTheExecutablesBuildId() throws {
        var id = [UInt8](repeating: 0, count: 64)
        #expect(cs_executable_build_id(&id, id.count) >= 16)
        let dir = URL(fileURLWithPath: "/cache")
        let a = ScalarTableCache.file(for: [.casefold], in: dir), b = ScalarTableCache.file(for: [.nfkc, .casefold], in: dir)
        #expect(a != nil && b != nil && a != b)
        #expect(a == ScalarTableCache.file(for: [.casefold], in: dir))
    }
}
