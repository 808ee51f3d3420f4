import ChatModel
import Foundation

/// First NUL byte or invalid UTF-8 sequence in a chunk, with a readable reason (the project's one validator).
func firstInvalidUTF8(_ bytes: UnsafeRawBufferPointer) -> (offset: Int, reason: String)? {
    UTF8Validation.firstProblem(bytes, rejectNUL: true).map { (offset: $0.offset, reason: $0.problem.description) }
}

/// Keeps a chunk with NUL bytes or invalid UTF-8 scannable except where they are: each message (span) holding such
/// a byte is marked not scannable (PCRE2 and Hyperscan read UTF-8 only) and reported as an error naming its first
/// line and the byte's offset, so one damaged character costs one message, reported, not the part of the file around
/// it. A byte outside every message (a line before the first header) is reported the same way. Past `limit`
/// reports in a chunk, one more issue counts the rest.
enum InvalidUTF8Messages {
    static let limit = 20

    /// `spans`: the chunk's messages in file order (absolute offsets, chunk-relative lines). `terminator`: the line
    /// terminator byte, to count the line of a byte outside every message. Returns the error issues (chunk-relative
    /// lines).
    static func exclude(_ bytes: UnsafeRawBufferPointer, range: Range<Int>, spans: inout [MessageSpan], file: String,
                        terminator: UInt8) -> [ParseIssue] {
        guard let base = bytes.baseAddress else { return [] }
        var issues: [ParseIssue] = []
        var more = 0, moreLine = 0
        // Lines are counted incrementally: offsets only grow.
        var countedTo = range.lowerBound, line = 1
        func lineAt(_ at: Int) -> Int {
            var p = countedTo
            while p < at, let q = memchr(base + p, Int32(terminator), at - p) {
                line += 1
                p = base.distance(to: UnsafeRawPointer(q)) + 1
            }
            countedTo = at
            return line
        }
        var hinted = false
        func report(_ l: Int, _ what: String, _ problem: UTF8Validation.Problem) {
            guard issues.count < limit else { if more == 0 { moreLine = l }; more += 1; return }
            var reason = what
            if problem != .nul && !hinted { reason += UTF8Validation.encodingHint; hinted = true }
            issues.append(ParseIssue(file: file, line: l, severity: .error, reason: reason))
        }
        var pos = range.lowerBound
        var k = 0
        while pos < range.upperBound,
              let bad = UTF8Validation.firstProblem(UnsafeRawBufferPointer(rebasing: bytes[pos..<range.upperBound]), rejectNUL: true) {
            let at = pos + bad.offset
            let what = UTF8Validation.describe(bad.problem, at: at, in: bytes)
            while k < spans.count && spans[k].end <= at { k += 1 }
            if k < spans.count && spans[k].start <= at {
                let wasScannable = spans[k].scannable
                spans[k].scannable = false
                report(spans[k].line, "\(what) at byte offset \(at); this message was not scanned" + (wasScannable ? "" : " (it is not user text)"), bad.problem)
                pos = spans[k].end
                k += 1
            } else {
                report(lineAt(at), "\(what) at byte offset \(at), outside any message", bad.problem)
                pos = at + 1
            }
        }
        if more > 0 {
            issues.append(ParseIssue(file: file, line: moreLine, severity: .error,
                                     reason: "\(more) more messages or lines of this part of the file hold NUL bytes or invalid UTF-8 and were not scanned"))
        }
        return issues
    }
}
