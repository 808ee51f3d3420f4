import ChatModel
@testable import ChatParsers
import Foundation
import Testing
import ZIPFoundation

/// A WhatsApp iOS export as found in `_chat.txt` (synthetic).
let iosChat = """
[16.11.22, 19:50:03] Familie Weber: \u{200E}Messages and calls are end-to-end encrypted. Only people in this chat can read, listen to, or share them.
[16.11.22, 19:51:10] Oma: Hallo ihr Lieben 😀
[16.11.22, 19:52:00] Paul: \u{200E}<attached: 00000003-PHOTO-2022-11-16-19-52-00.jpg>
[16.11.22, 19:53:30] Oma: Schönes Foto!
Zweite Zeile

"""

/// Writes a zip with ZIPFoundation (deflated members unless `stored`).
func makeZip(_ path: String, _ entries: [(String, [UInt8])], stored: Bool = false) throws {
    let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
    for (name, bytes) in entries {
        try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(bytes.count),
                             compressionMethod: stored ? .none : .deflate) { position, size in
            Data(bytes[Int(position)..<(Int(position) + size)])
        }
    }
}

@Suite struct ZipTests {
    let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0xFF, 0xD9]

    @Test func iosZipWithChatAndMediaReadsUnderscoreChatTxt() throws {
        let dir = TempDir()
        let zip = dir.path + "/WhatsApp Chat - Familie Weber.zip"
        try makeZip(zip, [("00000003-PHOTO-2022-11-16-19-52-00.jpg", jpeg),
                          ("_chat.txt", Array(iosChat.utf8)),
                          ("00000004-AUDIO-2022-11-16-19-53-00.opus", [0x4F, 0x67, 0x67, 0x53, 0x00, 0x02])])
        let (source, chat) = try readOnly(zip)
        #expect(source.displayPath == zip + "!/_chat.txt")
        #expect(source.location == .zipMember(zip: zip, member: "_chat.txt"))
        #expect(source.files == [SourceFile(path: zip, size: fileBytes(zip).count)])
        #expect(source.format == .whatsapp)
        #expect(chat.chat == "Familie Weber")
        #expect(chat.messages.count == 4)
        #expect(chat.messages.allSatisfy { $0.file == zip + "!/_chat.txt" && $0.chat == "Familie Weber" })
    }

    @Test func byteOffsetsAreOffsetsInTheInflatedMember() throws {
        let dir = TempDir()
        let zip = dir.path + "/WhatsApp Chat - Familie Weber.zip"
        try makeZip(zip, [("_chat.txt", Array(iosChat.utf8))])
        let (source, chat) = try readOnly(zip)
        let member = try ChatReader.withMappedBytes(source) { Array($0) }
        #expect(member == Array(iosChat.utf8))
        #expect(Array(try ChatReader.mappedData(source)) == member)
        let last = try #require(chat.messages.last)
        let slice = String(decoding: member[last.byteStart..<last.byteEnd], as: UTF8.self)
        #expect(slice.hasPrefix("[16.11.22, 19:53:30] Oma: Schönes Foto!"))
        #expect(slice.contains("Zweite Zeile"))
    }

    @Test func androidZipWithASingleTxtIsReadAndNamedAfterTheZip() throws {
        let dir = TempDir()
        let zip = dir.path + "/WhatsApp Chat with Max Mustermann.zip"
        let text = "16/11/2022, 19:51 - Max Mustermann: Hi\n16/11/2022, 19:52 - Eva: IMG-20221116-WA0001.jpg (file attached)\n"
        try makeZip(zip, [("WhatsApp Chat with Max Mustermann.txt", Array(text.utf8)),
                          ("IMG-20221116-WA0001.jpg", jpeg)], stored: true)
        let (source, chat) = try readOnly(zip)
        #expect(source.displayPath == zip + "!/WhatsApp Chat with Max Mustermann.txt")
        #expect(chat.chat == "Max Mustermann")
        #expect(chat.messages.count == 2)
        let (_, renamed) = try readOnly(zip, options: ParseOptions(chatName: "Akte 3"))
        #expect(renamed.chat == "Akte 3")
    }

    @Test func zipWithoutAChatIsOneClearErrorAndOtherFilesAreStillRead() throws {
        let dir = TempDir()
        let zip = dir.path + "/a_photos.zip"
        try makeZip(zip, [("IMG-1.jpg", jpeg), ("IMG-2.jpg", jpeg)])
        let good = dir.copy(Samples.e2ee, to: "b_thread.json")
        let (sources, issues) = InputCollector.collect(paths: [dir.path], options: ParseOptions())
        #expect(sources.map(\.displayPath) == [good])
        #expect(issues.count == 1)
        #expect(issues.first?.file == zip)
        #expect(issues.first?.severity == .error)
        #expect(issues.first?.reason == "zip holds no chat: no _chat.txt and no .txt file inside")
    }

    @Test func zipWithSeveralTxtFilesAndNoUnderscoreChatIsAnError() throws {
        let dir = TempDir()
        let zip = dir.path + "/two.zip"
        try makeZip(zip, [("a.txt", Array("x\n".utf8)), ("b.txt", Array("y\n".utf8))])
        let (sources, issues) = InputCollector.collect(paths: [zip], options: ParseOptions())
        #expect(sources.isEmpty)
        #expect(issues.first?.reason.contains("2 .txt files") == true)
    }

    @Test func zippedMessengerExportSaysToUnzipIt() throws {
        let dir = TempDir()
        let zip = dir.path + "/facebook-export.zip"
        try makeZip(zip, [("messages/inbox/x_1/message_1.json", fileBytes(Samples.e2ee))])
        let (_, issues) = InputCollector.collect(paths: [zip], options: ParseOptions())
        #expect(issues.first?.reason.contains("unzip it") == true)
    }

    @Test func corruptZipIsAnErrorNamingTheFile() throws {
        let dir = TempDir()
        let path = dir.write("broken.zip", [0x50, 0x4B, 0x03, 0x04] + Array(repeating: 0x41, count: 40))
        let (sources, issues) = InputCollector.collect(paths: [path], options: ParseOptions())
        #expect(sources.isEmpty)
        #expect(issues.first?.file == path)
        #expect(issues.first?.reason.contains("not a readable zip archive") == true)
    }

    @Test func everyUnderscoreChatOfABundledArchiveIsReadAsAChatOfItsOwn() throws {
        let dir = TempDir()
        let zip = dir.path + "/bundle.zip"
        let other = "[01.02.20, 10:00:00] Zed: hallo\n[13.02.20, 10:01:00] Bob: ok\n"
        try makeZip(zip, [("ChatB/_chat.txt", Array(other.utf8)), ("ChatA/_chat.txt", Array(iosChat.utf8)), ("notes.txt", Array("x\n".utf8))])
        let (sources, issues) = InputCollector.collect(paths: [zip], options: ParseOptions())
        #expect(issues.isEmpty)
        #expect(sources.map(\.displayPath) == [zip + "!/ChatA/_chat.txt", zip + "!/ChatB/_chat.txt"])
        let chats = try sources.map { try ChatReader.read($0, options: ParseOptions()) }
        #expect(chats.map(\.chat) == ["ChatA", "ChatB"])
        #expect(chats.map(\.messages.count) == [4, 2])
    }

    @Test func memberWhoseContentDoesNotMatchItsCRC32IsAnErrorNamingIt() throws {
        let dir = TempDir()
        for stored in [false, true] {
            let zip = dir.path + "/WhatsApp Chat - CRC\(stored ? "-stored" : "").zip"
            try makeZip(zip, [("_chat.txt", Array(iosChat.utf8))], stored: stored)
            // Change the recorded CRC-32 (local header and central directory) so that the content no longer matches it.
            var bytes = fileBytes(zip)
            let crc: [UInt8] = withUnsafeBytes(of: Data(iosChat.utf8).crc32(checksum: 0).littleEndian) { Array($0) }
            var found = 0
            for i in 0..<(bytes.count - 3) where Array(bytes[i..<(i + 4)]) == crc { bytes[i] ^= 1; found += 1 }
            #expect(found == 2)
            try Data(bytes).write(to: URL(fileURLWithPath: zip))
            let (sources, _) = InputCollector.collect(paths: [zip], options: ParseOptions())
            let source = try #require(sources.first)
            #expect(throws: InputError.self) { try ChatReader.read(source, options: ParseOptions()) }
            do { _ = try ChatReader.read(source, options: ParseOptions()) } catch let e as InputError {
                #expect(e.file == zip + "!/_chat.txt")
                #expect(e.reason.hasPrefix("zip member damaged: CRC-32 of its content is"))
            }
        }
    }

    @Test func zipMemberCanBeReadAsLines() throws {
        let dir = TempDir()
        let zip = dir.path + "/terms.zip"
        try makeZip(zip, [("terms.txt", Array("eins\nzwei\n".utf8))])
        let (source, chat) = try readOnly(zip, options: ParseOptions(format: .lines))
        #expect(source.format == .lines)
        #expect(chat.messages.map(\.text) == ["eins", "zwei"])
        #expect(chat.messages.first?.file == zip + "!/terms.txt")
    }
}
