import CScanKernels
import Foundation
import RuleKit

/// Writes the shadow bytes of one normaliser without offset maps (the prefilter needs only the bytes; confirmation
/// recomputes the shadow with offsets). ASCII text and the non-ASCII scalars its `ShadowScalarTable` handles go
/// through the C kernel `cs_ascii_shadow`; any other text is reported as `notHandled`. Immutable, thread-safe.
final class ShadowWriter: @unchecked Sendable {
    /// Result of `write`.
    enum Output: Equatable {
        /// The shadow equals the text.
        case identity
        case changed([UInt8])
        /// The text holds a scalar the writer does not handle: use the reference normaliser.
        case notHandled
    }

    let layerBits: UInt32
    private let blocks: UnsafeMutablePointer<UInt16>
    private let entries: UnsafeMutablePointer<UInt32>

    init(layers: [NormaliseLayer], table: ShadowScalarTable) {
        var bits: UInt32 = 0
        if layers.contains(.casefold) { bits |= UInt32(CS_SHADOW_CASEFOLD) }
        if layers.contains(.separators) { bits |= UInt32(CS_SHADOW_SEPARATORS) }
        if layers.contains(.leet) { bits |= UInt32(CS_SHADOW_LEET) }
        if layers.contains(.collapseRepeats) { bits |= UInt32(CS_SHADOW_COLLAPSE) }
        layerBits = bits
        blocks = .allocate(capacity: table.blocks.count)
        blocks.initialize(from: table.blocks, count: table.blocks.count)
        entries = .allocate(capacity: table.entries.count)
        entries.initialize(from: table.entries, count: table.entries.count)
    }

    deinit { blocks.deallocate(); entries.deallocate() }

    /// Scalar tables built or read so far in this process, by Unicode layers (building one takes milliseconds).
    private static let tables = TableCache()

    private final class TableCache: @unchecked Sendable {
        let lock = NSLock()
        var byLayers: [[NormaliseLayer]: ShadowScalarTable] = [:]
        func table(_ unicode: [NormaliseLayer], cacheDirectory: URL?) -> ShadowScalarTable {
            lock.lock(); defer { lock.unlock() }
            if let t = byLayers[unicode] { return t }
            let t = ScalarTableCache.table(unicode, directory: cacheDirectory)
            byLayers[unicode] = t
            // A table read from the cache also answers which scalars are inert, 2 ms of Unicode lookups otherwise.
            InertScalars.offer(t)
            return t
        }
    }

    /// Writers for `normalisers` (same order); normalisers with the same Unicode layers share one scalar table,
    /// read from `cacheDirectory` when an earlier run of this executable stored it there (see `ScalarTableCache`).
    static func writers(for normalisers: [Normaliser], cacheDirectory: URL? = nil) -> [ShadowWriter] {
        normalisers.map { n in
            let unicode = n.layers.filter { [.nfkc, .stripInvisible, .confusables, .casefold].contains($0) }
            return ShadowWriter(layers: n.layers, table: tables.table(unicode, cacheDirectory: cacheDirectory))
        }
    }

    /// The shadow of the UTF-8 text `text`.
    func write(_ text: UnsafeRawBufferPointer) -> Output {
        var out: [UInt8] = []
        var second = false
        guard append(text, to: &out, secondReading: &second) else { return .notHandled }
        return out.elementsEqual(text) ? .identity : .changed(out)
    }

    /// Appends the shadow of the UTF-8 text `text` to `out` (the text itself when nothing changes it); false, with
    /// `out` as it was, when the text holds a scalar the writer does not handle. No allocation beyond `out`'s growth.
    /// `secondReading` becomes true when the text has a second reading (`NormalisedText.hasSecondReading`).
    func append(_ text: UnsafeRawBufferPointer, to out: inout [UInt8], secondReading: inout Bool) -> Bool {
        write(text, to: &out, bits: layerBits, secondReading: &secondReading)
    }

    /// Appends the shadow of the second reading (`Normaliser.secondReading`) of a text that has one; false, with
    /// `out` as it was, when the text holds a scalar the writer does not handle.
    func appendSecondReading(_ text: UnsafeRawBufferPointer, to out: inout [UInt8]) -> Bool {
        var second = false
        return write(text, to: &out, bits: layerBits | UInt32(CS_SHADOW_SECOND_READING), secondReading: &second)
    }

    private func write(_ text: UnsafeRawBufferPointer, to out: inout [UInt8], bits: UInt32, secondReading: inout Bool) -> Bool {
        let n = text.count
        guard n > 0, let src = text.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return true }
        // The shadow is at most n bytes: room for them, then cut back to the length written.
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: n))
        var article: Int32 = 0
        let len = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n) { scratch in
            out.withUnsafeMutableBufferPointer { b in
                cs_ascii_shadow(src, n, bits, blocks, entries, b.baseAddress! + start, scratch.baseAddress!, &article)
            }
        }
        out.removeLast(len < 0 ? n : n - len)
        if len >= 0 && article != 0 { secondReading = true }
        return len >= 0
    }
}
