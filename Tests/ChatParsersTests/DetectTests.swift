import ChatModel
@testable import ChatParsers
import Foundation
import Testing

@Suite struct DetectTests {
    func sniff(_ bytes: [UInt8], path: String = "/x/file") -> FormatDetector.Sniff {
        bytes.withUnsafeBytes { FormatDetector.sniff($0, path: path) }
    }

    @Test func formatIsTakenFromTheContentNotFromMisleadingNames() throws {
        let dir = TempDir()
        let telegram = dir.copy(Samples.telegramSingle, to: "notes.txt")
        let messenger = dir.copy(Samples.messengerThread + "/message_2.json", to: "chat.txt")
        let e2ee = dir.copy(Samples.e2ee, to: "export.log")
        let account = dir.copy(Samples.telegramAccount, to: "message_1.json")
        let whatsapp = dir.write("result.json", "[16.11.22, 19:51:10] Oma: Hallo\n[16.11.22, 19:52:10] Paul: Hi\n")
        let (sources, issues) = InputCollector.collect(paths: [telegram, messenger, e2ee, account, whatsapp], options: ParseOptions())
        #expect(issues.isEmpty)
        #expect(sources.map(\.format) == [.telegram, .messenger, .messengerE2EE, .telegram, .whatsapp])
        let chats = try sources.map { try ChatReader.read($0, options: ParseOptions()) }
        #expect(chats.map(\.messages.count) == [10, 4, 4, 4, 2])
    }

    @Test func zipIsRecognisedByItsMagicBytesWhateverItsName() throws {
        let dir = TempDir()
        let zip = dir.path + "/holiday.jpg"
        try makeZip(zip, [("_chat.txt", Array(iosChat.utf8))])
        let (sources, _) = InputCollector.collect(paths: [zip], options: ParseOptions())
        #expect(sources.first?.location == .zipMember(zip: zip, member: "_chat.txt"))
    }

    @Test func sniffTellsBinaryEmptyOtherJSONAndPlainText() {
        #expect(sniff([]) == .empty)
        #expect(sniff([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]) == .binary("binary data (NUL byte at offset 4)"))
        #expect(sniff(Array("{\"name\": \"pkg\", \"version\": \"1.0\"}".utf8)) == .otherJSON)
        #expect(sniff(Array("just some notes\nmore notes\n".utf8)) == .plainText)
        #expect(sniff([0x61, 0x62, 0xC3, 0x28, 0x0A]) == .invalidUTF8(2))
        #expect(sniff(Array("{\"messages\": [{\"senderName\": \"A\", \"text\": \"x\", \"timestamp\": 1}]}".utf8)) == .chat(.messengerE2EE))
        #expect(sniff(Array("{\"chats\": {\"list\": []}, \"personal_information\": {}, \"messages\": []}".utf8)) == .chat(.telegram))
    }

    /// JSON keys are looked for with `memmem`: a key past the first MiB of a quote-dense document is still found
    /// (the sniffer then reads the whole file), and the edges of the search are exact.
    @Test func jsonKeysAreFoundAnywhereInTheDocument() {
        func range(_ needle: String, _ text: [UInt8]) -> Range<Int>? {
            text.withUnsafeBytes { FormatDetector.range(of: needle, in: $0) }
        }
        #expect(range("\"messages\"", Array("\"messages\": []".utf8)) == 0..<10)
        #expect(range("\"messages\"", Array("{\"a\": \"messages\"}".utf8)) == 6..<16)
        #expect(range("\"messages\"", Array("{\"messages".utf8)) == nil)
        #expect(range("\"messages\"", Array("\"message".utf8)) == nil)
        #expect(range("", Array("abc".utf8)) == nil)
        // A Messenger thread whose keys come after 1.5 MB of other quoted keys.
        var doc = Array("{\"participants\": [".utf8)
        while doc.count < 1_500_000 { doc += Array("{\"name\": \"x\"}, ".utf8) }
        doc += Array("{\"name\": \"y\"}], \"messages\": [{\"sender_name\": \"A\", \"timestamp_ms\": 1}]}".utf8)
        #expect(sniff(doc) == .chat(.messenger))
        let key = Array("\"sender_name\"".utf8)
        let found = range("\"sender_name\"", doc)
        #expect(found.map { Array(doc[$0]) } == key && (found?.lowerBound ?? 0) > 1_500_000)
    }

