import ChatModel
import ChatParsers
import Foundation
import ScanEngine
import Testing

/// A NUL byte or invalid UTF-8 costs the one message that holds it (reported with its line and the byte's offset),
/// not the chunk around it: every other message is still located, counted and scanned, with its own index.
@Suite struct InvalidUTF8ScanTests {
    static let rules = try! PCRE2PatternRules(patterns: ["\\bslap\\b"], caseless: [true])

    func whatsapp(_ lines: [[UInt8]]) throws -> String {
        let bytes: [UInt8] = lines.flatMap { (l: [UInt8]) -> [UInt8] in l + [0x0A] }
        let path = try temporaryFile("", name: "chat.txt")
        try Data(bytes).write(to: URL(fileURLWithPath: path))   // the bytes as they are, invalid ones included
        return path
    }

    func line(_ i: Int, _ text: String, bad: [UInt8] = []) -> [UInt8] {
        Array(String(format: "%02d/01/2020, 10:%02d - U%d: ", 1 + i / 60, i % 60, i % 3).utf8) + bad + Array(text.utf8)
    }

    @Test func onlyTheMessageWithTheBadByteIsLeftUnscannedAndItIsReported() throws {
        var lines = (0..<300).map { line($0, $0 % 50 == 0 ? "I will slap you \($0)" : "ordinary words \($0)") }
        lines[1] = line(1, "slap too", bad: [0xFF])                  // invalid byte in a message with a hit
        lines[120] = line(120, "plain", bad: [0x00])                 // NUL byte
        lines.insert(Array("  continued ".utf8) + [0xC3, 0x28], at: 200)   // bad byte on a continuation line (message 199)
        let path = try whatsapp(lines)
        for (threads, chunk) in [(1, 1 << 20), (2, 700)] {
            let src = WhatsAppSpanSource(owner: try MappedFile(path: path), displayPath: "chat.txt", options: ParseOptions(),
                                         chatName: "c", chunkBytes: chunk)
            let (sink, report) = try scan(Self.rules, [src], threads: threads)
            #expect(report.totals.messages == 300)
            #expect(sink.items.map(\.message.messageIndex) == [0, 50, 100, 150, 200, 250])
            #expect(sink.items.map(\.message.line) == [1, 51, 101, 151, 202, 252])
            let errors = report.totals.issues.filter { $0.severity == .error }
            #expect(errors.map(\.line) == [2, 121, 200], "\(errors)")
            // Worded as parse words it: the byte's value, and once per part of the file what to do about it.
            #expect(errors[0].reason.hasPrefix("invalid UTF-8 (byte 0xFF) at byte offset ")
                    && errors[0].reason.hasSuffix("this message was not scanned" + UTF8Validation.encodingHint), "\(errors[0])")
            #expect(errors[2].reason.hasPrefix("invalid UTF-8 (byte 0xC3) at byte offset "), "\(errors[2])")
            #expect(errors[1].reason.contains("NUL"))
            let offset: Int = lines[0..<200].reduce(0) { (n: Int, l: [UInt8]) in n + l.count + 1 } + 12
            #expect(errors[2].reason.contains("at byte offset \(offset);"))
        }
    }

    @Test func linesFormatReportsEachBadLineAndScansTheRest() throws {
        let bad: [UInt8] = [0x73, 0x6C, 0x61, 0x70, 0x20, 0xE9, 0x0A]
        let bytes: [UInt8] = Array("slap one\n".utf8) + bad + Array("two slap\r\nthree\n".utf8)
        let path = try temporaryFile("", name: "lines.txt")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let src = MappedLinesSource(file: try MappedFile(path: path), displayPath: "lines.txt")
        let (sink, report) = try scan(Self.rules, [src], threads: 1)
        #expect(sink.items.map(\.message.line) == [1, 3])
        #expect(report.totals.issues.map(\.line) == [2])
        #expect(report.totals.issues.first?.reason.hasPrefix("invalid UTF-8") == true)
    }

    @Test func manyBadMessagesInOneChunkAreCountedAfterTheFirstTwenty() throws {
        let lines = (0..<60).map { line($0, "text", bad: [0xFF]) } + [line(60, "slap")]
        let src = WhatsAppSpanSource(owner: try MappedFile(path: try whatsapp(lines)), displayPath: "chat.txt",
                                     options: ParseOptions(), chatName: "c")
        let (sink, report) = try scan(Self.rules, [src], threads: 1)
        #expect(sink.items.map(\.message.messageIndex) == [60])
        #expect(report.totals.issues.count == 21)
        #expect(report.totals.issues.last?.reason.hasPrefix("40 more messages or lines") == true)
        #expect(report.totals.issues.last?.line == 21)
    }
}
