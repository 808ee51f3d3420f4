import ChatModel

/// A PCRE2 limit (match, depth, heap or JIT stack) or error hit while matching a rule's pattern or exception on
/// one text: reported, never silently dropped; the scan goes on.
public struct LimitEvent: Sendable, Equatable, Codable {
    public var ruleIndex: Int
    public var ruleId: String
    /// Pattern id, or exception id when `inException` is true.
    public var pattern: String
    public var inException: Bool
    public var code: Int32
    public var message: String
}

/// One match of one rule on one text. When `limitExceeded` is set this is not a hit but a limit event
/// (range empty); use `isHit` to tell them apart.
public struct RuleMatch: Sendable, Equatable {
    /// Index of the rule in `CompiledRuleSet.rules`.
    public var rule: Int
    public var ruleId: String
    /// Id of the pattern that matched.
    public var pattern: String
    /// Byte range in the ORIGINAL text (UTF-8).
    public var range: Range<Int>
    /// Byte range in the normalised shadow text, when the rule ran on one.
    public var shadowRange: Range<Int>?
    /// Normalisation layers that changed bytes inside the match (`casefold` omitted for caseless patterns).
    public var normalisedSteps: [String]
    /// Final severity (the rule's, possibly downgraded by an exception).
    public var severity: Severity
    /// Final score in 0...1.
    public var score: Double
    public var limitExceeded: LimitEvent?

    public var isHit: Bool { limitExceeded == nil }
}

/// One pattern as the multi-pattern prefilter needs it.
public struct PrefilterPattern: Sendable, Equatable {
    public var ruleIndex: Int
    public var patternIndex: Int
    public var patternId: String
    /// PCRE2 source (UTF mode always on).
    public var source: String
    public var caseless: Bool
    public var dotall: Bool
    public var multiline: Bool
    public var extended: Bool
    public var ucp: Bool
    /// True when the pattern runs on the normalised shadow text (see `normaliserIndex`).
    public var onShadow: Bool
    /// Index into `CompiledRuleSet.normalisers` when `onShadow`.
    public var normaliserIndex: Int?
}

/// A rule with its patterns and exceptions compiled (PCRE2, JIT on first match). Immutable; shareable between threads.
public final class CompiledRule: @unchecked Sendable {
    public let index: Int
    public let rule: Rule
    public let patterns: [PCRE2Regex]
    public let exceptions: [PCRE2Regex]
    /// The normaliser for the rule's layers, nil when the rule matches the raw text.
    public let normaliser: Normaliser?
    public let normaliserIndex: Int?

    init(index: Int, rule: Rule, normaliserIndex: Int?, jit: Bool = true) throws(PCRE2CompileError) {
        self.index = index; self.rule = rule
        var ps: [PCRE2Regex] = []
        for p in rule.patterns { ps.append(try PCRE2Regex.reusing(p.compiled, p.regex, flags: p.flags, jit: jit)) }
        var xs: [PCRE2Regex] = []
        for x in rule.exceptions { xs.append(try PCRE2Regex.reusing(x.compiled, x.regex, flags: x.flags, jit: jit)) }
        patterns = ps; exceptions = xs
        normaliser = rule.normalise.isEmpty ? nil : Normaliser(layers: rule.normalise)
        self.normaliserIndex = normaliserIndex
    }

    /// Compiles the JIT code of every pattern and exception now rather than at their first match.
    public func prepareJIT() {
        for p in patterns { p.prepareJIT() }
        for x in exceptions { x.prepareJIT() }
    }
}

/// Error compiling a rule set: which rule and pattern, and PCRE2's message.
public struct RuleCompileError: Error, CustomStringConvertible, Sendable {
    public var ruleId: String
    public var error: PCRE2CompileError
    public var description: String { "rule \(ruleId): \(error)" }
}

