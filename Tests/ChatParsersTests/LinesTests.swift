import ChatModel
@testable import ChatParsers
import Foundation
import Testing

@Suite struct LinesTests {
    @Test func crlfFileWithoutFinalNewlineGivesOneMessagePerLine() throws {
        let (source, chat) = try readOnly(Samples.linesCRLF, options: ParseOptions(format: .lines))
        #expect(source.format == .lines)
        #expect(chat.messages.map(\.text) == ["first line", "zweite Zeile äöü", "", "  indented\tTab", "last 🚩 line"])
        #expect(chat.messages.map(\.line) == [1, 2, 3, 4, 5])
        #expect(chat.messages.map(\.lineEnd) == [1, 2, 3, 4, 5])
        #expect(chat.totalLines == 5)
        #expect(chat.unparsedLines == 0)
        #expect(chat.messages.allSatisfy { $0.sender == nil && $0.chat == nil && $0.kind == .text && $0.timestamp == nil })
    }

    @Test func lineTextIsVerbatimFileBytesWithoutTheTerminator() throws {
        let (_, chat) = try readOnly(Samples.linesCRLF, options: ParseOptions(format: .lines))
        let bytes = fileBytes(Samples.linesCRLF)
        for m in chat.messages {
            #expect(m.textOrigin == .verbatim(m.byteStart))
            #expect(Array(bytes[m.byteStart..<m.byteEnd]) == Array(m.text.utf8))
            #expect(m.byteEnd == bytes.count || bytes[m.byteEnd] == 0x0D)
        }
        #expect(fileSlice(of: "🚩", in: chat.messages[4], file: bytes) == "🚩")
    }

    @Test func loneCarriageReturnsLFAndALeadingBOMAreHandled() throws {
        let dir = TempDir()
        let path = dir.write("terms.txt", [0xEF, 0xBB, 0xBF] + Array("eins\rzwei\ndrei\n".utf8))
        let (_, chat) = try readOnly(path)   // named explicitly: plain text is read as lines
        #expect(chat.messages.map(\.text) == ["eins", "zwei", "drei"])
        #expect(chat.messages[0].byteStart == 3)
        #expect(chat.totalLines == 3)
    }

    @Test func explicitlyNamedTextFileIsLinesButInAFolderWalkItIsSkippedAndListed() throws {
        let dir = TempDir()
        let path = dir.write("notes/terms.txt", "alpha\nbeta\n")
        let (sources, issues) = InputCollector.collect(paths: [dir.path], options: ParseOptions())
        #expect(sources.isEmpty)
        #expect(issues == [ParseIssue(file: path, severity: .warning,
                                      reason: "skipped: not a chat export (plain text that is no known chat format; name the file or use --format lines to read it line by line)")])
        let forced = InputCollector.collect(paths: [dir.path], options: ParseOptions(format: .lines))
        #expect(forced.sources.map(\.format) == [.lines])
        let explicit = InputCollector.collect(paths: [path], options: ParseOptions())
        #expect(explicit.sources.map(\.format) == [.lines])
    }

    @Test func invalidUTF8InALinesFileIsOneErrorWithTheLineAndTheOtherLinesAreRead() throws {
        let dir = TempDir()
        let path = dir.write("bad.txt", Array("ok\nstill ok\nbro".utf8) + [0xC3, 0x28] + Array("ken\nlast\n".utf8))
        let (sources, _) = InputCollector.collect(paths: [path], options: ParseOptions(format: .lines))
        let source = try #require(sources.first)
        let chat = try ChatReader.read(source, options: ParseOptions())
        #expect(chat.messages.map(\.text) == ["ok", "still ok", "last"])
        #expect(chat.messages.map(\.messageIndex) == [0, 1, 3])
        #expect(chat.totalLines == 4)
        #expect(chat.issues.count == 1)
        #expect(chat.issues.first?.file == path && chat.issues.first?.line == 3 && chat.issues.first?.severity == .error)
        #expect(chat.issues.first?.reason.hasPrefix("invalid UTF-8 (byte 0xC3) at byte offset 15; this message was left out") == true)
    }

    @Test func mappedBytesOfALinesSourceAreTheFileBytes() throws {
        let (sources, _) = InputCollector.collect(paths: [Samples.linesCRLF], options: ParseOptions(format: .lines))
        let bytes = try ChatReader.withMappedBytes(sources[0]) { Array($0) }
        #expect(bytes == fileBytes(Samples.linesCRLF))
    }
}

@Suite struct LinesInvalidTextTests {
    @Test func namedTextFileWithAnInvalidByteIsOneErrorWithItsLine() throws {
        let dir = TempDir()
        let path = dir.write("latin1.txt", Array("Zeile eins\nZeile zwei\nK".utf8) + [0xF6] + Array("ln\n".utf8))
        let (sources, issues) = InputCollector.collect(paths: [path], options: ParseOptions())
        #expect(issues.isEmpty)
        let source = try #require(sources.first)
        let chat = try ChatReader.read(source, options: ParseOptions())
        #expect(chat.messages.map(\.line) == [1, 2])
        #expect(chat.issues.map(\.description) == ["\(path):3: error: invalid UTF-8 (byte 0xF6) at byte offset 23; this message was left out (re-export the chat or convert it to UTF-8)"])
        // in a folder walk, a non-chat file with bad bytes is skipped and listed
        let other = dir.write("sub/data.bin", [0x41, 0xF6, 0x42])
        let walked = InputCollector.collect(paths: [dir.path + "/sub"], options: ParseOptions())
        #expect(walked.issues == [ParseIssue(file: other, severity: .warning, reason: "skipped: not a chat export (not UTF-8 text (invalid byte at offset 1))")])
    }
}
