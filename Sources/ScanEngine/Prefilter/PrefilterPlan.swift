import ChatModel
import CHyperscan
import Crypto
import Foundation

/// How one pattern gets its candidates.
public enum PrefilterRoute: Codable, Sendable, Equatable, CustomStringConvertible {
    /// Hyperscan compiled the relaxed form exactly.
    case exact
    /// Hyperscan compiled the relaxed form with `HS_FLAG_PREFILTER` (a looser approximation).
    case approximate
    /// Required literal atoms only (any match contains one of them).
    case atoms(Int)
    /// Literals over the skeleton of the text (obfuscation-tolerant patterns without raw literals).
    case skeleton(SkeletonKind, Int)
    /// No safe prefilter: PCRE2 runs on every scannable message.
    case always(String)

    public var description: String {
        switch self {
        case .exact: return "hs-exact"
        case .approximate: return "hs-prefilter"
        case .atoms(let n): return "atoms(\(n))"
        case .skeleton(let k, let n): return "skeleton-\(k)(\(n))"
        case .always(let why): return "always (\(why))"
        }
    }
}

/// The compiled prefilter for a rule set: one Hyperscan database for all patterns on raw text, the mapping from
/// Hyperscan ids to rules, and the rules that must run on every message. Built once, cached on disk.
public final class PrefilterPlan: @unchecked Sendable {
    /// Route of each `PrefilterSpec`, in spec order.
    public let routes: [PrefilterRoute]
    /// Rule index for each Hyperscan id.
    let idToRule: [Int32]
    /// Rules with at least one pattern routed to `always`, sorted.
    public let alwaysRules: [Int]
    let database: HyperscanDatabase?
    /// Skeleton literal databases, indexed by `SkeletonKind.rawValue` (nil when no pattern uses that kind).
    let skeletonDatabases: [HyperscanDatabase?]
    let skeletonIdToRule: [[Int32]]
    /// True when the database came from the on-disk cache.
    public let fromCache: Bool

    struct Stored: Equatable {
        var routes: [PrefilterRoute]
        var idToRule: [Int32]
        var alwaysRules: [Int]
        var skeletonIdToRule: [[Int32]]
    }

    init(stored: Stored, databases: [HyperscanDatabase?], fromCache: Bool) {
        routes = stored.routes; idToRule = stored.idToRule; alwaysRules = stored.alwaysRules
        skeletonIdToRule = stored.skeletonIdToRule
        database = databases[0]; skeletonDatabases = Array(databases.dropFirst()); self.fromCache = fromCache
    }

    static var derivationVersion: String { "chatsieve-prefilter-4-\(fastLiteralLength)-\(skeletonLiteralLength)" }

    /// Cache key: SHA-256 over the derivation version, the Hyperscan version and every spec.
    static func cacheKey(_ specs: [PrefilterSpec]) -> String {
        var h = SHA256()
        h.update(data: Array((derivationVersion + "\u{0}" + HyperscanDatabase.libraryVersion).utf8))
        for s in specs { h.update(data: Array(("\u{0}" + s.keyText).utf8)) }
        return Hex.string(h.finalize())
    }

