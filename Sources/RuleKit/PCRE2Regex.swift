import CPCRE2
import Synchronization

/// A PCRE2 compile failure: PCRE2's own message and the byte offset in the pattern where it stopped.
public struct PCRE2CompileError: Error, Sendable, CustomStringConvertible {
    public var code: Int32
    public var message: String
    public var offset: Int
    public var description: String { "\(message) (at pattern offset \(offset))" }
}

/// Resource limits applied to every PCRE2 match (through a match context), so a pathological pattern is
/// stopped and reported instead of hanging the scan.
public struct MatchLimits: Sendable, Equatable {
    /// `pcre2_set_match_limit`: calls of the internal match function (JIT: a similar count).
    public var matchLimit: UInt32
    /// `pcre2_set_depth_limit`: backtracking depth (interpreter only).
    public var depthLimit: UInt32
    /// `pcre2_set_heap_limit`: KiB of heap for backtracking (interpreter only).
    public var heapLimitKiB: UInt32
    /// Maximum JIT stack size in bytes.
    public var jitStackMax: Int
    public init(matchLimit: UInt32 = 1_000_000, depthLimit: UInt32 = 100_000, heapLimitKiB: UInt32 = 64 * 1024,
                jitStackMax: Int = 1 << 20) {
        self.matchLimit = matchLimit; self.depthLimit = depthLimit; self.heapLimitKiB = heapLimitKiB
        self.jitStackMax = jitStackMax
    }
    public static let `default` = MatchLimits()
}

/// Per-thread PCRE2 state: match data, a match context carrying the limits, and a JIT stack. Not thread-safe:
/// create one per thread with `CompiledRuleSet.makeScratch()`.
public final class MatchScratch {
    let matchData: OpaquePointer
    let matchContext: OpaquePointer
    let jitStack: OpaquePointer?
    public let limits: MatchLimits
    /// The last shadow text computed per normaliser, with the bytes it was computed from: when the engine
    /// confirms several rules on the same message, the text is normalised once.
    var shadowCache: [Int: (source: [UInt8], shadow: NormalisedText?)] = [:]
    /// The same for the second reading (`Normaliser.secondReading`) of the text of `shadowCache`.
    var secondCache: [Int: (source: [UInt8], second: NormalisedText?)] = [:]

    public init(limits: MatchLimits = .default, ovectorPairs: Int = 1) {
        self.limits = limits
        matchData = pcre2_match_data_create_8(UInt32(max(1, ovectorPairs)), nil)!
        matchContext = pcre2_match_context_create_8(nil)!
        pcre2_set_match_limit_8(matchContext, limits.matchLimit)
        pcre2_set_depth_limit_8(matchContext, limits.depthLimit)
        pcre2_set_heap_limit_8(matchContext, limits.heapLimitKiB)
        jitStack = pcre2_jit_stack_create_8(32 * 1024, max(32 * 1024, limits.jitStackMax), nil)
        if let jitStack { pcre2_jit_stack_assign_8(matchContext, nil, UnsafeMutableRawPointer(jitStack)) }
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        pcre2_match_context_free_8(matchContext)
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
    }
}

/// Outcome of one PCRE2 search.
public enum PCRE2SearchResult: Sendable, Equatable {
    case match(Range<Int>)
    case noMatch
    /// A resource limit was hit (match, depth, heap or JIT stack limit): PCRE2's error code and message.
    case limitExceeded(code: Int32, message: String)
    /// Any other PCRE2 matching error.
    case error(code: Int32, message: String)
}

/// One compiled PCRE2 pattern, JIT-compiled (where PCRE2 can) the first time it is matched: a scan of a small
/// export confirms only some of a pack's rules and so pays for only their JIT code. Shared between threads (the
/// one-time JIT compile is serialised, and every match sees its outcome); matching needs a per-thread
/// `MatchScratch`.
public final class PCRE2Regex: @unchecked Sendable {
    public let source: String
    public let flags: Set<PatternFlag>
    /// Whether matches run JIT code; the first call compiles it (false when JIT was not asked for or failed).
    public var isJIT: Bool { usesJIT() }
    public let captureCount: Int
    /// PCRE2's lower bound on the length of a match (0: the pattern may match the empty string).
    public let minLength: Int
    let code: OpaquePointer
    /// `JITState` raw value; written once, under `jitLock`, before any match uses the code.
    private let jitState: Atomic<UInt8>
    private let jitLock = Mutex<Void>(())
    /// False when made with `jit: false` (matches always run the interpreter).
    private let jitAllowed: Bool

