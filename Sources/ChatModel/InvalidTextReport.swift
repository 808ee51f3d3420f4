#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The error issues for NUL bytes and invalid UTF-8 in one file (`parse`) or one part of a file (`scan`), worded and
/// bounded the same way by both: at most `limit` issues, the first invalid-UTF-8 one followed by what to do about
/// it, then one issue counting the rest. Also counts the line of a byte that lies outside every message.
public struct InvalidTextReport {
    public static let limit = 20

    private let file: String
    private let base: UnsafeRawPointer
    private let terminator: Int32
    private var countedTo: Int
    private var line = 1
    private var issues: [ParseIssue] = []
    private var more = 0, moreLine = 0
    private var hinted = false

    /// `base`: the bytes the offsets count from; `start`: the offset of line 1; `terminator`: LF, or CR in a file
    /// without LF (old Mac line endings).
    public init(file: String, base: UnsafeRawPointer, start: Int, terminator: UInt8) {
        self.file = file; self.base = base; self.countedTo = start; self.terminator = Int32(terminator)
    }

    /// The line of byte offset `at`, counted on from the previous call (offsets must not decrease).
    public mutating func line(at: Int) -> Int {
        var p = countedTo
        while p < at, let q = memchr(base + p, terminator, at - p) {
            line += 1
            p = base.distance(to: UnsafeRawPointer(q)) + 1
        }
        countedTo = at
        return line
    }

    /// Records the problem at byte offset `at`: inside a message starting at `line` when `outcome` (what became of
    /// that message, e.g. "this message was left out") is given, else outside every message. A nil `line` is
    /// counted here.
    public mutating func report(_ problem: UTF8Validation.Problem, at: Int, in bytes: UnsafeRawBufferPointer,
                                line given: Int?, outcome: String?) {
        let l = given ?? line(at: at)
        guard issues.count < Self.limit else {
            if more == 0 { moreLine = l }
            more += 1
            return
        }
        let what = UTF8Validation.describe(problem, at: at, in: bytes)
        var reason = outcome.map { "\(what) at byte offset \(at); \($0)" } ?? "\(what) at byte offset \(at), outside any message"
        // A file in another encoding (Latin-1, Windows-1252) fails on every accented line: say once what to do.
        if problem != .nul && !hinted { reason += UTF8Validation.encodingHint; hinted = true }
        issues.append(ParseIssue(file: file, line: l, severity: .error, reason: reason))
    }

    /// The issues recorded, in order, then one counting those past the limit: "N more messages or lines of `scope`
    /// hold NUL bytes or invalid UTF-8 and were `fate`".
    public func finished(scope: String, fate: String) -> [ParseIssue] {
        guard more > 0 else { return issues }
        return issues + [ParseIssue(file: file, line: moreLine, severity: .error,
                                    reason: "\(more) more messages or lines of \(scope) hold NUL bytes or invalid UTF-8 and were \(fate)")]
    }
}
