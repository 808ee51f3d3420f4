import ChatModel

/// Message and line counts of one source, without building message records.
public struct ParseCount: Sendable, Equatable {
    public var messages = 0
    public var unparsedLines = 0
    public var bytes = 0
    /// The errors a full parse reports for messages it leaves out (a NUL byte or invalid UTF-8 in one message).
    public var errors: [ParseIssue] = []
    public init() {}
}

extension ChatReader {
    /// Counts the messages of a source the way the scan engine reads it: for WhatsApp text the zero-copy span
    /// parser (UTF-8 check, layout analysis, span iteration; no strings are built), for other formats a full parse.
    /// This is what `chatsieve parse --count-only` times, the parse-only throughput benchmark. A WhatsApp text with a
    /// NUL byte or invalid UTF-8 is counted by the full parse, which leaves out only the messages holding them and
    /// reports each (in `errors`), as `parse` and `scan` do.
    public static func count(_ source: ChatSource, options: ParseOptions) throws -> ParseCount {
        var result = ParseCount()
        func fullCount() throws -> ParseCount {
            let parsed = try read(source, options: options)
            result.messages = parsed.messages.count
            result.unparsedLines = parsed.unparsedLines
            result.bytes = source.totalSize
            result.errors = parsed.issues.filter { $0.severity == .error }
            return result
        }
        guard source.format == .whatsapp, source.isSingleText else { return try fullCount() }
        var opts = options
        if opts.chatName == nil { opts.chatName = source.chatNameHint }
        let clean = try withMappedBytes(source) { bytes -> Bool in
            guard UTF8Validation.firstProblem(bytes, rejectNUL: true) == nil else { return false }
            let layout = WhatsAppParser.analyse(bytes, options: opts)
            var messages = 0, unparsed = 0
            WhatsAppParser.forEachSpan(bytes, layout: layout, range: 0..<bytes.count, startLine: 1,
                                       unparsed: { _, _ in unparsed += 1 }, body: { _ in messages += 1; return true })
            result.messages = messages
            result.unparsedLines = unparsed
            result.bytes = bytes.count
            return true
        }
        return clean ? result : try fullCount()
    }
}
