import ChatModel
import Foundation

/// Keeps a chunk with NUL bytes or invalid UTF-8 scannable except where they are: each message (span) holding such
/// a byte is marked not scannable (PCRE2 and Hyperscan read UTF-8 only) and reported as an error naming its first
/// line and the byte's offset, so one damaged character costs one message, reported, not the part of the file around
/// it. A byte outside every message (a line before the first header) is reported the same way. Past 20
/// reports in a chunk, one more issue counts the rest (`InvalidTextReport`, shared with `parse`).
enum InvalidUTF8Messages {
    /// `spans`: the chunk's messages in file order (absolute offsets, chunk-relative lines). `terminator`: the line
    /// terminator byte, to count the line of a byte outside every message. Returns the error issues (chunk-relative
    /// lines).
    static func exclude(_ bytes: UnsafeRawBufferPointer, range: Range<Int>, spans: inout [MessageSpan], file: String,
                        terminator: UInt8) -> [ParseIssue] {
        guard let base = bytes.baseAddress else { return [] }
        var report = InvalidTextReport(file: file, base: base, start: range.lowerBound, terminator: terminator)
        var pos = range.lowerBound
        var k = 0
        while pos < range.upperBound,
              let bad = UTF8Validation.firstProblem(UnsafeRawBufferPointer(rebasing: bytes[pos..<range.upperBound]), rejectNUL: true) {
            let at = pos + bad.offset
            while k < spans.count && spans[k].end <= at { k += 1 }
            if k < spans.count && spans[k].start <= at {
                let wasScannable = spans[k].scannable
                spans[k].scannable = false
                report.report(bad.problem, at: at, in: bytes, line: spans[k].line,
                              outcome: "this message was not scanned" + (wasScannable ? "" : " (it is not user text)"))
                pos = spans[k].end
                k += 1
            } else {
                report.report(bad.problem, at: at, in: bytes, line: nil, outcome: nil)
                pos = at + 1
            }
        }
        return report.finished(scope: "this part of the file", fate: "not scanned")
    }
}
