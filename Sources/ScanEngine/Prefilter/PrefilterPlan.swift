import ChatModel
import CHyperscan
import Crypto
import Foundation
import RuleKit

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

/// The text a plan's databases scan: raw message text (skeleton routes allowed), or a normaliser's shadow text, scanned
/// with each whitespace run collapsed to one space (see `CollapsedWhitespace`), in one of two forms of expression.
public enum PrefilterText: Sendable {
    case raw
    /// Collapsed shadow text; the single spaces are literal spaces, so words joined by whitespace become literal
    /// chains: the fastest scan, and the slowest compile (the shipped packs: about 13 s instead of 4 s).
    case shadow
    /// Collapsed shadow text; the single spaces are `\s`: compiles about three times as fast as `shadow`, and a scan
    /// with the shipped packs takes about 6 % longer. For inputs too small to repay `shadow`'s compile
    /// (`PrefilterSet.quickCompileInputLimit`).
    case shadowQuickCompile

    var allowsSkeleton: Bool { self == .raw }
    var collapsesWhitespace: Bool { self != .raw }
    /// Suffix of the plan's cache key (the same specs give different plans for each text).
    var cacheSuffix: String {
        switch self {
        case .raw: return "s"
        case .shadow: return "w"
        case .shadowQuickCompile: return "q"
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
    /// The text (and form of expression) the databases were built for.
    public let text: PrefilterText

    struct Stored: Equatable {
        var routes: [PrefilterRoute]
        var idToRule: [Int32]
        var alwaysRules: [Int]
        var skeletonIdToRule: [[Int32]]
    }

    init(stored: Stored, databases: [HyperscanDatabase?], fromCache: Bool, text: PrefilterText) {
        routes = stored.routes; idToRule = stored.idToRule; alwaysRules = stored.alwaysRules
        skeletonIdToRule = stored.skeletonIdToRule
        database = databases[0]; skeletonDatabases = Array(databases.dropFirst()); self.fromCache = fromCache
        self.text = text
    }

    static var derivationVersion: String { "chatsieve-prefilter-5-\(fastLiteralLength)-\(skeletonLiteralLength)" }

    /// Cache key: SHA-256 over the derivation version, the Hyperscan version and every spec.
    static func cacheKey(_ specs: [PrefilterSpec]) -> String {
        var h = SHA256()
        h.update(data: Array((derivationVersion + "\u{0}" + HyperscanDatabase.libraryVersion).utf8))
        for s in specs { h.update(data: Array(("\u{0}" + s.keyText).utf8)) }
        return Hex.string(h.finalize())
    }

    /// `$XDG_CACHE_HOME/chatsieve` or `~/.cache/chatsieve`.
    public static func defaultCacheDirectory() -> URL? {
        if let x = ProcessEnvironment.value("XDG_CACHE_HOME"), !x.isEmpty {
            return URL(fileURLWithPath: x).appendingPathComponent("chatsieve")
        }
        if let home = ProcessEnvironment.value("HOME"), !home.isEmpty {
            return URL(fileURLWithPath: home).appendingPathComponent(".cache/chatsieve")
        }
        return nil
    }

    /// Builds (or loads from `cacheDirectory`) the plan for the `specs` of one `text` (`PrefilterSet` makes one for raw
    /// text and one per normaliser's shadow text). `willCompile` is called when the plan is not in the cache, before
    /// the (possibly long) compile.
    public static func build(specs: [PrefilterSpec], cacheDirectory: URL?, text: PrefilterText = .raw,
                             willCompile: (() -> Void)? = nil) throws -> PrefilterPlan {
        let file = cacheFile(specs, cacheDirectory: cacheDirectory, text: text)
        if let f = file, let plan = load(f, text: text) { return plan }
        if !specs.isEmpty { willCompile?() }
        // Optimistic first: every expression taken as Hyperscan accepts it, so the usual case (it does) costs one
        // compile per database instead of one more per expression. If a database does not compile, every
        // expression is test-compiled alone and routed by the result (exact, prefilter mode, atoms, every message).
        var (stored, exprs, skeletonExprs) = derive(specs, text: text, checked: false)
        var dbs: [HyperscanDatabase?]
        if let optimistic = try? compileDatabases(exprs, skeletonExprs) {
            dbs = optimistic
        } else {
            (stored, exprs, skeletonExprs) = derive(specs, text: text, checked: true)
            dbs = try compileDatabases(exprs, skeletonExprs)
        }
        if let f = file { save(stored: stored, dbs: dbs, to: f) }
        return PrefilterPlan(stored: stored, databases: dbs, fromCache: false, text: text)
    }

    /// The plan for `specs` and `text` from `cacheDirectory`, or nil when it is not there (nothing is compiled).
    static func cached(specs: [PrefilterSpec], cacheDirectory: URL?, text: PrefilterText) -> PrefilterPlan? {
        cacheFile(specs, cacheDirectory: cacheDirectory, text: text).flatMap { load($0, text: text) }
    }

    static func cacheFile(_ specs: [PrefilterSpec], cacheDirectory: URL?, text: PrefilterText) -> URL? {
        cacheDirectory.map { EngineCache.Kind.prefilter.file(cacheKey(specs) + text.cacheSuffix, in: $0) }
    }

    /// The raw database and the skeleton databases (nil where there is no expression), compiled on all cores.
    private static func compileDatabases(_ exprs: [HyperscanExpression], _ skeletonExprs: [[HyperscanExpression]]) throws
        -> [HyperscanDatabase?] {
        let compiled = Parallel.map([exprs] + skeletonExprs) { e -> Result<HyperscanDatabase?, any Error> in
            Result { e.isEmpty ? nil : try HyperscanDatabase.compile(e) }
        }
        return try compiled.map { try $0.get() }
    }

    /// Shortest raw literal a Hyperscan pattern needs to be fast (its literal matchers then do most of the work).
    static let fastLiteralLength = 3
    /// Shortest skeleton literal worth routing a pattern through the skeleton buffers.
    static let skeletonLiteralLength = 3

    /// What `derive` decided for one spec: its route and the expressions it adds (in order).
    private struct SpecRoute {
        var route: PrefilterRoute
        var exprs: [(expression: String, flags: UInt32)] = []
        var skeleton: (kind: SkeletonKind, literals: [[UInt8]])? = nil
    }

    /// Routes and Hyperscan expressions for `specs`. Each spec is decided on its own, on all cores; the results are
    /// numbered in spec order, so the plan is the same for any thread count. `checked`: test-compile each expression
    /// alone (the slow part of a build without the cache) and fall back from exact to prefilter mode, atoms or every
    /// message; unchecked, every expression is assumed to compile exactly (`build` verifies that with one compile).
    static func derive(_ specs: [PrefilterSpec], text: PrefilterText, checked: Bool)
        -> (Stored, [HyperscanExpression], [[HyperscanExpression]]) {
        let decided = Parallel.map(specs) { route(for: $0, text: text, checked: checked) }
        var routes: [PrefilterRoute] = []
        var exprs: [HyperscanExpression] = []
        var idToRule: [Int32] = []
        var always = Set<Int>()
        var skExprs: [[HyperscanExpression]] = SkeletonKind.allCases.map { _ in [] }
        var skIds: [[Int32]] = SkeletonKind.allCases.map { _ in [] }
        for (spec, d) in zip(specs, decided) {
            for e in d.exprs {
                exprs.append(HyperscanExpression(expression: e.expression, flags: e.flags, id: UInt32(idToRule.count)))
                idToRule.append(Int32(spec.rule))
            }
            if let (kind, lits) = d.skeleton {
                for l in lits {
                    skExprs[kind.rawValue].append(HyperscanExpression(expression: SkeletonExtractor.expression(l), flags: 0,
                                                                      id: UInt32(skIds[kind.rawValue].count)))
                    skIds[kind.rawValue].append(Int32(spec.rule))
                }
            }
            if case .always = d.route { always.insert(spec.rule) }
            routes.append(d.route)
        }
        return (Stored(routes: routes, idToRule: idToRule, alwaysRules: always.sorted(), skeletonIdToRule: skIds), exprs, skExprs)
    }

    /// The first safe route for one spec: skeleton literals (when its raw literals are too short), Hyperscan exact,
    /// Hyperscan prefilter mode, required atoms, or every message.
    private static func route(for spec: PrefilterSpec, text: PrefilterText, checked: Bool) -> SpecRoute {
        func accepted(_ e: String, _ flags: UInt32) -> Bool { !checked || HyperscanDatabase.check(e, flags: flags) == nil }
        let utf8 = UInt32(HS_FLAG_UTF8)
        let modes = PatternModes(caseless: spec.caseless, dotAll: spec.dotAll, multiline: spec.multiline, extended: spec.extended)
        let d = PrefilterDeriver.derive(pattern: spec.source, modes: modes, ucp: spec.ucp, text: text)
        if text.allowsSkeleton && d.rawLiteralLength < fastLiteralLength {
            var best: (SkeletonKind, [[UInt8]])? = nil
            for kind in SkeletonKind.allCases {
                guard let lits = SkeletonExtractor(kind: kind).literals(d.tree), let m = lits.map(\.count).min(),
                      m >= skeletonLiteralLength else { continue }
                if best == nil || SkeletonExtractor.quality(lits) > SkeletonExtractor.quality(best!.1) { best = (kind, lits) }
            }
            if let (kind, lits) = best {
                return SpecRoute(route: .skeleton(kind, lits.count), skeleton: (kind: kind, literals: lits))
            }
        }
        if let e = d.expression {
            let flags = utf8 | (d.caseless ? UInt32(HS_FLAG_CASELESS) : 0)
            if accepted(e, flags) {
                return SpecRoute(route: .exact, exprs: [(e, flags)])
            }
            if !d.hadBackReferences, accepted(e, flags | UInt32(HS_FLAG_PREFILTER)) {
                return SpecRoute(route: .approximate, exprs: [(e, flags | UInt32(HS_FLAG_PREFILTER))])
            }
        }
        if !d.atoms.isEmpty, d.atoms.allSatisfy({ accepted($0, utf8) }) {
            return SpecRoute(route: .atoms(d.atoms.count), exprs: d.atoms.map { ($0, utf8) })
        }
        return SpecRoute(route: .always(d.unsafeReason ?? "no literal to prefilter on"))
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
    static func load(_ url: URL, text: PrefilterText) -> PrefilterPlan? {
        guard let file = try? MappedFile(path: url.path), file.bytes.count > 0 else { return nil }
        return withExtendedLifetime(file) { () -> PrefilterPlan? in
            let raw = file.bytes
            guard let (stored, blobs) = PrefilterCacheFile.decode(raw) else { return nil }
            guard let present = HyperscanDatabase.deserialise(blobs.filter { !$0.isEmpty }) else { return nil }
            var next = present.makeIterator()
            let dbs: [HyperscanDatabase?] = blobs.map { $0.isEmpty ? nil : next.next() }
            guard dbs.count == 1 + SkeletonKind.allCases.count else { return nil }
            EngineCache.markUsed(url)
            return PrefilterPlan(stored: stored, databases: dbs, fromCache: true, text: text)
        }
    }
}
