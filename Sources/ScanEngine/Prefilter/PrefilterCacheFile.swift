import Foundation

/// The on-disk form of a `PrefilterPlan`: "CSP2" magic, the routes and id maps in a little-endian binary layout, then
/// each Hyperscan database blob. Binary because decoding the same data as JSON took a tenth of a small scan's
/// start-up. Any damage (short file, bad tag, sizes that do not add up) makes `decode` return nil and the plan is
/// rebuilt.
enum PrefilterCacheFile {
    static let magic: [UInt8] = Array("CSP2".utf8)

    static func encode(_ stored: PrefilterPlan.Stored, blobs: [[UInt8]]) -> [UInt8] {
        var w = Writer(bytes: magic)
        w.count(stored.routes.count)
        for r in stored.routes {
            switch r {
            case .exact: w.byte(0)
            case .approximate: w.byte(1)
            case .atoms(let n): w.byte(2); w.int(n)
            case .skeleton(let k, let n): w.byte(3); w.byte(UInt8(k.rawValue)); w.int(n)
            case .always(let why): w.byte(4); w.count(why.utf8.count); w.bytes.append(contentsOf: why.utf8)
            }
        }
        w.int32s(stored.idToRule)
        w.count(stored.alwaysRules.count); for r in stored.alwaysRules { w.int(r) }
        w.count(stored.skeletonIdToRule.count); for ids in stored.skeletonIdToRule { w.int32s(ids) }
        w.count(blobs.count); for b in blobs { w.count(b.count) }
        for b in blobs { w.bytes.append(contentsOf: b) }
        return w.bytes
    }

    /// The stored plan and the database blobs (empty for an absent database), or nil when `data` is not an intact file.
    static func decode(_ data: UnsafeRawBufferPointer) -> (PrefilterPlan.Stored, [UnsafeRawBufferPointer])? {
        var r = Reader(data: data)
        guard r.take(4).map(Array.init) == magic, let nRoutes = r.count() else { return nil }
        var routes: [PrefilterRoute] = []
        routes.reserveCapacity(nRoutes)
        for _ in 0..<nRoutes {
            switch r.byte() {
            case 0: routes.append(.exact)
            case 1: routes.append(.approximate)
            case 2: guard let n = r.int() else { return nil }; routes.append(.atoms(n))
            case 3:
                guard let k = r.byte().flatMap({ SkeletonKind(rawValue: Int($0)) }), let n = r.int() else { return nil }
                routes.append(.skeleton(k, n))
            case 4:
                guard let n = r.count(), let s = r.take(n) else { return nil }
                routes.append(.always(String(decoding: s, as: UTF8.self)))
            default: return nil
            }
        }
        guard let idToRule = r.int32s(), let nAlways = r.count() else { return nil }
        var always: [Int] = []
        for _ in 0..<nAlways { guard let v = r.int() else { return nil }; always.append(v) }
        guard let nSk = r.count() else { return nil }
        var sk: [[Int32]] = []
        for _ in 0..<nSk { guard let ids = r.int32s() else { return nil }; sk.append(ids) }
        guard let nBlobs = r.count() else { return nil }
        var sizes: [Int] = []
        for _ in 0..<nBlobs { guard let s = r.count() else { return nil }; sizes.append(s) }
        var blobs: [UnsafeRawBufferPointer] = []
        for s in sizes { guard let b = r.take(s) else { return nil }; blobs.append(b) }
        guard r.offset == data.count else { return nil }
        return (PrefilterPlan.Stored(routes: routes, idToRule: idToRule, alwaysRules: always, skeletonIdToRule: sk), blobs)
    }

    struct Writer {
        var bytes: [UInt8]
        mutating func byte(_ b: UInt8) { bytes.append(b) }
        mutating func int(_ v: Int) { withUnsafeBytes(of: Int64(v).littleEndian) { bytes.append(contentsOf: $0) } }
        mutating func count(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { bytes.append(contentsOf: $0) } }
        mutating func int32s(_ v: [Int32]) {
            count(v.count)
            for x in v { withUnsafeBytes(of: x.littleEndian) { bytes.append(contentsOf: $0) } }
        }
    }

    struct Reader {
        let data: UnsafeRawBufferPointer
        var offset = 0
        mutating func take(_ n: Int) -> UnsafeRawBufferPointer? {
            guard n >= 0, n <= data.count - offset else { return nil }
            defer { offset += n }
            return UnsafeRawBufferPointer(rebasing: data[offset..<(offset + n)])
        }
        mutating func byte() -> UInt8? { take(1)?[0] }
        mutating func int() -> Int? { take(8).map { Int(Int64(littleEndian: $0.loadUnaligned(as: Int64.self))) } }
        mutating func count() -> Int? { take(4).map { Int(UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))) } }
        mutating func int32s() -> [Int32]? {
            guard let n = count(), let b = take(n * 4) else { return nil }
            return (0..<n).map { Int32(littleEndian: b.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self)) }
        }
    }
}