/// A loaded rule set compiled for matching. Immutable after init and `@unchecked Sendable`: share one instance
/// between threads, give each thread its own `MatchScratch` (`makeScratch()`).
///
/// `matchAll` is the reference semantics (documented in rules/SCHEMA.md); a prefiltering engine calls
/// `match(rule:...)` only for candidate rules and gets identical results.
public final class CompiledRuleSet: @unchecked Sendable {
    public let ruleSet: RuleSet
    public let rules: [CompiledRule]
    /// The distinct normalisation layer sets used by the rules; `CompiledRule.normaliserIndex` points here.
    public let normalisers: [Normaliser]
    public let limits: MatchLimits
    let maxCaptures: Int

    /// `jit: false`: every pattern runs PCRE2's interpreter (the engine tests' reference, independent of the JIT
    /// code that scans use).
    public init(_ set: RuleSet, limits: MatchLimits = .default, jit: Bool = true) throws(RuleCompileError) {
        ruleSet = set; self.limits = limits
        var norms: [Normaliser] = []
        var normaliserIndex: [Int?] = []
        for r in set.rules {
            var ni: Int?
            if !r.normalise.isEmpty {
                let n = Normaliser(layers: r.normalise)
                if let k = norms.firstIndex(of: n) { ni = k } else { norms.append(n); ni = norms.count - 1 }
            }
            normaliserIndex.append(ni)
        }
        // PCRE2 compilation of each rule on all cores (each code object is compiled by one thread; its JIT code is made
        // when a text is first matched); a failure is reported for the first failing rule in file order, whatever the
        // thread count.
        let compiled = Parallel.map(Array(set.rules.indices)) { i in
            Result { () throws(PCRE2CompileError) in try CompiledRule(index: i, rule: set.rules[i], normaliserIndex: normaliserIndex[i], jit: jit) }
        }
        var out: [CompiledRule] = []
        out.reserveCapacity(compiled.count)
        for (i, c) in compiled.enumerated() {
            switch c {
            case .success(let rule): out.append(rule)
            case .failure(let error): throw RuleCompileError(ruleId: set.rules[i].id, error: error)
            }
        }
        rules = out; normalisers = norms
        maxCaptures = out.flatMap { $0.patterns + $0.exceptions }.map(\.captureCount).max() ?? 0
    }

    /// Per-thread match state (match data, match context with the limits, JIT stack).
    public func makeScratch() -> MatchScratch { MatchScratch(limits: limits, ovectorPairs: maxCaptures + 1) }

    /// Every pattern of every rule, for building a prefilter database.
    public func prefilterPatterns() -> [PrefilterPattern] {
        rules.flatMap { cr in
            cr.rule.patterns.enumerated().map { pi, p in
                PrefilterPattern(ruleIndex: cr.index, patternIndex: pi, patternId: p.id, source: p.regex,
                                 caseless: p.flags.contains(.caseless), dotall: p.flags.contains(.dotall),
                                 multiline: p.flags.contains(.multiline), extended: p.flags.contains(.extended),
                                 ucp: p.flags.contains(.ucp), onShadow: cr.normaliser != nil, normaliserIndex: cr.normaliserIndex)
            }
        }
    }

    /// Reference semantics: every hit (and limit event) of every rule on one text, ordered by rule index,
    /// then pattern order, then position.
    public func matchAll(text: String, scratch: MatchScratch) -> [RuleMatch] {
        var t = text
        return t.withUTF8 { matchAll(bytes: UnsafeRawBufferPointer($0), scratch: scratch) }
    }

    /// Same as `matchAll(text:)` on valid UTF-8 bytes.
    public func matchAll(bytes: UnsafeRawBufferPointer, scratch: MatchScratch) -> [RuleMatch] {
        var shadows: [Int: (first: NormalisedText, second: NormalisedText?)] = [:]
        var out: [RuleMatch] = []
        for cr in rules {
            var readings: (first: NormalisedText, second: NormalisedText?)?
            if let ni = cr.normaliserIndex, let n = cr.normaliser, n.mayChange(bytes) {
                if let s = shadows[ni] { readings = s } else {
                    let s = n.normalise(bytes)
                    readings = (s, s.hasSecondReading ? n.secondReading(bytes) : nil)
                    shadows[ni] = readings
                }
            }
            out += evaluate(cr, raw: bytes, shadow: readings?.first, second: readings?.second, scratch: scratch, trace: nil)
        }
        return out
    }