    private enum JITState: UInt8 {
        case pending = 0, ready = 1, interpreter = 2
    }

    public init(_ source: String, flags: Set<PatternFlag>, jit: Bool = true) throws(PCRE2CompileError) {
        self.source = source; self.flags = flags
        var options = UInt32(PCRE2_UTF)
        if flags.contains(.caseless) { options |= UInt32(PCRE2_CASELESS) }
        if flags.contains(.ucp) { options |= UInt32(PCRE2_UCP) }
        if flags.contains(.dotall) { options |= UInt32(PCRE2_DOTALL) }
        if flags.contains(.multiline) { options |= UInt32(PCRE2_MULTILINE) }
        if flags.contains(.extended) { options |= UInt32(PCRE2_EXTENDED) }
        var err: Int32 = 0
        var offset = 0
        let bytes = Array(source.utf8)
        guard let c = bytes.withUnsafeBufferPointer({ pcre2_compile_8($0.baseAddress, $0.count, options, &err, &offset, nil) })
        else { throw PCRE2CompileError(code: err, message: PCRE2Regex.message(for: err), offset: offset) }
        code = c
        jitAllowed = jit
        jitState = Atomic(jit ? JITState.pending.rawValue : JITState.interpreter.rawValue)
        var captures: UInt32 = 0
        pcre2_pattern_info_8(c, UInt32(PCRE2_INFO_CAPTURECOUNT), &captures)
        captureCount = Int(captures)
        var minLen: UInt32 = 0
        pcre2_pattern_info_8(c, UInt32(PCRE2_INFO_MINLENGTH), &minLen)
        minLength = Int(minLen)
    }

    deinit { pcre2_code_free_8(code) }

    /// `compiled` when it was made from this very source and these flags with the same `jit` choice (the loader's
    /// check compile allows JIT), else a new compile: so a pack's patterns are compiled once per run, not once to
    /// check and once to match.
    public static func reusing(_ compiled: PCRE2Regex?, _ source: String, flags: Set<PatternFlag>,
                               jit: Bool = true) throws(PCRE2CompileError) -> PCRE2Regex {
        if let compiled, compiled.jitAllowed == jit, compiled.source == source, compiled.flags == flags { return compiled }
        return try PCRE2Regex(source, flags: flags, jit: jit)
    }

    /// Whether the JIT code exists yet (it is made by the first match); for tests.
    var hasJITCode: Bool { jitState.load(ordering: .acquiring) == JITState.ready.rawValue }

    /// Whether this PCRE2 library was built with JIT support for this processor.
    static var jitSupported: Bool {
        var on: UInt32 = 0
        pcre2_config_8(UInt32(PCRE2_CONFIG_JIT), &on)
        return on == 1
    }

    /// True when matches run JIT code, compiling it on the first call. Other threads wait for that compile, because
    /// `pcre2_jit_compile` changes the code object that `pcre2_match` reads.
    @inline(__always) func usesJIT() -> Bool {
        let state = jitState.load(ordering: .acquiring)
        return state == JITState.pending.rawValue ? compileJIT() : state == JITState.ready.rawValue
    }

    /// Compiles the JIT code now (if allowed and not done yet) rather than at the first match.
    public func prepareJIT() { _ = usesJIT() }

    @inline(never) private func compileJIT() -> Bool {
        jitLock.withLock { _ in
            let state = jitState.load(ordering: .relaxed)
            if state != JITState.pending.rawValue { return state == JITState.ready.rawValue }
            let ok = pcre2_jit_compile_8(code, UInt32(PCRE2_JIT_COMPLETE)) == 0
            jitState.store(ok ? JITState.ready.rawValue : JITState.interpreter.rawValue, ordering: .releasing)
            return ok
        }
    }

    /// PCRE2's text for an error code.
    public static func message(for code: Int32) -> String {
        var buf = [UInt8](repeating: 0, count: 256)
        let n = pcre2_get_error_message_8(code, &buf, buf.count)
        return n > 0 ? String(decoding: buf[0..<Int(n)], as: UTF8.self) : "PCRE2 error \(code)"
    }

    /// True when this error code means a resource limit, not a bug.
    static func isLimit(_ rc: Int32) -> Bool {
        rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT
            || rc == PCRE2_ERROR_JIT_STACKLIMIT
    }

