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
