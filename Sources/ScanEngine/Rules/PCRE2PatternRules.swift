import CPCRE2
import ChatModel

/// A compiled, JIT-compiled PCRE2 pattern. Immutable after creation, so shared across threads.
public final class CompiledPCRE2: @unchecked Sendable {
    let code: OpaquePointer
    public let source: String

    /// Compile error with the offset PCRE2 reports.
    public struct CompileError: Error, CustomStringConvertible, Sendable {
        public var message: String
        public var offset: Int
        public var description: String { "\(message) at offset \(offset)" }
    }

    public init(_ pattern: String, caseless: Bool, extraOptions: UInt32 = 0) throws {
        source = pattern
        var err: Int32 = 0
        var off = 0
        let bytes = Array(pattern.utf8)
        // Not PCRE2_MATCH_INVALID_UTF (RuleKit's `PCRE2Regex`, which scans use, never set it): every text the engine
        // confirms is valid UTF-8 (a message with an invalid byte is reported and not scanned, `InvalidUTF8Messages`),
        // and the JIT code of PCRE2 10.42 (Debian 12) compiled with that option never lets `\W`, `\D` or `\S` match a
        // character of more than one byte (PCRE2 issue 224, fixed in 10.43): `s\W?l\W?a\W?p` missed "s😂l😂a😂p",
        // which the interpreter and pcre2grep match, on both sides of the differential tests.
        let opts = PCRE2_UTF | (caseless ? PCRE2_CASELESS : 0) | extraOptions
        guard let c = pcre2_compile_8(bytes, bytes.count, opts, &err, &off, nil) else {
            var buf = [UInt8](repeating: 0, count: 256)
            _ = pcre2_get_error_message_8(err, &buf, buf.count)
            throw CompileError(message: String(decoding: buf.prefix { $0 != 0 }, as: UTF8.self), offset: off)
        }
        code = c
        _ = pcre2_jit_compile_8(c, PCRE2_JIT_COMPLETE)
    }
    deinit { pcre2_code_free_8(code) }

    /// All non-overlapping matches in `text` (UTF-8; PCRE2 checks it on the first call and reports invalid text as an
    /// error); `limit` is set when PCRE2 stopped on its match or depth limit. `interpreter`: run PCRE2's interpreter
    /// instead of the JIT code (the differential tests' independent reference).
    public func allMatches(in text: UnsafeRawBufferPointer, scratch: PCRE2Scratch, interpreter: Bool = false)
        -> (ranges: [Range<Int>], limit: Int32?) {
        var out: [Range<Int>] = []
        let md = scratch.matchData
        let ov = pcre2_get_ovector_pointer_8(md)!
        let base = text.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer<UInt8>(bitPattern: 1)!
        let len = text.count
        var off = 0
        var options = interpreter ? UInt32(PCRE2_NO_JIT) : 0
        while off <= len {
            let rc = pcre2_match_8(code, base, len, off, options, md, scratch.context)
            options |= UInt32(PCRE2_NO_UTF_CHECK)
            if rc == PCRE2_ERROR_NOMATCH { break }
            if rc < 0 { return (out, rc) }
            let s = ov[0], e = ov[1]
            out.append(s..<e)
            if e > s { off = e } else {
                // Empty match: step one whole UTF-8 character.
                var n = e + 1
                while n < len && (base[n] & 0xC0) == 0x80 { n += 1 }
                off = n
            }
        }
        return (out, nil)
    }
}

/// Per-thread PCRE2 match data and match context (with the match and depth limits).
public final class PCRE2Scratch {
    let matchData: OpaquePointer
    let context: OpaquePointer
    public init(matchLimit: UInt32 = 1_000_000, depthLimit: UInt32 = 100_000) {
        matchData = pcre2_match_data_create_8(32, nil)!
        context = pcre2_match_context_create_8(nil)!
        pcre2_set_match_limit_8(context, matchLimit)
        pcre2_set_depth_limit_8(context, depthLimit)
    }
    deinit { pcre2_match_data_free_8(matchData); pcre2_match_context_free_8(context) }
}

/// The simplest rule set: one PCRE2 pattern per rule, hits are all non-overlapping matches. The engine's tests use
/// it (scans of pattern files go through RuleKit, whose patterns may also carry normalisation and exceptions).
public final class PCRE2PatternRules: ConfirmingRules, @unchecked Sendable {
    public let patterns: [CompiledPCRE2]
    let metas: [RuleMeta]
    let caseless: [Bool]
    let matchLimit: UInt32

    /// One rule per pattern, ids `prefix-N` (1-based); throws the first compile error with the pattern's index.
    public init(patterns: [String], caseless: [Bool], idPrefix: String = "pattern", category: String = "pattern",
                severity: Severity = .medium, matchLimit: UInt32 = 1_000_000) throws {
        var compiled: [CompiledPCRE2] = []
        for (i, p) in patterns.enumerated() {
            do { compiled.append(try CompiledPCRE2(p, caseless: caseless[i])) }
            catch let e as CompiledPCRE2.CompileError { throw PatternListError(index: i, pattern: p, error: e) }
        }
        self.patterns = compiled
        self.caseless = caseless
        self.matchLimit = matchLimit
        metas = patterns.indices.map { RuleMeta(id: "\(idPrefix)-\($0 + 1)", category: category, severity: severity) }
    }

    public var ruleCount: Int { patterns.count }
    public func meta(_ rule: Int) -> RuleMeta { metas[rule] }
    public func prefilterSpecs() -> [PrefilterSpec] {
        patterns.indices.map { PrefilterSpec(rule: $0, source: patterns[$0].source, caseless: caseless[$0]) }
    }
    public func makeConfirmScratch() -> AnyObject { PCRE2Scratch(matchLimit: matchLimit) }
    public func appendShadow(normaliser: Int, text: UnsafeRawBufferPointer, to out: inout [UInt8]) -> Bool {
        out.append(contentsOf: text)
        return false
    }
    public func appendSecondReading(normaliser: Int, text: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        out.append(contentsOf: text)
    }
    public func confirm(rule: Int, text: UnsafeRawBufferPointer, scratch: AnyObject) -> ConfirmOutcome {
        let (ranges, limit) = patterns[rule].allMatches(in: text, scratch: scratch as! PCRE2Scratch)
        let ms = ranges.map { ConfirmedMatch(textStart: $0.lowerBound, textEnd: $0.upperBound) }
        return ConfirmOutcome(matches: ms, limitEvent: limit.map { "PCRE2 error \($0) (match or depth limit)" })
    }
}

/// A pattern in a list that does not compile.
public struct PatternListError: Error, CustomStringConvertible, Sendable {
    public var index: Int
    public var pattern: String
    public var error: CompiledPCRE2.CompileError
    public var description: String { "pattern \(index + 1): \(error)" }
}
