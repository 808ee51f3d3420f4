import ChatModel
@testable import ChatParsers
import Foundation
import Testing

@Suite struct MessengerTests {
    let part1 = Samples.messengerThread + "/message_1.json"
    let part2 = Samples.messengerThread + "/message_2.json"

    @Test func threadSplitOverTwoFilesBecomesOneChatInFileOrder() throws {
        let (source, chat) = try readOnly(Samples.messengerThread)
        #expect(source.format == .messenger)
        #expect(source.location == .thread([part1, part2]))
        #expect(source.files.map(\.path) == [part1, part2])
        #expect(source.files.map(\.size) == [fileBytes(part1).count, fileBytes(part2).count])
        #expect(chat.chat == "Wochenende 🎉")
        #expect(chat.messages.count == 14)
        #expect(chat.messages.allSatisfy { $0.chat == "Wochenende 🎉" })
        // message_1 first (newest first, as stored), then message_2; index counts within each file
        #expect(chat.messages.prefix(10).allSatisfy { $0.file == part1 })
        #expect(chat.messages.suffix(4).allSatisfy { $0.file == part2 })
        #expect(chat.messages.map(\.messageIndex) == Array(0..<10) + Array(0..<4))
        #expect(chat.messages.first?.text == "Bis später 😢")
        #expect(chat.messages.last?.text == "Hallo Jörg! Schön dich zu sehen 😀")
    }

    @Test func threadPartsAreOrderedByNumberNotByName() throws {
        let dir = TempDir()
        let one = dir.copy(part1, to: "inbox/x_1/message_1.json")
        let two = dir.copy(part2, to: "inbox/x_1/message_2.json")
        let ten = dir.copy(part2, to: "inbox/x_1/message_10.json")
        let (source, chat) = try readOnly(dir.path)
        #expect(source.location == .thread([one, two, ten]))
        #expect(chat.messages.count == 18)
        #expect(source.displayPath == dir.path + "/inbox/x_1")
    }

    @Test func equalTimestampsKeepTheirFileOrder() throws {
        let (_, chat) = try readOnly(Samples.messengerThread)
        #expect(chat.messages[0].timestamp == "2022-11-16T19:50:03.612Z")
        #expect(chat.messages[1].timestamp == "2022-11-16T19:50:03.612Z")
        #expect(chat.messages[0].sender == "Jörg Müller")
        #expect(chat.messages[1].sender == "Anna Schmidt")
        // whole seconds still carry three fraction digits
        #expect(chat.messages[2].timestamp == "2022-11-16T19:48:20.000Z")
    }

    @Test func mojibakeEmojiAndAccentsAreRepairedAndMapToTheirEscapes() throws {
        let (_, chat) = try readOnly(Samples.messengerThread)
        let bytes = fileBytes(part1)
        let first = chat.messages[0]
        #expect(first.sender == "Jörg Müller")
        #expect(first.warnings == ["mojibake-fixed"])
        #expect(fileSlice(of: "😢", in: first, file: bytes) == #"\u00f0\u009f\u0098\u00a2"#)
        #expect(fileSlice(of: "später", in: first, file: bytes) == #"sp\u00c3\u00a4ter"#)
        let second = chat.messages[1]
        #expect(second.text == "Café um 3? Ça va, Jörg?")
        #expect(fileSlice(of: "Ça", in: second, file: bytes) == #"\u00c3\u0087a"#)
        #expect(fileSlice(of: "um 3?", in: second, file: bytes) == "um 3?")
        // the whole text maps to the whole string token contents
        let all = fileSlice(of: first.text, in: first, file: bytes)
        #expect(all == #"Bis sp\u00c3\u00a4ter \u00f0\u009f\u0098\u00a2"#)
    }

    @Test func escapedNewlineAndQuotesMapToTheEscapes() throws {
        let (_, chat) = try readOnly(Samples.messengerThread)
        let m = chat.messages[8]
        #expect(m.text == "Zeile eins\nSie sagte \"hallo\" ❤️")
        #expect(m.kind == .text)
        let bytes = fileBytes(part1)
        #expect(fileSlice(of: "eins\nSie", in: m, file: bytes) == #"eins\nSie"#)
        #expect(fileSlice(of: "\"hallo\"", in: m, file: bytes) == #"\"hallo\""#)
        #expect(fileSlice(of: "❤️", in: m, file: bytes) == #"\u00e2\u009d\u00a4\u00ef\u00b8\u008f"#)
    }