    /// Searches `subject[0..<length]` from byte `start`. `subject` must be valid UTF-8 (no check is done).
    public func search(_ subject: UnsafePointer<UInt8>?, length: Int, from start: Int, scratch: MatchScratch) -> PCRE2SearchResult {
        var dummy: UInt8 = 0
        let rc: Int32 = withUnsafePointer(to: &dummy) { empty in
            let base = subject ?? empty
            if usesJIT() {
                return pcre2_jit_match_8(code, base, length, start, 0, scratch.matchData, scratch.matchContext)
            }
            return pcre2_match_8(code, base, length, start, UInt32(PCRE2_NO_UTF_CHECK), scratch.matchData, scratch.matchContext)
        }
        return result(rc, scratch)
    }

    /// The outcome of a match call that returned `rc` into `scratch`.
    private func result(_ rc: Int32, _ scratch: MatchScratch) -> PCRE2SearchResult {
        if rc >= 0 {
            let ov = pcre2_get_ovector_pointer_8(scratch.matchData)!
            return .match(Int(ov[0])..<max(Int(ov[0]), Int(ov[1])))
        }
        if rc == PCRE2_ERROR_NOMATCH { return .noMatch }
        if PCRE2Regex.isLimit(rc) { return .limitExceeded(code: rc, message: PCRE2Regex.message(for: rc)) }
        return .error(code: rc, message: PCRE2Regex.message(for: rc))
    }

    /// Whether the pattern matches anywhere in the bytes (used for exceptions).
    public func firstMatch(in bytes: UnsafeBufferPointer<UInt8>, scratch: MatchScratch) -> PCRE2SearchResult {
        search(bytes.baseAddress, length: bytes.count, from: 0, scratch: scratch)
    }

    /// A non-empty match starting exactly at `start` (`PCRE2_ANCHORED | PCRE2_NOTEMPTY_ATSTART`, which JIT code does
    /// not take at match time, so the interpreter runs it), as `pcre2demo` and pcre2grep retry after an empty match.
    func searchNonEmpty(at start: Int, in subject: UnsafePointer<UInt8>, length: Int, scratch: MatchScratch) -> PCRE2SearchResult {
        let options = UInt32(PCRE2_ANCHORED) | UInt32(PCRE2_NOTEMPTY_ATSTART) | UInt32(PCRE2_NO_UTF_CHECK)
        return result(pcre2_match_8(code, subject, length, start, options, scratch.matchData, scratch.matchContext), scratch)
    }

    /// All non-overlapping, non-empty matches, left to right, as PCRE2 finds them in a global search (pcre2grep, `pcre2demo`):
    /// after an empty match the search is retried at the same place for a non-empty match that starts there, and
    /// only when there is none does it move on one whole UTF-8 character. Empty matches are not reported. Stops at
    /// the first limit or error, returned in `stoppedBy`.
    public func allMatches(in bytes: UnsafeBufferPointer<UInt8>, scratch: MatchScratch)
        -> (ranges: [Range<Int>], stoppedBy: PCRE2SearchResult?) {
        var out: [Range<Int>] = []
        var pos = 0
        let n = bytes.count
        while pos <= n {
            switch search(bytes.baseAddress, length: n, from: pos, scratch: scratch) {
            case .match(let r):
                if r.isEmpty {
                    guard r.lowerBound < n, let base = bytes.baseAddress else { return (out, nil) }
                    switch searchNonEmpty(at: r.lowerBound, in: base, length: n, scratch: scratch) {
                    case .match(let longer) where !longer.isEmpty:
                        out.append(longer)
                        pos = longer.upperBound
                    case .match, .noMatch:
                        pos = r.lowerBound + UTF8Scan.scalarLength(lead: bytes[r.lowerBound])
                    case let other:
                        return (out, other)
                    }
                } else {
                    out.append(r)
                    pos = r.upperBound
                }
            case .noMatch:
                return (out, nil)
            case let other:
                return (out, other)
            }
        }
        return (out, nil)
    }
}

/// Small UTF-8 helpers.
enum UTF8Scan {
    static func scalarLength(lead b: UInt8) -> Int {
        if b < 0x80 { return 1 }
        if b >= 0xF0 { return 4 }
        if b >= 0xE0 { return 3 }
        if b >= 0xC0 { return 2 }
        return 1
    }
}