    /// Confirms ONE rule on one text (what the engine calls for prefilter candidates). `shadow` is the text
    /// normalised with `normalisers[rules[rule].normaliserIndex]` if the caller already has it; otherwise it is
    /// computed here when needed (and kept in `scratch` for the next rule on the same text). A shadow made with
    /// other layers is ignored.
    public func match(rule: Int, bytes: UnsafeRawBufferPointer, shadow: NormalisedText?, scratch: MatchScratch) -> [RuleMatch] {
        let cr = rules[rule]
        var s: NormalisedText?
        if let n = cr.normaliser, let ni = cr.normaliserIndex {
            if let shadow, shadow.layers == n.layers { s = shadow.isIdentity ? nil : shadow }
            else if n.mayChange(bytes) {
                if let cached = scratch.shadowCache[ni], cached.source.elementsEqual(bytes) { s = cached.shadow }
                else { s = n.normalise(bytes); scratch.shadowCache[ni] = (Array(bytes), s) }
            }
        }
        // The second reading (rare: a spelled-out word after a single `a` or `i`), worked out once per text.
        var second: NormalisedText?
        if s?.hasSecondReading == true, let n = cr.normaliser, let ni = cr.normaliserIndex {
            if let cached = scratch.secondCache[ni], cached.source.elementsEqual(bytes) { second = cached.second }
            else { second = n.secondReading(bytes); scratch.secondCache[ni] = (Array(bytes), second) }
        }
        return evaluate(cr, raw: bytes, shadow: s, second: second, scratch: scratch, trace: nil)
    }

    /// The shadow text of `bytes` under `normalisers[index]`, or nil when it equals the text (nothing to change).
    /// Cached in `scratch` like the shadows `match(rule:...)` computes.
    public func shadow(normaliser index: Int, bytes: UnsafeRawBufferPointer, scratch: MatchScratch) -> NormalisedText? {
        let n = normalisers[index]
        guard n.mayChange(bytes) else { return nil }
        if let cached = scratch.shadowCache[index], cached.source.elementsEqual(bytes) { return cached.shadow }
        let s = n.normalise(bytes)
        let result = s.isIdentity ? nil : s
        scratch.shadowCache[index] = (Array(bytes), result)
        return result
    }

    public func match(rule: Int, text: String, shadow: NormalisedText?, scratch: MatchScratch) -> [RuleMatch] {
        var t = text
        return t.withUTF8 { match(rule: rule, bytes: UnsafeRawBufferPointer($0), shadow: shadow, scratch: scratch) }
    }

    /// Converts a hit into the report record for `message` (whose `text` the match was found in).
    public func hit(for m: RuleMatch, in message: Message) -> Hit {
        let r = rules[m.rule].rule
        let utf8 = Array(message.text.utf8)
        let lo = min(m.range.lowerBound, utf8.count), hi = min(max(lo, m.range.upperBound), utf8.count)
        let fr = message.fileRange(ofTextBytes: lo..<hi)
        return Hit(file: message.file, chat: message.chat, sender: message.sender, timestamp: message.timestamp,
                   line: message.line, messageIndex: message.messageIndex, rule: r.id, category: r.category,
                   subcategory: r.subcategory, severity: m.severity, match: String(decoding: utf8[lo..<hi], as: UTF8.self),
                   byteStart: fr?.lowerBound, byteEnd: fr?.upperBound, textStart: lo, textEnd: hi, pattern: m.pattern,
                   normalised: m.normalisedSteps, score: m.score)
    }
}