    @Test func kindsOfPhotoShareReactionUnsentGroupEventsAndCalls() throws {
        let (_, chat) = try readOnly(Samples.messengerThread)
        let kinds = chat.messages.map(\.kind)
        #expect(kinds == [.text, .text, .media, .text, .reaction, .unsent, .system, .system, .text, .call,
                          .system, .reaction, .text, .text])
        #expect(chat.messages[2].text == "")                       // photo only
        #expect(chat.messages[3].text == "https://example.org/kaese") // share keeps its content
        #expect(chat.messages[4].text == "Reacted 😢 to your message")
        #expect(chat.messages[5].text == "")                       // unsent
        #expect(chat.messages[6].text == "Anna Schmidt named the group Wochenende 🎉.")
        #expect(chat.messages[7].text == "Jörg Müller added Lena Weiß to the group.")
        #expect(chat.messages[10].sender == "Lena Weiß")
        #expect(chat.messages[11].text == "")                      // reactions only
    }

    @Test func stringThatIsNotMojibakeIsKeptAndWarnedWithItsLine() throws {
        let (_, chat) = try readOnly(Samples.messengerThread)
        let m = chat.messages[12]
        #expect(m.text == "Er sagte \u{201E}jetzt\u{201C}")
        #expect(m.warnings.contains("mojibake-not-fixable"))
        let issue = try #require(chat.issues.first { $0.reason.hasPrefix("mojibake-not-fixable") })
        #expect(issue.severity == .warning)
        #expect(issue.file == part2)
        #expect(issue.line == m.line)
        // pure ASCII messages from ASCII senders carry no mojibake warning
        #expect(chat.messages[11].warnings.isEmpty)
    }

    @Test func byteRangeAndLineAreTheMessageObjectInTheFile() throws {
        let (_, chat) = try readOnly(Samples.messengerThread)
        for m in chat.messages {
            let bytes = fileBytes(m.file)
            #expect(bytes[m.byteStart] == UInt8(ascii: "{"))
            #expect(bytes[m.byteEnd - 1] == UInt8(ascii: "}"))
            #expect(m.line == lineOf(m.byteStart, in: bytes))
            #expect(m.lineEnd == lineOf(m.byteEnd - 1, in: bytes))
            let object = String(decoding: bytes[m.byteStart..<m.byteEnd], as: UTF8.self)
            #expect(object.contains("\"timestamp_ms\""))
            let decoded = try JSONSerialization.jsonObject(with: Data(object.utf8)) as? [String: Any]
            #expect(decoded?["sender_name"] != nil)
        }
    }

    @Test func e2eeExportIsCamelCaseWithoutMojibake() throws {
        let (source, chat) = try readOnly(Samples.e2ee)
        #expect(source.format == .messengerE2EE)
        #expect(chat.chat == "Anna Schmidt")
        #expect(chat.messages.map(\.kind) == [.text, .media, .unsent, .text])
        let first = chat.messages[0]
        #expect(first.text == "Grüße aus Köln 👋")
        #expect(first.sender == "Anna Schmidt")
        #expect(first.timestamp == "2024-06-14T12:29:05.123Z")
        #expect(first.warnings.isEmpty)
        let bytes = fileBytes(Samples.e2ee)
        #expect(fileSlice(of: "👋", in: first, file: bytes) == "👋")   // raw UTF-8 bytes map to themselves
        #expect(fileSlice(of: "Grüße", in: first, file: bytes) == "Grüße")
        #expect(chat.messages[3].text == "Tab\there, quote \"q\"")
        #expect(fileSlice(of: "\there", in: chat.messages[3], file: bytes) == #"\there"#)
        #expect(chat.messages[1].sender == "Jörg Müller")
    }

    @Test func chatOptionOverridesTheTitle() throws {
        let (_, chat) = try readOnly(Samples.messengerThread, options: ParseOptions(chatName: "Fall 42"))
        #expect(chat.chat == "Fall 42")
        #expect(chat.messages.allSatisfy { $0.chat == "Fall 42" })
    }

    @Test func shareWithoutContentUsesShareTextAndEventTextsNeedTheSenderAsActor() throws {
        let dir = TempDir()
        let path = dir.write("inbox/t_1/message_1.json", """
        {
          "participants": [{"name": "Ben"}],
          "messages": [
            {"sender_name": "Ben", "timestamp_ms": 1000, "share": {"link": "https://example.org/a", "share_text": "Lesetipp"}},
            {"sender_name": "Ben", "timestamp_ms": 999, "content": "I left the group."},
            {"sender_name": "Ben", "timestamp_ms": 998, "content": "Ben left the group."},
            {"sender_name": "Ben", "timestamp_ms": 997, "content": "You called Ben."},
            {"sender_name": "Ben", "timestamp_ms": 996},
            {"timestamp_ms": 995, "content": "no sender"}
          ],
          "title": "Ben",
          "thread_path": "inbox/t_1"
        }
        """)
        let (_, chat) = try readOnly(path)
        #expect(chat.messages.map(\.text) == ["Lesetipp", "I left the group.", "Ben left the group.", "You called Ben.", "", "no sender"])
        #expect(chat.messages.map(\.kind) == [.text, .text, .system, .call, .system, .text])
        #expect(chat.messages[5].sender == nil && chat.messages[5].warnings == ["sender-missing"])
        #expect(chat.messages[4].warnings.contains("empty-message"))
        #expect(chat.messages[1].timestamp == "1970-01-01T00:00:00.999Z")
        #expect(fileSlice(of: "Lesetipp", in: chat.messages[0], file: fileBytes(path)) == "Lesetipp")
    }

    @Test func brokenPartOfAThreadIsAnErrorWhileTheOtherPartIsRead() throws {
        let dir = TempDir()
        dir.copy(part1, to: "inbox/x_1/message_1.json")
        let bad = dir.write("inbox/x_1/message_2.json", Array(fileBytes(part2).prefix(700)))
        let (_, chat) = try readOnly(dir.path)
        #expect(chat.messages.count == 10)
        let error = try #require(chat.issues.first { $0.severity == .error })
        #expect(error.file == bad)
        #expect(error.reason.contains("truncated"))
        #expect(error.line != nil)
    }
}

@Suite struct MessengerWarningCapTests {
    @Test func manyUnfixableStringsAreListedUpToALimitThenSummed() throws {
        let dir = TempDir()
        let entries = (0..<25).map { #"{"sender_name": "A", "timestamp_ms": \#($0), "content": "\u201cq\u201d"}"# }
        let path = dir.write("message_1.json", "{\"messages\": [\n" + entries.joined(separator: ",\n") + "\n], \"title\": \"T\"}")
        let (_, chat) = try readOnly(path)
        #expect(chat.messages.count == 25)
        #expect(chat.messages.allSatisfy { $0.warnings == ["mojibake-not-fixable"] })
        #expect(chat.issues.count == MessengerParser.maxIssuesPerKind + 1)
        #expect(chat.issues.last?.reason == "mojibake-not-fixable: 5 more messages (see their warnings)")
    }
}