    @Test func instagramComesFromThePathOrTheThreadPath() {
        let fb = Array("{\"messages\": [{\"sender_name\": \"A\", \"timestamp_ms\": 1}], \"thread_path\": \"inbox/anna_123\"}".utf8)
        #expect(sniff(fb) == .chat(.messenger))
        #expect(sniff(fb, path: "/exports/Instagram-2024/messages/inbox/anna_123/message_1.json") == .chat(.instagram))
        let ig = Array("{\"messages\": [{\"sender_name\": \"A\", \"timestamp_ms\": 1}], \"thread_path\": \"inbox/anna.b_17841\"}".utf8)
        #expect(sniff(ig) == .chat(.instagram))
    }

    @Test func telegramKeysFarIntoALargeFileAreStillFound() {
        // contacts before the chats push the first message key past the 1 MiB window
        var text = "{\"contacts\": {\"list\": ["
        let filler = String(repeating: "{\"first_name\": \"Name\", \"phone_number\": \"+49 000\"},", count: 30_000)
        text += filler + "{}]}, \"chats\": {\"list\": [{\"name\": \"A\", \"messages\": [{\"type\": \"message\", \"date\": \"2020-01-01T00:00:00\", \"from_id\": \"user1\", \"text\": \"x\"}]}]}}"
        #expect(text.utf8.count > FormatDetector.jsonWindow)
        #expect(sniff(Array(text.utf8)) == .chat(.telegram))
    }

    @Test func formatOptionOverridesDetection() throws {
        let (source, chat) = try readOnly(Samples.telegramSingle, options: ParseOptions(format: .lines))
        #expect(source.format == .lines)
        let bytes = fileBytes(Samples.telegramSingle)
        #expect(bytes.last != 0x0A)   // no final newline: one more line than line breaks
        #expect(chat.messages.count == bytes.filter { $0 == 0x0A }.count + 1)
        #expect(chat.messages.first?.text == "{")
    }

    @Test func formatNamesFromTheCommandLine() throws {
        #expect(try ParseOptions.fromCommandLine(format: "messenger-e2ee", dateOrder: "mdy", chatName: "C").format == .messengerE2EE)
        #expect(try ParseOptions.fromCommandLine(format: "telegram-json", dateOrder: nil, chatName: nil).format == .telegram)
        #expect(try ParseOptions.fromCommandLine(format: nil, dateOrder: "DMY", chatName: nil).dateOrder == .dmy)
        #expect(throws: InputError.self) { try ParseOptions.fromCommandLine(format: "signal", dateOrder: nil, chatName: nil) }
        #expect(throws: InputError.self) { try ParseOptions.fromCommandLine(format: nil, dateOrder: "dym", chatName: nil) }
    }
}

@Suite struct ForcedFormatWalkTests {
    @Test func forcedFormatInAFolderWalkOnlyTakesFilesOfTheSameFamily() {
        let dir = TempDir()
        let text = dir.write("labelled/messages-1.txt", "eins\nzwei\n")
        let truth = dir.write("labelled/ground-truth.jsonl", "{\"line\": 1, \"label\": \"x\"}\n")
        let thread = dir.copy(Samples.e2ee, to: "labelled/thread.json")
        let lines = InputCollector.collect(paths: [dir.path], options: ParseOptions(format: .lines))
        #expect(lines.sources.map(\.displayPath) == [text])
        #expect(lines.issues.map(\.file) == [truth, thread])
        #expect(lines.issues.map(\.reason) == ["skipped: not a chat export (JSON does not fit --format lines)",
                                               "skipped: not a chat export (messenger-e2ee export does not fit --format lines)"])
        // named on the command line, the forced format applies whatever the content
        let named = InputCollector.collect(paths: [truth], options: ParseOptions(format: .lines))
        #expect(named.sources.map(\.format) == [.lines])
        // a JSON format forced on a walk leaves the text alone
        let json = InputCollector.collect(paths: [dir.path], options: ParseOptions(format: .messengerE2EE))
        #expect(json.sources.map(\.displayPath) == [truth, thread])
    }
}
