import ChatModel
import Foundation

/// What `ChatReader.read` (and so `chatsieve parse`) does with NUL bytes and invalid UTF-8 in a WhatsApp or `lines`
/// export, the policy the scan follows (ScanEngine's `InvalidUTF8Messages`): the message holding such a byte is left
/// out (its text would not be the file's bytes) and reported as an error naming its first line and the byte's offset;
/// every other message is kept, with the index it has in the file. A bad byte outside every message (a line before
/// the first WhatsApp header, which is also reported as unparsed) is reported the same way. Past `limit` reports in a
/// file, one more issue counts the rest.
enum InvalidTextMessages {
    static let limit = 20

    /// Removes from `chat.messages` (parsed from `bytes`, in file order) every message holding a NUL byte or invalid
    /// UTF-8, and appends an error issue for each (in line order among the other issues). Returns at once when the
    /// bytes are clean.
    static func exclude(_ bytes: UnsafeRawBufferPointer, from chat: inout ParsedChat) {
        guard let base = bytes.baseAddress,
              var bad = UTF8Validation.firstProblem(bytes, rejectNUL: true) else { return }
        let file = chat.file
        var kept: [Message] = []
        kept.reserveCapacity(chat.messages.count)
        var issues: [ParseIssue] = []
        var more = 0, moreLine = 0
        var hinted = false
        func report(_ line: Int, _ what: String, _ problem: UTF8Validation.Problem) {
            guard issues.count < limit else {
                if more == 0 { moreLine = line }
                more += 1
                return
            }
            var reason = what
            if problem != .nul && !hinted { reason += UTF8Validation.encodingHint; hinted = true }
            issues.append(ParseIssue(file: file, line: line, severity: .error, reason: reason))
        }
        // Lines of bytes outside every message, counted incrementally (offsets only grow), at LF, or at CR in a file
        // without LF (old Mac line endings, as the WhatsApp layout reads them).
        let crOnly = memchr(base, 0x0A, bytes.count) == nil && memchr(base, 0x0D, bytes.count) != nil
        let terminator: Int32 = crOnly ? 0x0D : 0x0A
        var countedTo = 0, line = 1
        func lineAt(_ at: Int) -> Int {
            var p = countedTo
            while p < at, let q = memchr(base + p, terminator, at - p) {
                line += 1
                p = base.distance(to: UnsafeRawPointer(q)) + 1
            }
            countedTo = at
            return line
        }
        var k = 0
        let messages = chat.messages
        while true {
            let at = bad.offset
            let what = UTF8Validation.describe(bad.problem, at: at, in: bytes)
            // Messages wholly before the bad byte are clean.
            while k < messages.count && messages[k].byteEnd <= at { kept.append(messages[k]); k += 1 }
            var resume = at + 1
            if k < messages.count && messages[k].byteStart <= at {
                report(messages[k].line ?? lineAt(at),
                       "\(what) at byte offset \(at); this message was left out", bad.problem)
                resume = messages[k].byteEnd
                k += 1
            } else {
                report(lineAt(at), "\(what) at byte offset \(at), outside any message", bad.problem)
            }
            guard resume < bytes.count,
                  let next = UTF8Validation.firstProblem(UnsafeRawBufferPointer(rebasing: bytes[resume...]), rejectNUL: true)
            else { break }
            bad = (resume + next.offset, next.problem)
        }
        kept += messages[k...]
        if more > 0 {
            issues.append(ParseIssue(file: file, line: moreLine, severity: .error,
                                     reason: "\(more) more messages or lines of this file hold NUL bytes or invalid UTF-8 and were left out"))
        }
        chat.messages = kept
        // In line order among the parser's issues (file-level ones, without a line, first).
        chat.issues = (chat.issues + issues).enumerated()
            .sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }.map(\.element)
    }
}