    /// `$XDG_CACHE_HOME/chatsieve` or `~/.cache/chatsieve`.
    public static func defaultCacheDirectory() -> URL? {
        // getenv, not ProcessInfo's environment dictionary (built from every variable, on every scan's start-up path).
        func env(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
        if let x = env("XDG_CACHE_HOME"), !x.isEmpty { return URL(fileURLWithPath: x).appendingPathComponent("chatsieve") }
        if let home = env("HOME"), !home.isEmpty {
            return URL(fileURLWithPath: home).appendingPathComponent(".cache/chatsieve")
        }
        return nil
    }

    /// Builds (or loads from `cacheDirectory`) the plan for `specs`. Rules whose specs are all `onShadow` are
    /// routed to `always` here unless `shadowSupported` is true (the shadow database is built separately).
    public static func build(specs: [PrefilterSpec], cacheDirectory: URL?, allowSkeleton: Bool = true) throws -> PrefilterPlan {
        let key = cacheKey(specs) + (allowSkeleton ? "s" : "")
        let file = cacheDirectory.map { EngineCache.Kind.prefilter.file(key, in: $0) }
        if let f = file, let plan = load(f) { return plan }
        let (stored, exprs, skeletonExprs) = derive(specs, allowSkeleton: allowSkeleton)
        var dbs: [HyperscanDatabase?] = [exprs.isEmpty ? nil : try HyperscanDatabase.compile(exprs)]
        for e in skeletonExprs { dbs.append(e.isEmpty ? nil : try HyperscanDatabase.compile(e)) }
        if let f = file { save(stored: stored, dbs: dbs, to: f) }
        return PrefilterPlan(stored: stored, databases: dbs, fromCache: false)
    }

    /// Shortest raw literal a Hyperscan pattern needs to be fast (its literal matchers then do most of the work).
    static let fastLiteralLength = 3
    /// Shortest skeleton literal worth routing a pattern through the skeleton buffers.
    static let skeletonLiteralLength = 3

    static func derive(_ specs: [PrefilterSpec], allowSkeleton: Bool) -> (Stored, [HyperscanExpression], [[HyperscanExpression]]) {
        var routes: [PrefilterRoute] = []
        var exprs: [HyperscanExpression] = []
        var idToRule: [Int32] = []
        var always = Set<Int>()
        var skExprs: [[HyperscanExpression]] = SkeletonKind.allCases.map { _ in [] }
        var skIds: [[Int32]] = SkeletonKind.allCases.map { _ in [] }
        let utf8 = UInt32(HS_FLAG_UTF8)
        func add(_ e: String, _ flags: UInt32, rule: Int) {
            exprs.append(HyperscanExpression(expression: e, flags: flags, id: UInt32(idToRule.count)))
            idToRule.append(Int32(rule))
        }
        for spec in specs {
            let modes = PatternModes(caseless: spec.caseless, dotAll: spec.dotAll, multiline: spec.multiline, extended: spec.extended)
            let d = PrefilterDeriver.derive(pattern: spec.source, modes: modes, ucp: spec.ucp)
            var route: PrefilterRoute? = nil
            if allowSkeleton && d.rawLiteralLength < fastLiteralLength {
                var best: (SkeletonKind, [[UInt8]])? = nil
                for kind in SkeletonKind.allCases {
                    guard let lits = SkeletonExtractor(kind: kind).literals(d.tree), let m = lits.map(\.count).min(),
                          m >= skeletonLiteralLength else { continue }
                    if best == nil || SkeletonExtractor.quality(lits) > SkeletonExtractor.quality(best!.1) { best = (kind, lits) }
                }
                if let (kind, lits) = best {
                    for l in lits {
                        skExprs[kind.rawValue].append(HyperscanExpression(expression: SkeletonExtractor.expression(l), flags: 0,
                                                                          id: UInt32(skIds[kind.rawValue].count)))
                        skIds[kind.rawValue].append(Int32(spec.rule))
                    }
                    route = .skeleton(kind, lits.count)
                }
            }
            if route == nil, let e = d.expression {
                let flags = utf8 | (d.caseless ? UInt32(HS_FLAG_CASELESS) : 0)
                if HyperscanDatabase.check(e, flags: flags) == nil {
                    add(e, flags, rule: spec.rule); route = .exact
                } else if !d.hadBackReferences,
                          HyperscanDatabase.check(e, flags: flags | UInt32(HS_FLAG_PREFILTER)) == nil {
                    add(e, flags | UInt32(HS_FLAG_PREFILTER), rule: spec.rule); route = .approximate
                }
            }
            if route == nil, !d.atoms.isEmpty, d.atoms.allSatisfy({ HyperscanDatabase.check($0, flags: utf8) == nil }) {
                for a in d.atoms { add(a, utf8, rule: spec.rule) }
                route = .atoms(d.atoms.count)
            }
            if route == nil {
                route = .always(d.unsafeReason ?? "no literal to prefilter on")
                always.insert(spec.rule)
            }
            routes.append(route!)
        }
        return (Stored(routes: routes, idToRule: idToRule, alwaysRules: always.sorted(), skeletonIdToRule: skIds), exprs, skExprs)
    }

    static func save(stored: Stored, dbs: [HyperscanDatabase?], to url: URL) {
        var blobs: [[UInt8]] = []
        for d in dbs {
            if let d { guard let b = d.serialise() else { return }; blobs.append(b) } else { blobs.append([]) }
        }
        EngineCache.store(PrefilterCacheFile.encode(stored, blobs: blobs), at: url, kind: .prefilter)
    }

    /// The plan cached in `url`, or nil when the file is missing, damaged or from another layout.
    /// The file is mapped, not read: Hyperscan copies each database out of it, so a read would copy it twice.
    /// Cache files are replaced by `rename`, never rewritten in place, so the mapping cannot change under us.
    static func load(_ url: URL) -> PrefilterPlan? {
        guard let file = try? MappedFile(path: url.path), file.bytes.count > 0 else { return nil }
        return withExtendedLifetime(file) { () -> PrefilterPlan? in
            let raw = file.bytes
            guard let (stored, blobs) = PrefilterCacheFile.decode(raw) else { return nil }
            var dbs: [HyperscanDatabase?] = []
            for b in blobs {
                if b.isEmpty { dbs.append(nil) } else {
                    guard let d = HyperscanDatabase.deserialise(b) else { return nil }
                    dbs.append(d)
                }
            }
            guard dbs.count == 1 + SkeletonKind.allCases.count else { return nil }
            EngineCache.markUsed(url)
            return PrefilterPlan(stored: stored, databases: dbs, fromCache: true)
        }
    }
}
