import ChatModel
@testable import ChatParsers
import Foundation
import TestScratch
import Testing

@Suite struct ParseCommandTests {
    /// Runs the library side of `chatsieve parse` and collects stdout messages and stderr lines.
    func run(_ paths: [String], options: ParseOptions = ParseOptions()) throws -> (lines: [String], stderr: [String], result: ParseRunResult) {
        let encoder = ChatReader.messageEncoder()
        var out: [String] = []
        var err: [String] = []
        let result = try ChatReader.parseAll(paths: paths, options: options,
                                             emit: { out.append(String(decoding: try encoder.encode($0), as: UTF8.self)) },
                                             report: { err.append($0) })
        return (out, err, result)
    }

    @Test func everyMessageIsOneJSONLineWithSortedSnakeCaseKeys() throws {
        let (lines, _, result) = try run([Samples.telegramSingle])
        #expect(lines.count == 10)
        #expect(!result.failed)
        let first = lines[1]
        #expect(first.hasPrefix(#"{"byte_end":"#))
        #expect(first.contains(#""message_index":1"#))
        #expect(first.contains(#""timestamp":"2020-11-12T12:54:10Z""#))
        #expect(lines[2].contains("https://telegram.org/"))   // slashes not escaped
        let keys = try (JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any]).map { Array($0.keys).sorted() }
        #expect(keys == ["byte_end", "byte_start", "chat", "file", "format", "kind", "line", "line_end", "message_index",
                         "sender", "text", "timestamp", "warnings"])
        let decoded = try JSONDecoder().decode(Message.self, from: Data(first.utf8))
        #expect(decoded.text == "Hallo zusammen! 👋")
        #expect(decoded.format == .telegram)
    }

    @Test func issuesAndSummariesGoToStderrAndAFailedFileDoesNotStopTheOthers() throws {
        let dir = TempDir()
        let bad = dir.write("a_bad/result.json", Array(fileBytes(Samples.telegramSingle).prefix(300)))
        dir.copy(Samples.e2ee, to: "b_good/thread.json")
        dir.write("c_notes/readme.md", "hello\n")
        let (lines, err, result) = try run([dir.path])
        #expect(lines.count == 4)                 // the good file is printed in full
        #expect(result.failed)
        #expect(result.failedSources == 1)
        #expect(result.skipped == 1)
        #expect(err.contains { $0.hasPrefix(bad + ":") && $0.contains(": error: invalid JSON: ") })
        #expect(err.contains { $0.hasPrefix(dir.path + "/c_notes/readme.md: warning: skipped: not a chat export") })
        #expect(err.contains("summary: \(dir.path)/b_good/thread.json (messenger-e2ee): 4 messages, 54 lines, 0 unparsed lines, 0 errors, 0 warnings"))
        #expect(err.last == "total: 2 sources, 1 skipped files, 1 failed sources: 4 messages, 54 lines, 0 unparsed lines, 1 errors, 0 warnings")
    }

    @Test func builtBinaryPrintsJSONLinesAndExitsOneWhenAFileFailed() throws {
        let dir = TempDir()
        let bad = dir.write("broken.json", "{\"messages\": [{\"senderName\": \"A\", \"text\": \"x")
        func exec(_ args: [String]) throws -> (Int32, String, String) { try BuiltBinary.run(args) }
        let (okStatus, okOut, okErr) = try exec(["parse", Samples.linesCRLF, "--format", "lines"])
        #expect(okStatus == 0)
        #expect(okOut.split(separator: "\n").count == 5)
        #expect(okErr.contains("total: 1 sources"))
        let (status, out, err) = try exec(["parse", bad, Samples.e2ee, "--chat", "Fall 9"])
        #expect(status == 1)
        #expect(out.split(separator: "\n").count == 4)
        #expect(out.contains(#""chat":"Fall 9""#))
        #expect(err.contains(bad + ":1: error: invalid JSON: "))
        let (badFormat, _, formatErr) = try exec(["parse", Samples.e2ee, "--format", "signal"])
        #expect(badFormat != 0 && badFormat != 1)
        #expect(formatErr.contains("unknown format 'signal'"))
    }
}

@Suite struct MessageJSONLineTests {
    @Test func handWrittenLineIsByteForByteWhatJSONEncoderWrites() throws {
        let encoder = ChatReader.messageEncoder()
        var messages: [Message] = []
        for path in [Samples.telegramSingle, Samples.telegramAccount, Samples.e2ee, Samples.messengerThread, Samples.instagramThread] {
            messages += try readOnly(path).1.messages
        }
        messages += try readOnly(Samples.linesCRLF, options: ParseOptions(format: .lines)).1.messages
        var odd = messages[0]
        odd.text = "ctl \u{01}\u{1F}\u{7F} \u{08}\u{0C}\r\n\t \\ \" / \u{2028} \u{FEFF} 😀"
        odd.sender = nil; odd.line = nil; odd.warnings = ["a", "b\"c"]
        messages.append(odd)
        for m in messages {
            var line: [UInt8] = []
            MessageJSONLine.append(m, to: &line)
            let expected = Array(try encoder.encode(m)) + [0x0A]
            #expect(line == expected, "\(String(decoding: line, as: UTF8.self)) != \(String(decoding: expected, as: UTF8.self))")
        }
    }
}
