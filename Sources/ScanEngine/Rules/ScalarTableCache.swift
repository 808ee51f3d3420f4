import CScanKernels
import ChatModel
import Crypto
import Foundation
import RuleKit

/// Shadow scalar tables kept on disk beside the prefilter cache. Building one costs about 28 ms of CPU in Foundation
/// normalisation (spread over the cores, a third of a small scan's start-up with the shipped packs); reading it back
/// costs well under a millisecond. A table is a function of its Unicode layers and of this program's code and
/// Unicode data, so the key is the layers plus the executable's build id: a rebuilt binary never reads an older
/// binary's table, and without a build id nothing is cached.
enum ScalarTableCache {
    static let magic: [UInt8] = Array("CSS1".utf8)

    /// The cache file for `layers` in `directory`, or nil when the executable has no build id.
    static func file(for layers: [NormaliseLayer], in directory: URL) -> URL? {
        var id = [UInt8](repeating: 0, count: 64)
        let n = cs_executable_build_id(&id, id.count)
        guard n > 0 else { return nil }
        var h = SHA256()
        h.update(data: Array(("chatsieve-scalar-table-1\u{0}" + layers.map(\.rawValue).joined(separator: ",") + "\u{0}").utf8))
        h.update(data: id[0..<n])
        return EngineCache.Kind.scalars.file(Hex.string(h.finalize()), in: directory)
    }

    /// "CSS1", the block and entry counts (UInt32), then the blocks (UInt16) and entries (UInt32), little-endian.
    static func encode(_ table: ShadowScalarTable) -> [UInt8] {
        var out = magic
        func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        put(UInt32(table.blocks.count)); put(UInt32(table.entries.count))
        for b in table.blocks { put(b) }
        for e in table.entries { put(e) }
        return out
    }

    /// The table in `bytes`, or nil when they are not an intact file of this layout.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> ShadowScalarTable? {
        guard bytes.count >= 12, Array(bytes[0..<4]) == magic else { return nil }
        func u32(_ at: Int) -> UInt32 { UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
        let nb = Int(u32(4)), ne = Int(u32(8))
        guard nb < 1 << 20, ne < 1 << 24, bytes.count == 12 + 2 * nb + 4 * ne else { return nil }
        let blocks = (0..<nb).map { UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 12 + 2 * $0, as: UInt16.self)) }
        let entries = (0..<ne).map { u32(12 + 2 * nb + 4 * $0) }
        return ShadowScalarTable(blocks: blocks, entries: entries)
    }

    static func load(_ url: URL) -> ShadowScalarTable? {
        guard let file = try? MappedFile(path: url.path) else { return nil }
        guard let table = withExtendedLifetime(file, { decode(file.bytes) }) else { return nil }
        EngineCache.markUsed(url)
        return table
    }

    static func save(_ table: ShadowScalarTable, to url: URL) {
        EngineCache.store(encode(table), at: url, kind: .scalars)
    }

    /// The table for `layers`: read from `directory` when cached there, else built (and then stored there).
    static func table(_ layers: [NormaliseLayer], directory: URL?) -> ShadowScalarTable {
        let url = directory.flatMap { file(for: layers, in: $0) }
        if let url, let table = load(url) { return table }
        let table = ShadowScalarTable(layers: layers)
        if let url { save(table, to: url) }
        return table
    }
}
