import ChatModel
@testable import ChatParsers
import Foundation
import TestScratch
import Testing

/// `chatsieve parse` follows the scan's policy for NUL bytes and invalid UTF-8 in a WhatsApp export: the message
/// holding the byte is left out and reported (file, line, byte offset); every other message is read, with the index
/// the scan gives it.
@Suite struct InvalidTextParseTests {
    func line(_ i: Int, _ text: String, bad: [UInt8] = []) -> [UInt8] {
        Array(String(format: "%02d/01/2020, %02d:%02d - U%d: ", 1 + i / 1440, i / 60 % 24, i % 60, i % 3).utf8) + bad + Array(text.utf8)
    }

    func read(_ lines: [[UInt8]], name: String = "chat.txt") throws -> (path: String, chat: ParsedChat) {
        let dir = TempDir()
        let path = dir.write(name, lines.flatMap { $0 + [0x0A] })
        let source = try #require(InputCollector.collect(paths: [path], options: ParseOptions(format: .whatsapp)).sources.first)
        return (path, try ChatReader.read(source, options: ParseOptions(dateOrder: .dmy)))
    }

    @Test("a bad byte in a WhatsApp export costs only its message, reported with file, line and offset")
    func onlyTheMessageWithTheBadByteIsLeftOut() throws {
        // A NUL byte in the first 64 KiB makes the file binary data to format detection (scan and parse alike):
        // this one is further on.
        var lines = (0..<2000).map { line($0, "ordinary words \($0)") }
        lines[1] = line(1, "bad one", bad: [0xFF])
        lines[1900] = line(1900, "plain", bad: [0x00])
        lines.insert(Array("  continued ".utf8) + [0xC3, 0x28], at: 200)   // a continuation line of message 199
        let (path, chat) = try read(lines)
        #expect(chat.messages.count == 1997)
        #expect(Set(0..<2000).subtracting(chat.messages.map(\.messageIndex)) == [1, 199, 1900])
        #expect(chat.messages.first { $0.messageIndex == 200 }?.line == 202)
        #expect(chat.messages.allSatisfy { !$0.text.contains("\u{FFFD}") && !$0.text.contains("\u{0}") })
        #expect(chat.messages.last?.text == "ordinary words 1999")
        #expect(chat.totalLines == 2001 && chat.unparsedLines == 0)
        let errors = chat.issues.filter { $0.severity == .error }
        #expect(errors.map(\.line) == [2, 200, 1902])
        #expect(errors.allSatisfy { $0.file == path })
        #expect(errors[0].reason.hasPrefix("invalid UTF-8 (byte 0xFF) at byte offset \(lines[0].count + 1 + 24); this message was left out"), "\(errors[0])")
        let offset = lines[0..<200].reduce(0) { $0 + $1.count + 1 } + 12
        #expect(errors[1].reason.hasPrefix("invalid UTF-8 (byte 0xC3) at byte offset \(offset);"), "\(errors[1])")
        #expect(errors[2].reason.hasPrefix("binary data (NUL byte) at byte offset "))
    }

    @Test("a bad byte before the first header is reported as outside any message, and the line stays unparsed")
    func aBadByteOutsideEveryMessage() throws {
        let (_, chat) = try read([Array("preamble ".utf8) + [0xE9]] + (0..<3).map { line($0, "hi \($0)") })
        #expect(chat.messages.map(\.messageIndex) == [0, 1, 2])
        #expect(chat.unparsedLines == 1)
        #expect(chat.issues.map(\.severity) == [.unparsed, .error])
        #expect(chat.issues.last?.line == 1 && chat.issues.last?.reason.hasSuffix("outside any message (re-export the chat or convert it to UTF-8)") == true)
    }

    @Test("past twenty bad messages in a file one more issue counts the rest")
    func manyBadMessagesAreCountedAfterTheFirstTwenty() throws {
        let (_, chat) = try read((0..<60).map { line($0, "text", bad: [0xFF]) } + [line(60, "fine")])
        #expect(chat.messages.map(\.messageIndex) == [60])
        #expect(chat.issues.count == 21)
        #expect(chat.issues.last?.reason == "40 more messages or lines of this file hold NUL bytes or invalid UTF-8 and were left out")
        #expect(chat.issues.last?.line == 21)
    }

    @Test("parse counts the error, prints the other messages and fails the run")
    func parseAllReportsTheMessageAndPrintsTheRest() throws {
        let dir = TempDir()
        let path = dir.write("WhatsApp Chat with X.txt", [line(0, "one"), line(1, "two", bad: [0xC0, 0xAF]), line(2, "three")].flatMap { $0 + [0x0A] })
        var printed: [Message] = []
        var stderr: [String] = []
        let result = ChatReader.parseAll(paths: [path], options: ParseOptions(dateOrder: .dmy), emit: { printed.append($0) }, report: { stderr.append($0) })
        #expect(printed.map(\.text) == ["one", "three"])
        #expect(printed.map(\.messageIndex) == [0, 2])
        #expect(result.failed)
        #expect(stderr.contains { $0.hasPrefix("\(path):2: error: invalid UTF-8 (byte 0xC0) at byte offset ") })
        #expect(stderr.contains("summary: \(path) (whatsapp): 2 messages, 3 lines, 0 unparsed lines, 1 errors, 0 warnings"), "\(stderr)")
    }

    @Test("the built binary: parse prints the other messages and exits 1; explain --line on the left-out message says why")
    func builtBinaryParseAndExplain() throws {
        func exec(_ args: [String]) throws -> (status: Int32, out: String, err: String) { try BuiltBinary.run(args) }
        let dir = TempDir()
        let path = dir.write("chat.txt", [line(0, "one"), line(1, "two", bad: [0xE9]), Array(" more".utf8), line(2, "three")]
            .flatMap { $0 + [0x0A] })
        let r = try exec(["parse", path, "--date-order", "dmy"])
        #expect(r.status == 1)
        #expect(r.out.split(separator: "\n").count == 2 && r.out.contains(#""text":"three""#), "\(r.out)")
        #expect(r.err.contains("\(path):2: error: invalid UTF-8 (byte 0xE9) at byte offset "), "\(r.err)")
        let patterns = dir.write("p.pcre", "three\n")
        #expect(try exec(["explain", "--patterns", patterns, "--file", path, "--line", "4", "--date-order", "dmy"]).out.contains("P-1 FIRED"))
        let explain = try exec(["explain", "--patterns", patterns, "--file", path, "--line", "3", "--date-order", "dmy"])
        #expect(explain.status != 0)
        #expect(explain.err.contains("\(path):3: the message at this line was left out (error at line 2: invalid UTF-8"), "\(explain.err)")
    }
}
