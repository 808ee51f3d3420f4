import Foundation
import Testing
import ChatModel
import ChatParsers

/// The allocation-free span API used by the scan engine, chunking, detection and chat names.
@Suite struct WhatsAppSpanTests {
    @Test(arguments: WA.sampleNames)
    func chunkParallelSpansEqualWholeFileSpans(_ name: String) throws {
        let data = try WA.sample(name)
        let layout = WA.layout(data)
        let whole = WA.wholeFileSpans(data, layout: layout)
        #expect(!whole.isEmpty)
        // Cut at every 7th byte: many chunk layouts, including cuts inside multi-byte characters and CRLF pairs.
        let cuts = Array(stride(from: 1, to: data.count, by: 7))
        #expect(WA.chunkedSpans(data, layout: layout, cuts: cuts) == whole, "\(name)")
        #expect(WA.chunkedSpans(data, layout: layout, cuts: [data.count / 2]) == whole, "\(name)")
    }

    @Test(arguments: WA.sampleNames)
    func spanRebuiltFromItsBoundsEqualsTheSpanPassSpan(_ name: String) throws {
        let (data, chat) = try WA.parseSample(name)
        let layout = WA.layout(data, options: ParseOptions(chatName: chat.chat))
        let whole = WA.wholeFileSpans(data, layout: layout)
        #expect(!whole.isEmpty)
        data.withUnsafeBytes { buf in
            for s in whole {
                let rebuilt = WhatsAppParser.span(at: s.start, end: s.end, line: s.line, lineEnd: s.lineEnd, in: buf,
                                                  layout: layout)
                #expect(rebuilt == s, "\(name) line \(s.line)")
                // The record built with the header scanned once equals the one built from the span pass's span.
                #expect(WhatsAppParser.message(at: s.start, end: s.end, line: s.line, lineEnd: s.lineEnd, in: buf,
                                               layout: layout, file: "f", chat: chat.chat, index: 3)
                        == WhatsAppParser.message(from: s, bytes: buf, layout: layout, file: "f", chat: chat.chat, index: 3))
            }
        }
    }

    @Test func spanRebuiltFromBoundsKeepsTheMismatchFlagAndRejectsANonHeaderStart() throws {
        let data = try WA.sample("mixed_template_traps.txt")
        let layout = WA.layout(data)
        let whole = WA.wholeFileSpans(data, layout: layout)
        let flagged = try #require(whole.first { $0.mismatch })
        data.withUnsafeBytes { buf in
            #expect(WhatsAppParser.span(at: flagged.start, end: flagged.end, line: flagged.line, lineEnd: flagged.lineEnd,
                                        in: buf, layout: layout)?.mismatch == true)
            // One byte into the header is not a message start.
            #expect(WhatsAppParser.span(at: flagged.start + 1, end: flagged.end, line: flagged.line,
                                        lineEnd: flagged.lineEnd, in: buf, layout: layout) == nil)
        }
    }

    @Test(arguments: WA.sampleNames)
    func spansMatchTheParsedMessages(_ name: String) throws {
        let (data, chat) = try WA.parseSample(name)
        let layout = WA.layout(data, options: ParseOptions(chatName: chat.chat))
        let spans = WA.wholeFileSpans(data, layout: layout)
        #expect(spans.count == chat.messages.count)
        for (s, m) in zip(spans, chat.messages) {
            #expect(s.start == m.byteStart && s.end == m.byteEnd && s.line == m.line && s.lineEnd == m.lineEnd)
            #expect(s.kind == m.kind)
            #expect(WA.text(data, s.textStart..<s.textEnd) == m.text)
            #expect((s.senderStart < 0) == (m.sender == nil))
        }
    }

    @Test func chunksParsedConcurrentlyGiveTheWholeFileMessages() throws {
        // A generated export of 3,000 messages: multi-line bodies, CRLF, placeholders, pasted other-template lines.
        var lines: [String] = []
        for k in 0..<3000 {
            let day = 1 + (k / 200) % 28, hour = (k / 10) % 24, minute = k % 60
            let header = String(format: "[%02d.%02d.21, %02d:%02d:00] ", day, 1 + k / 1000, hour, minute)
            switch k % 7 {
            case 0: lines += [header + "Ann: line one of \(k)", "line two", "", "[1.2.2019, 00:00:00] Pasted: x"]
            case 1: lines.append(header + "Bo: \u{200E}image omitted")
            case 2: lines.append(header + "Team: \u{200E}Ann added Bo")
            default: lines.append(header + "~ Cy: message \(k) with ünïcödé")
            }
        }
        let data = Data(lines.joined(separator: "\r\n").utf8)
        let whole = try WA.parse(data, file: "WhatsApp Chat - Team.zip!/_chat.txt")
        #expect(whole.messages.count == 3000)
        let layout = WA.layout(data, options: ParseOptions(chatName: whole.chat))
        let parts = data.withUnsafeBytes { buf -> [[Message]] in
            var bounds = (1..<8).map { WhatsAppParser.nextMessageBoundary(buf, layout: layout, from: buf.count * $0 / 8) }
            bounds = [0] + bounds + [buf.count]
            let results = ChunkResults(count: bounds.count - 1)
            DispatchQueue.concurrentPerform(iterations: bounds.count - 1) { c in
                var out: [Message] = []
                let line = WhatsAppParser.lineNumber(at: bounds[c], in: buf, layout: layout)
                WhatsAppParser.forEachSpan(buf, layout: layout, range: bounds[c]..<bounds[c + 1], startLine: line,
                                           unparsed: { _, _ in }, body: { span in
                    out.append(WhatsAppParser.message(from: span, bytes: buf, layout: layout, file: whole.file,
                                                      chat: whole.chat, index: 0))
                    return true
                })
                results.set(c, out)
            }
            return results.all()
        }
        var merged = parts.flatMap { $0 }
        for i in merged.indices { merged[i].messageIndex = i }
        #expect(merged == whole.messages)
        #expect(whole.messages.filter { $0.kind == .system }.count == 3000 / 7 + 1)
    }

    @Test func messageBoundaryIsAHeaderLineStartOfTheLayout() throws {
        let data = try WA.sample("mixed_template_traps.txt")
        let layout = WA.layout(data)
        let second = try WA.offset(of: "[04.01.18, 11:55:02]", in: data).lowerBound
        data.withUnsafeBytes { buf in
            // From inside the first message (even from its pasted, other-template header) the next boundary is the
            // second real header.
            #expect(WhatsAppParser.nextMessageBoundary(buf, layout: layout, from: 1) == second)
            #expect(WhatsAppParser.nextMessageBoundary(buf, layout: layout, from: second) == second)
            #expect(WhatsAppParser.nextMessageBoundary(buf, layout: layout, from: 0) == 0)
            #expect(WhatsAppParser.nextMessageBoundary(buf, layout: layout, from: buf.count) == buf.count)
        }
    }

    @Test func forEachSpanStopsWhenBodyReturnsFalse() throws {
        let data = try WA.sample("WhatsApp Chat with Alice Example.txt")
        let layout = WA.layout(data)
        var seen = 0
        data.withUnsafeBytes { buf in
            WhatsAppParser.forEachSpan(buf, layout: layout, range: 0..<buf.count, startLine: 1, unparsed: { _, _ in },
                                       body: { _ in seen += 1; return seen < 3 })
        }
        #expect(seen == 3)
    }

    @Test func unparsedCallbackReceivesLineNumbersAndRanges() throws {
        let data = try WA.sample("preamble_then_chat.txt")
        let layout = WA.layout(data)
        var got: [(Int, String)] = []
        data.withUnsafeBytes { buf in
            WhatsAppParser.forEachSpan(buf, layout: layout, range: 0..<buf.count, startLine: 1,
                                       unparsed: { got.append(($0, WA.text(data, $1))) }, body: { _ in true })
        }
        #expect(got.map(\.0) == [1, 2, 3])
        #expect(got.map(\.1) == ["Chat export", "Exported by the phone owner on request", ""])
    }

    @Test func layoutReportsTemplateAndEvidence() throws {
        let android = WA.layout(try WA.sample("WhatsApp Chat with Alice Example.txt"))
        #expect(android.templateDescription == "A/B/YYYY, H:MM - ")
        #expect(android.dateOrder == .dmy && android.dateOrderEvidence == "field-above-12" && !android.dateOrderAmbiguous)
        let ios = WA.layout(try WA.sample("_chat_ios_german.txt"))
        #expect(ios.templateDescription == "[A.B.YY, H:MM:SS] ")
        #expect(ios.bomLength == 3 && ios.otherTemplateLines == 1)
        let cr = WA.layout(try WA.sample("cr_only_year_first.txt"))
        #expect(cr.crOnly && cr.dateOrder == .ymd)
    }

    @Test func fileWithoutAnyHeaderReportsEveryLineUnparsed() throws {
        let chat = try WA.parse(lines: ["just some notes", "", "nothing like a chat"])
        #expect(chat.messages.isEmpty)
        #expect(chat.unparsedLines == 3 && chat.totalLines == 3)
        #expect(chat.issues.contains { $0.severity == .warning && $0.reason.contains("no WhatsApp message header") })
    }

    @Test func emptyFileGivesNoMessagesAndNoLines() throws {
        let chat = try WA.parse(Data())
        #expect(chat.messages.isEmpty && chat.totalLines == 0 && chat.issues.isEmpty)
    }

    @Test(arguments: WA.sampleNames)
    func sampleExportsAreDetectedAsWhatsApp(_ name: String) throws {
        let data = try WA.sample(name)
        #expect(data.withUnsafeBytes { WhatsAppParser.looksLikeWhatsApp($0) })
    }

    @Test(arguments: [
        "{\"participants\": [{\"name\": \"A\"}], \"messages\": []}",
        "hello world\nthis is a plain list of lines\n",
        "2024-06-08T06:35:21 <user48> word word\n2024-06-08T06:35:22 <user12> more words\n",
        "2024-06-08 06:35:21 server started\n2024-06-08 06:35:22 listening on port 80\n",
        "name,date,text\nAnn,2020-01-01,hi\n",
    ])
    func otherContentIsNotDetectedAsWhatsApp(_ text: String) {
        let data = Data(text.utf8)
        #expect(!data.withUnsafeBytes { WhatsAppParser.looksLikeWhatsApp($0) })
    }

    @Test(arguments: [
        ("WhatsApp Chat with Alice Example.txt", "Alice Example"),
        ("exports/WhatsApp-Chat mit Oma Erna.txt", "Oma Erna"),
        ("WhatsApp Chat - Familie.zip", "Familie"),
        ("WhatsApp Chat - Team: Night shift.txt", "Team: Night shift"),
        ("/cases/42/WhatsApp Chat - Familie.zip!/_chat.txt", "Familie"),
        ("_chat.txt", "_chat"),
        ("notes.txt", "notes"),
        ("WhatsApp Chat with +44 7700 900123.txt", "+44 7700 900123"),
    ])
    func chatNameComesFromTheFileName(_ file: String, _ expected: String) {
        #expect(WhatsAppParser.chatName(fromFileName: file) == expected)
    }

    @Test func chatNameOptionOverridesTheFileName() throws {
        let data = try WA.sample("WhatsApp Chat with Alice Example.txt")
        let chat = try WA.parse(data, file: "WhatsApp Chat with Alice Example.txt", options: ParseOptions(chatName: "Case 17"))
        #expect(chat.chat == "Case 17" && chat.messages.allSatisfy { $0.chat == "Case 17" })
    }

    @Test func messageFromSpanBuildsTheSameRecordAsParse() throws {
        let name = "android_us_12h_nnbsp.txt"
        let (data, chat) = try WA.parseSample(name)
        let layout = WA.layout(data, options: ParseOptions(chatName: chat.chat))
        let spans = WA.wholeFileSpans(data, layout: layout)
        let rebuilt = data.withUnsafeBytes { buf in
            spans.enumerated().map {
                WhatsAppParser.message(from: $1, bytes: buf, layout: layout, file: name, chat: chat.chat, index: $0)
            }
        }
        #expect(rebuilt == chat.messages)
    }
}

/// Per-chunk results written from concurrent workers.
final class ChunkResults: @unchecked Sendable {
    private var slots: [[Message]]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: [], count: count) }
    func set(_ i: Int, _ m: [Message]) { lock.lock(); slots[i] = m; lock.unlock() }
    func all() -> [[Message]] { lock.lock(); defer { lock.unlock() }; return slots }
}
