import ChatModel

/// Message and line counts of one source, without building message records.
public struct ParseCount: Sendable, Equatable {
    public var messages = 0
    public var unparsedLines = 0
    public var bytes = 0
    public init() {}
}

extension ChatReader {
    /// Counts the messages of a source the way the scan engine reads it: for WhatsApp text the zero-copy span
    /// parser (UTF-8 check, layout analysis, span iteration; no strings are built), for other formats a full parse.
    /// This is what `chatsieve parse --count-only` times, the parse-only throughput benchmark.
    public static func count(_ source: ChatSource, options: ParseOptions) throws -> ParseCount {
        var result = ParseCount()
        guard source.format == .whatsapp, source.isSingleText else {
            let parsed = try read(source, options: options)
            result.messages = parsed.messages.count
            result.unparsedLines = parsed.unparsedLines
            result.bytes = source.totalSize
            return result
        }
        var opts = options
        if opts.chatName == nil { opts.chatName = source.chatNameHint }
        try withMappedBytes(source) { bytes in
            try WhatsAppParser.validateText(bytes, file: source.displayPath)
            let layout = WhatsAppParser.analyse(bytes, options: opts)
            var messages = 0, unparsed = 0
            WhatsAppParser.forEachSpan(bytes, layout: layout, range: 0..<bytes.count, startLine: 1,
                                       unparsed: { _, _ in unparsed += 1 }, body: { _ in messages += 1; return true })
            result.messages = messages
            result.unparsedLines = unparsed
            result.bytes = bytes.count
        }
        return result
    }
}
