import CHyperscan
import CScanKernels
import Foundation

/// Errors from the Hyperscan library, with the expression index it blames when it names one.
public struct HyperscanError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var expression: Int?
    public var description: String { expression.map { "hyperscan: expression \($0): \(message)" } ?? "hyperscan: \(message)" }
}

/// One Hyperscan expression to compile: text, flags, and the id reported back on a match.
struct HyperscanExpression: Sendable, Equatable {
    var expression: String
    var flags: UInt32
    var id: UInt32
}

/// A compiled block-mode Hyperscan database. Read-only after creation, so shared by all scan threads.
final class HyperscanDatabase: @unchecked Sendable {
    let db: OpaquePointer
    /// The memory the database was deserialised into (nil: Hyperscan allocated it and frees it).
    private let arena: DatabaseArena?

    private init(db: OpaquePointer, arena: DatabaseArena? = nil) { self.db = db; self.arena = arena }
    deinit { if arena == nil { hs_free_database(db) } }

    /// The Hyperscan library version, part of the cache key (a database is only valid for the version that built it).
    static var libraryVersion: String { String(cString: hs_version()) }

    static func compile(_ exprs: [HyperscanExpression]) throws -> HyperscanDatabase {
        precondition(!exprs.isEmpty)
        var cstrs: [UnsafeMutablePointer<CChar>?] = exprs.map { strdup($0.expression) }
        defer { cstrs.forEach { free($0) } }
        let flags = exprs.map(\.flags)
        let ids = exprs.map(\.id)
        var db: OpaquePointer? = nil
        var cerr: UnsafeMutablePointer<hs_compile_error_t>? = nil
        let rc = cstrs.withUnsafeMutableBufferPointer { cs in
            cs.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: cs.count) { p in
                hs_compile_multi(p, flags, ids, UInt32(exprs.count), UInt32(HS_MODE_BLOCK), nil, &db, &cerr)
            }
        }
        guard rc == HS_SUCCESS, let d = db else {
            let msg = cerr.map { String(cString: $0.pointee.message) } ?? "error \(rc)"
            let idx = cerr.map { Int($0.pointee.expression) }
            if let e = cerr { hs_free_compile_error(e) }
            throw HyperscanError(message: msg, expression: idx.flatMap { $0 >= 0 ? $0 : nil })
        }
        return HyperscanDatabase(db: d)
    }

    /// Checks whether one expression compiles alone; returns the error message when it does not.
    static func check(_ expression: String, flags: UInt32) -> String? {
        do { _ = try compile([HyperscanExpression(expression: expression, flags: flags, id: 0)]); return nil }
        catch let e as HyperscanError { return e.message } catch { return "\(error)" }
    }

    func serialise() -> [UInt8]? {
        var bytes: UnsafeMutablePointer<CChar>? = nil
        var len = 0
        guard hs_serialize_database(db, &bytes, &len) == HS_SUCCESS, let b = bytes else { return nil }
        defer { free(b) }
        return b.withMemoryRebound(to: UInt8.self, capacity: len) { Array(UnsafeBufferPointer(start: $0, count: len)) }
    }

    static func deserialise(_ bytes: UnsafeRawBufferPointer) -> HyperscanDatabase? {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return nil }
        var db: OpaquePointer? = nil
        let rc = hs_deserialize_database(base.assumingMemoryBound(to: CChar.self), bytes.count, &db)
        guard rc == HS_SUCCESS, let d = db else { return nil }
        return HyperscanDatabase(db: d)
    }

    /// Deserialises several databases into one block of memory (`DatabaseArena`); nil if any of them is not a valid
    /// serialised database for this Hyperscan. Hyperscan zero-fills and then copies every database it deserialises:
    /// into memory of its own that is a page fault per 4 KiB on first touch (about 170 for `shapes.pcre`'s 0.7 MB,
    /// 800 for the shipped packs); the arena's pages are all made present by one `mmap` call.
    static func deserialise(_ blobs: [UnsafeRawBufferPointer], arenaMinimum: Int = DatabaseArena.minimum) -> [HyperscanDatabase]? {
        var sizes: [Int] = []
        for b in blobs {
            guard let base = b.baseAddress, !b.isEmpty else { return nil }
            var size = 0
            guard hs_serialized_database_size(base.assumingMemoryBound(to: CChar.self), b.count, &size) == HS_SUCCESS
            else { return nil }
            sizes.append(size)
        }
        // Each database 64-byte aligned (Hyperscan needs 8).
        let offsets = sizes.reduce(into: [0]) { $0.append($0.last! + ($1 + 63) / 64 * 64) }
        guard offsets.last! >= arenaMinimum, let arena = DatabaseArena(size: offsets.last!) else {
            var out: [HyperscanDatabase] = []
            for b in blobs { guard let d = deserialise(b) else { return nil }; out.append(d) }
            return out
        }
        var out: [HyperscanDatabase] = []
        for (k, b) in blobs.enumerated() {
            let at = OpaquePointer(arena.base + offsets[k])
            guard hs_deserialize_database_at(b.baseAddress!.assumingMemoryBound(to: CChar.self), b.count, at) == HS_SUCCESS
            else { return nil }
            out.append(HyperscanDatabase(db: at, arena: arena))
        }
        return out
    }

    func makeScratch() -> HyperscanScratch {
        var s: OpaquePointer? = nil
        let rc = hs_alloc_scratch(db, &s)
        precondition(rc == HS_SUCCESS && s != nil, "hs_alloc_scratch failed: \(rc)")
        return HyperscanScratch(scratch: s!)
    }

    /// Scans `bytes` (at most 4 GiB - 1) and calls `handler(id, endOffset, context)` for every match.
    func scan(_ bytes: UnsafeRawBufferPointer, scratch: HyperscanScratch, context: UnsafeMutableRawPointer,
              handler: match_event_handler) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        precondition(bytes.count < Int(UInt32.max), "chunk too large for hs_scan")
        let rc = hs_scan(db, base.assumingMemoryBound(to: CChar.self), UInt32(bytes.count), 0, scratch.scratch, handler, context)
        precondition(rc == HS_SUCCESS || rc == HS_SCAN_TERMINATED, "hs_scan failed: \(rc)")
    }
}

/// Per-thread Hyperscan scratch space.
final class HyperscanScratch {
    let scratch: OpaquePointer
    init(scratch: OpaquePointer) { self.scratch = scratch }
    deinit { hs_free_scratch(scratch) }
}

/// Memory for deserialised databases, its pages present from the start (`cs_populated_alloc`), released when the
/// last database in it is gone. Not huge pages: on this project's VMs a fresh 2 MiB page at start-up now and then
/// took 10 ms (3-8 runs in 40), which cost more than the faults it saved.
final class DatabaseArena: @unchecked Sendable {
    /// Below this total the databases are left to Hyperscan's own allocation (a few faults at most).
    static let minimum = 64 << 10
    let base: UnsafeMutableRawPointer
    private let mapped: Int

    init?(size: Int) {
        var len = 0
        guard let p = cs_populated_alloc(size, &len) else { return nil }
        base = p; mapped = len
    }
    deinit { cs_mapped_free(base, mapped) }
}
