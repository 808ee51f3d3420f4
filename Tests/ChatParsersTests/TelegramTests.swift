import ChatModel
@testable import ChatParsers
import Foundation
import Testing

@Suite struct TelegramTests {
    @Test func singleChatExportReadsNameKindsAndSenders() throws {
        let (source, chat) = try readOnly(Samples.telegramSingle)
        #expect(source.format == .telegram)
        #expect(chat.chat == "Lesegruppe Köln")
        #expect(chat.messages.count == 10)
        #expect(chat.messages.map(\.kind) == [.system, .text, .text, .text, .media, .text, .call, .edited, .poll, .text])
        #expect(chat.messages.map(\.messageIndex) == Array(0..<10))
        #expect(chat.messages.allSatisfy { $0.chat == "Lesegruppe Köln" })
    }

    @Test func serviceMessageIsSystemWithTheActorAsSenderAndTheActionAsText() throws {
        let (_, chat) = try readOnly(Samples.telegramSingle)
        let m = chat.messages[0]
        #expect(m.kind == .system)
        #expect(m.sender == "Mia Koch")
        #expect(m.text == "create_group")
        #expect(chat.messages[6].sender == "Tom Berg")
    }

    @Test func unixTimeBecomesUTCAndMissingUnixTimeKeepsLocalDateWithAWarning() throws {
        let (_, chat) = try readOnly(Samples.telegramSingle)
        #expect(chat.messages[1].timestamp == "2020-11-12T12:54:10Z")
        let local = chat.messages[3]
        #expect(local.timestamp == "2020-11-12T13:00:00")
        #expect(local.warnings.contains("timestamp-local-no-zone"))
        let warnings = chat.issues.filter { $0.reason.contains("date_unixtime") }
        #expect(warnings.count == 1)
        #expect(warnings.first?.line == local.line)
    }

    @Test func textArrayPartsAreJoinedWithNothingBetweenThem() throws {
        let (_, chat) = try readOnly(Samples.telegramSingle)
        #expect(chat.messages[2].text == "Link:https://telegram.org/")
        #expect(chat.messages[3].text == "Fett: wichtig\nneu Ende \"x\" é")
        #expect(chat.messages[9].text == "@tomberg 🙂 später")
    }

    @Test func textMapsToFileBytesAcrossPartsEscapesAndEmoji() throws {
        let (_, chat) = try readOnly(Samples.telegramSingle)
        let bytes = fileBytes(Samples.telegramSingle)
        // text_entities is preferred: the link maps into the text_entities part
        let link = chat.messages[2]
        let linkRange = try #require(link.fileRange(ofTextBytes: 5..<26))
        #expect(String(decoding: bytes[linkRange], as: UTF8.self) == "https://telegram.org/")
        let entitiesStart = try #require(indexOf("\"text_entities\"", in: bytes, from: link.byteStart))
        #expect(linkRange.lowerBound > entitiesStart && linkRange.upperBound < link.byteEnd)
        // array text without text_entities: newline escape, quote escape, raw é
        let parts = chat.messages[3]
        #expect(fileSlice(of: "tig\nne", in: parts, file: bytes) == #"tig\nne"#)
        // a range that ends exactly where a part ends ends at the next part's first byte (one table entry per
        // byte cannot say both); its start is exact
        let whole = try #require(fileSlice(of: "wichtig\nneu", in: parts, file: bytes))
        #expect(whole.hasPrefix(#"wichtig\nneu""#) && whole.hasSuffix("\"") && whole.count < 40)
        #expect(fileSlice(of: "\"x\" é", in: parts, file: bytes) == #"\"x\" é"#)
        #expect(fileSlice(of: "🙂", in: chat.messages[9], file: bytes) == "🙂")
        #expect(fileSlice(of: "später", in: chat.messages[9], file: bytes) == "später")
    }

    @Test func missingFromMediaOnlyEditedAndPoll() throws {
        let (_, chat) = try readOnly(Samples.telegramSingle)
        let deleted = chat.messages[5]
        #expect(deleted.sender == nil)
        #expect(deleted.warnings.contains("sender-missing"))
        #expect(deleted.text == "Gelöschtes Konto schreibt")
        #expect(chat.messages[4].kind == .media)
        #expect(chat.messages[4].text == "")
        #expect(chat.messages[7].kind == .edited)
        #expect(chat.messages[8].kind == .poll)
    }

    @Test func messageObjectsAreLocatedByByteRangeAndLine() throws {
        let (_, chat) = try readOnly(Samples.telegramSingle)
        let bytes = fileBytes(Samples.telegramSingle)
        for m in chat.messages {
            #expect(bytes[m.byteStart] == UInt8(ascii: "{"))
            #expect(bytes[m.byteEnd - 1] == UInt8(ascii: "}"))
            #expect(m.line == lineOf(m.byteStart, in: bytes))
            let obj = try JSONSerialization.jsonObject(with: Data(bytes[m.byteStart..<m.byteEnd])) as? [String: Any]
            #expect(obj?["id"] as? Int == m.messageIndex + 1)
        }
    }

    @Test func wholeAccountExportReadsChatsListAndLeftChats() throws {
        let (source, chat) = try readOnly(Samples.telegramAccount)
        #expect(source.format == .telegram)
        #expect(chat.chat == nil)
        #expect(chat.messages.map(\.chat) == ["Tom Berg", "Tom Berg", "Saved Messages", "Alter Kanal"])
        #expect(chat.messages.map(\.text) == ["Guten Morgen", "Morgen ☕", "Notiz an mich", "Willkommen"])
        #expect(chat.messages.map(\.messageIndex) == [0, 1, 2, 3])
        #expect(chat.messages[3].timestamp == "2020-01-01T00:00:00Z")
        // the contacts list (with date fields) is not read as messages
        #expect(!chat.messages.contains { $0.sender == nil })
    }

    @Test func chatWithoutNameGetsItsIdAndAWarning() throws {
        let dir = TempDir()
        let path = dir.write("result.json", """
        {"type": "personal_chat", "id": 77, "messages": [
          {"id": 1, "type": "message", "date": "2021-01-01T00:00:00", "date_unixtime": "1609459200", "from": "X", "from_id": "user1", "text": "hi"}
        ]}
        """)
        let (_, chat) = try readOnly(path)
        #expect(chat.messages.first?.chat == "Telegram chat 77")
        #expect(chat.issues.contains { $0.severity == .warning && $0.reason.contains("without a name") })
        let (_, named) = try readOnly(path, options: ParseOptions(chatName: "Akte 7"))
        #expect(named.messages.first?.chat == "Akte 7")
    }
}

@Suite struct TelegramEdgeTests {
    @Test func emptyTextEntitiesFallBackToTheTextField() throws {
        let dir = TempDir()
        let path = dir.write("result.json", """
        {"name": "N", "type": "personal_chat", "id": 1, "messages": [
          {"id": 1, "type": "message", "date": "2021-01-01T00:00:00", "date_unixtime": 1609459200, "from": "X", "from_id": "user1",
           "text": "nur text", "text_entities": []}
        ]}
        """)
        let (_, chat) = try readOnly(path)
        #expect(chat.messages.first?.text == "nur text")
        #expect(chat.messages.first?.timestamp == "2021-01-01T00:00:00Z")   // date_unixtime as a number works too
        #expect(fileSlice(of: "nur text", in: chat.messages[0], file: fileBytes(path)) == "nur text")
    }
}
