import Foundation
import Testing
import ChatModel
import ChatParsers

/// Loading and parsing helpers shared by the WhatsApp tests.
enum WA {
    static let sampleNames = [
        "WhatsApp Chat with Alice Example.txt", "android_us_12h_nnbsp.txt", "_chat_ios_german.txt",
        "spanish_pm_nbsp.txt", "mixed_template_traps.txt", "preamble_then_chat.txt", "ambiguous_dates.txt",
        "cr_only_year_first.txt",
    ]

    static func sample(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.resourceURL?.appendingPathComponent("Samples/whatsapp/\(name)"))
        return try Data(contentsOf: url)
    }

    static func parse(_ data: Data, file: String = "chat.txt", options: ParseOptions = ParseOptions()) throws -> ParsedChat {
        try data.withUnsafeBytes { try WhatsAppParser.parse(bytes: $0, file: file, options: options) }
    }

    static func parseSample(_ name: String, options: ParseOptions = ParseOptions()) throws -> (Data, ParsedChat) {
        let data = try sample(name)
        return (data, try parse(data, file: name, options: options))
    }

    static func parse(lines: [String], eol: String = "\n", options: ParseOptions = ParseOptions()) throws -> ParsedChat {
        try parse(Data(lines.joined(separator: eol).utf8), options: options)
    }

    static func text(_ data: Data, _ range: Range<Int>) -> String {
        String(decoding: data[range], as: UTF8.self)
    }

    /// Offset of the first occurrence of `needle` in `data`.
    static func offset(of needle: String, in data: Data) throws -> Range<Int> {
        let r = try #require(data.range(of: Data(needle.utf8)))
        return r.lowerBound..<r.upperBound
    }

    static func layout(_ data: Data, options: ParseOptions = ParseOptions()) -> WhatsAppLayout {
        data.withUnsafeBytes { WhatsAppParser.analyse($0, options: options) }
    }

    /// All spans of the whole file in one pass.
    static func wholeFileSpans(_ data: Data, layout: WhatsAppLayout) -> [WhatsAppSpan] {
        data.withUnsafeBytes { buf in
            var spans: [WhatsAppSpan] = []
            WhatsAppParser.forEachSpan(buf, layout: layout, range: 0..<buf.count, startLine: 1, unparsed: { _, _ in },
                                       body: { spans.append($0); return true })
            return spans
        }
    }

    /// Spans gathered chunk by chunk, the chunks split at `nextMessageBoundary` of the given offsets.
    static func chunkedSpans(_ data: Data, layout: WhatsAppLayout, cuts: [Int]) -> [WhatsAppSpan] {
        data.withUnsafeBytes { buf in
            var bounds = Set(cuts.map { WhatsAppParser.nextMessageBoundary(buf, layout: layout, from: $0) })
            bounds.insert(0)
            bounds.insert(buf.count)
            let sorted = bounds.sorted()
            var spans: [WhatsAppSpan] = []
            for (lo, hi) in zip(sorted, sorted.dropFirst()) where lo < hi {
                let line = WhatsAppParser.lineNumber(at: lo, in: buf, layout: layout)
                WhatsAppParser.forEachSpan(buf, layout: layout, range: lo..<hi, startLine: line, unparsed: { _, _ in },
                                           body: { spans.append($0); return true })
            }
            return spans
        }
    }
}

/// What one message of a sample is expected to be.
struct ExpectedMessage {
    var sender: String?
    var kind: MessageKind
    var timestamp: String
    var line: Int
    var lineEnd: Int
    var text: String

    init(_ sender: String?, _ kind: MessageKind, _ timestamp: String, line: Int, lineEnd: Int? = nil, _ text: String) {
        self.sender = sender; self.kind = kind; self.timestamp = timestamp; self.line = line
        self.lineEnd = lineEnd ?? line; self.text = text
    }
}

/// Checks every field of every message against the expectations, and that text and byte ranges are verbatim slices
/// of the file.
func expectMessages(_ chat: ParsedChat, _ data: Data, _ expected: [ExpectedMessage],
                    sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(chat.messages.count == expected.count, sourceLocation: sourceLocation)
    for (i, (m, e)) in zip(chat.messages, expected).enumerated() {
        #expect(m.messageIndex == i, sourceLocation: sourceLocation)
        #expect(m.sender == e.sender, "message \(i)", sourceLocation: sourceLocation)
        #expect(m.kind == e.kind, "message \(i)", sourceLocation: sourceLocation)
        #expect(m.timestamp == e.timestamp, "message \(i)", sourceLocation: sourceLocation)
        #expect(m.line == e.line && m.lineEnd == e.lineEnd, "message \(i) lines", sourceLocation: sourceLocation)
        #expect(m.text == e.text, "message \(i) text", sourceLocation: sourceLocation)
        #expect(m.format == .whatsapp, sourceLocation: sourceLocation)
        // The text is the exact bytes of the file at its origin, and lies at the end of the message's byte range.
        let textBytes = m.text.utf8.count
        if let r = m.fileRange(ofTextBytes: 0..<textBytes) {
            #expect(WA.text(data, r) == m.text, "message \(i) verbatim", sourceLocation: sourceLocation)
            #expect(r.upperBound == m.byteEnd, "message \(i) text ends the message", sourceLocation: sourceLocation)
        } else {
            Issue.record("message \(i) has no verbatim origin", sourceLocation: sourceLocation)
        }
        #expect(m.byteStart < m.byteEnd && m.byteEnd <= data.count, sourceLocation: sourceLocation)
    }
}
