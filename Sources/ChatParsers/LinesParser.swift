import ChatModel

/// The `lines` format: every line of a plain text file is one message (no sender, no chat, kind `text`), for term
/// lists and labelled data. `line` is the line number; the text is the line without its terminator (LF, CRLF or
/// CR), copied verbatim from the file. Empty lines are messages too, so every line is accounted for; a final line
/// terminator does not start another line. A UTF-8 BOM at the start is not part of the first line's text.
public enum LinesParser {
    public static func parse(bytes: UnsafeRawBufferPointer, file: String) -> ParsedChat {
        var messages: [Message] = []
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        var lineNo = 0
        let n = bytes.count
        while start < n {
            var end = start
            while end < n, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
            var next = end
            if next < n { next += (bytes[next] == 0x0D && next + 1 < n && bytes[next + 1] == 0x0A) ? 2 : 1 }
            lineNo += 1
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            messages.append(Message(file: file, chat: nil, sender: nil, timestamp: nil, text: text, kind: .text,
                                    line: lineNo, lineEnd: lineNo, byteStart: start, byteEnd: end,
                                    messageIndex: messages.count, format: .lines, textOrigin: .verbatim(start)))
            start = next
        }
        return ParsedChat(file: file, format: .lines, chat: nil, messages: messages, issues: [],
                          totalLines: lineNo, unparsedLines: 0)
    }
}
