import ChatModel
import Foundation

/// What `ChatReader.read` (and so `chatsieve parse`) does with NUL bytes and invalid UTF-8 in a WhatsApp or `lines`
/// export, the policy the scan follows (ScanEngine's `InvalidUTF8Messages`): the message holding such a byte is left
/// out (its text would not be the file's bytes) and reported as an error naming its first line and the byte's offset;
/// every other message is kept, with the index it has in the file. A bad byte outside every message (a line before
/// the first WhatsApp header, which is also reported as unparsed) is reported the same way. Past 20 reports in a
/// file, one more issue counts the rest (`InvalidTextReport`, shared with the scan).
enum InvalidTextMessages {
    /// Removes from `chat.messages` (parsed from `bytes`, in file order) every message holding a NUL byte or invalid
    /// UTF-8, and appends an error issue for each (in line order among the other issues). Returns at once when the
    /// bytes are clean.
    static func exclude(_ bytes: UnsafeRawBufferPointer, from chat: inout ParsedChat) {
        guard let base = bytes.baseAddress,
              var bad = UTF8Validation.firstProblem(bytes, rejectNUL: true) else { return }
        // Lines of bytes outside every message end at LF, or at CR in a file without LF (old Mac line endings, as
        // the WhatsApp layout reads them).
        let crOnly = memchr(base, 0x0A, bytes.count) == nil && memchr(base, 0x0D, bytes.count) != nil
        var report = InvalidTextReport(file: chat.file, base: base, start: 0, terminator: crOnly ? 0x0D : 0x0A)
        var kept: [Message] = []
        kept.reserveCapacity(chat.messages.count)
        var k = 0
        let messages = chat.messages
        while true {
            let at = bad.offset
            // Messages wholly before the bad byte are clean.
            while k < messages.count && messages[k].byteEnd <= at { kept.append(messages[k]); k += 1 }
            var resume = at + 1
            if k < messages.count && messages[k].byteStart <= at {
                report.report(bad.problem, at: at, in: bytes, line: messages[k].line, outcome: "this message was left out")
                resume = messages[k].byteEnd
                k += 1
            } else {
                report.report(bad.problem, at: at, in: bytes, line: nil, outcome: nil)
            }
            guard resume < bytes.count,
                  let next = UTF8Validation.firstProblem(UnsafeRawBufferPointer(rebasing: bytes[resume...]), rejectNUL: true)
            else { break }
            bad = (resume + next.offset, next.problem)
        }
        kept += messages[k...]
        chat.messages = kept
        // In line order among the parser's issues (file-level ones, without a line, first).
        let issues = report.finished(scope: "this file", fate: "left out")
        chat.issues = (chat.issues + issues).enumerated()
            .sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }.map(\.element)
    }
}
