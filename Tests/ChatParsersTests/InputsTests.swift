import ChatModel
@testable import ChatParsers
import Foundation
import Testing

@Suite struct InputsTests {
    @Test func folderWalkIsRecursiveSortedAndListsUnrelatedFiles() throws {
        let dir = TempDir()
        dir.copy(Samples.telegramSingle, to: "b/telegram/result.json")
        dir.copy(Samples.e2ee, to: "a/e2ee.json")
        dir.copy(Samples.messengerThread + "/message_1.json", to: "c/messages/inbox/t_1/message_1.json")
        dir.write("c/messages/inbox/t_1/photos/1.jpg", [0xFF, 0xD8, 0x00, 0x01])
        dir.write("README.md", "# notes\nnothing to see\n")
        dir.write("a/package.json", "{\"name\": \"x\"}")
        dir.write("a/empty.log", "")
        let (sources, issues) = InputCollector.collect(paths: [dir.path], options: ParseOptions())
        #expect(sources.map(\.displayPath) == [dir.path + "/a/e2ee.json", dir.path + "/b/telegram/result.json",
                                               dir.path + "/c/messages/inbox/t_1"])
        #expect(issues.map(\.file) == [dir.path + "/README.md", dir.path + "/a/empty.log", dir.path + "/a/package.json",
                                       dir.path + "/c/messages/inbox/t_1/photos/1.jpg"])
        #expect(issues.allSatisfy { $0.severity == .warning && $0.reason.hasPrefix("skipped: not a chat export") })
        // deterministic
        let again = InputCollector.collect(paths: [dir.path], options: ParseOptions())
        #expect(again.sources == sources)
        #expect(again.issues == issues)
    }

    @Test func missingPathIsAnError() {
        let (sources, issues) = InputCollector.collect(paths: ["/nonexistent/chat.txt"], options: ParseOptions())
        #expect(sources.isEmpty)
        #expect(issues == [ParseIssue(file: "/nonexistent/chat.txt", severity: .error, reason: "no such file or folder")])
    }

    @Test func binaryFileNamedOnTheCommandLineOrWithAChatExtensionIsAnError() {
        let dir = TempDir()
        let photo = dir.write("photo.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10])
        let fake = dir.write("sub/chat.txt", [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00, 0x00])
        let explicit = InputCollector.collect(paths: [photo], options: ParseOptions())
        #expect(explicit.issues == [ParseIssue(file: photo, severity: .error, reason: "binary data (NUL byte at offset 4): not a chat export")])
        let walked = InputCollector.collect(paths: [dir.path], options: ParseOptions())
        #expect(walked.issues.map(\.file) == [photo, fake])
        #expect(walked.issues.map(\.severity) == [.warning, .error])
    }

    @Test func jsonForcedIntoAnotherFormatIsAnErrorNotMessagesWithoutText() throws {
        let options = ParseOptions(format: .telegram)
        let (sources, issues) = InputCollector.collect(paths: [Samples.messengerThread + "/message_2.json"], options: options)
        #expect(issues.isEmpty)
        let source = try #require(sources.first)
        do {
            _ = try ChatReader.read(source, options: options)
            Issue.record("a Messenger file read as Telegram gave messages")
        } catch let e as InputError {
            #expect(e.reason.hasPrefix("none of its "))
            #expect(e.reason.hasSuffix("it is not a telegram export (check --format)"))
        }
        // The right format still reads it.
        var right = source
        right.format = .messenger
        #expect(try !ChatReader.read(right, options: ParseOptions(format: .messenger)).messages.isEmpty)
    }

    @Test func namedPipesAreNotReadSoAScanNeverWaitsForAWriter() {
        let dir = TempDir()
        let pipe = dir.path + "/chat.txt"
        #expect(mkfifo(pipe, 0o600) == 0)
        #expect(InputCollector.collect(paths: [pipe], options: ParseOptions()).issues
                == [ParseIssue(file: pipe, severity: .error, reason: "not a regular file (a named pipe)")])
        #expect(InputCollector.collect(paths: [dir.path], options: ParseOptions()).issues
                == [ParseIssue(file: pipe, severity: .warning, reason: "skipped: not a regular file (a named pipe)")])
    }

    @Test func utf16ExportIsNamedAsSuchWithHowToConvertIt() {
        let dir = TempDir()
        let text = "01/02/2020, 10:00 - A: hello\n"
        let le = dir.write("le.txt", [0xFF, 0xFE] + Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        let be = dir.write("be.txt", [0xFE, 0xFF] + Array(text.utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
        let issues = InputCollector.collect(paths: [le, be], options: ParseOptions()).issues
        #expect(issues.map(\.severity) == [.error, .error])
        #expect(issues[0].reason == "UTF-16LE text (byte-order mark FF FE; exports are read as UTF-8: convert it first, e.g. iconv -f UTF-16 -t UTF-8): not a chat export")
        #expect(issues[1].reason.hasPrefix("UTF-16BE text (byte-order mark FE FF;"))
        #expect(issues.allSatisfy { $0.reason.contains("iconv -f UTF-16 -t UTF-8") })
    }

    @Test func truncatedJSONIsOneErrorNamingFileLineAndReason() throws {
        let dir = TempDir()
        let full = fileBytes(Samples.telegramSingle)
        let path = dir.write("result.json", Array(full.prefix(full.count / 2)))
        let (sources, issues) = InputCollector.collect(paths: [path], options: ParseOptions())
        #expect(issues.isEmpty)
        let source = try #require(sources.first)
        #expect(source.format == .telegram)
        do {
            _ = try ChatReader.read(source, options: ParseOptions())
            Issue.record("truncated JSON was read without an error")
        } catch let e as InputError {
            #expect(e.file == path)
            #expect(e.reason.hasPrefix("invalid JSON: "))
            #expect(e.reason.contains("truncated"))
            #expect(e.line != nil)
        }
    }

    @Test func invalidUTF8InJSONIsAnErrorWithTheLine() throws {
        let dir = TempDir()
        var bytes = fileBytes(Samples.e2ee)
        let at = try #require(indexOf("Grüße", in: bytes))
        bytes[at + 2] = 0xFF   // first byte of ü
        let path = dir.write("thread.json", bytes)
        let source = try #require(InputCollector.collect(paths: [path], options: ParseOptions()).sources.first)
        do {
            _ = try ChatReader.read(source, options: ParseOptions())
            Issue.record("invalid UTF-8 was read without an error")
        } catch let e as InputError {
            #expect(e.file == path)
            #expect(e.line == lineOf(at, in: bytes))
            #expect(e.reason.contains("invalid UTF-8"))
        }
    }

    @Test func inputsAreReadOnlyAndUnchanged() throws {
        let dir = TempDir()
        let path = dir.copy(Samples.telegramSingle, to: "result.json")
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        let before = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
        let (_, chat) = try readOnly(path)
        #expect(chat.messages.count == 10)
        #expect(fileBytes(path) == fileBytes(Samples.telegramSingle))
        let after = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
        #expect(before == after)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
    }

    @Test func sourcesListTheirFilesWithSizes() throws {
        let (sources, _) = InputCollector.collect(paths: [Samples.telegramSingle, Samples.messengerThread], options: ParseOptions())
        #expect(sources.count == 2)
        #expect(sources[0].files == [SourceFile(path: Samples.telegramSingle, size: fileBytes(Samples.telegramSingle).count)])
        #expect(sources[1].files.count == 2)
        #expect(sources[1].totalSize == sources[1].files.reduce(0) { $0 + fileBytes($1.path).count })
        #expect(!sources[1].isSingleText)
        #expect(throws: InputError.self) { try ChatReader.withMappedBytes(sources[1]) { $0.count } }
    }
}

@Suite struct InputsDuplicateTests {
    @Test func fileGivenTwiceIsReadOnceAndTheRepeatIsListed() {
        let (sources, issues) = InputCollector.collect(paths: [Samples.e2ee, Samples.path("messenger/e2ee")], options: ParseOptions())
        #expect(sources.map(\.displayPath) == [Samples.e2ee])
        #expect(issues.map(\.reason) == ["skipped: already read (given more than once)"])
    }
}

@Suite struct InputsJSONSyntaxTests {
    @Test func syntaxErrorInsideAMessageNamesTheLineOfTheBadByte() throws {
        let dir = TempDir()
        let path = dir.write("message_1.json", "{\"messages\": [\n  {\"sender_name\": \"A\", \"timestamp_ms\": 1, \"content\": \"ok\"},\n  {\"sender_name\": \"B\",\n   \"timestamp_ms\": 2, \"content\": \"tab\there\"}\n], \"title\": \"T\"}")
        let source = try #require(InputCollector.collect(paths: [path], options: ParseOptions()).sources.first)
        do {
            _ = try ChatReader.read(source, options: ParseOptions())
            Issue.record("a raw tab inside a string was accepted")
        } catch let e as InputError {
            #expect(e.file == path)
            #expect(e.line == 4)
            #expect(e.reason.hasPrefix("invalid JSON: "))
        }
    }

    @Test func missingCommaBetweenMessagesIsFoundByTheScanner() throws {
        let dir = TempDir()
        let path = dir.write("result.json", "{\"name\": \"N\", \"messages\": [\n{\"id\": 1, \"type\": \"message\", \"date\": \"2020-01-01T00:00:00\", \"text\": \"a\"}\n{\"id\": 2}\n]}")
        let source = try #require(InputCollector.collect(paths: [path], options: ParseOptions()).sources.first)
        #expect(source.format == .telegram)
        do {
            _ = try ChatReader.read(source, options: ParseOptions())
            Issue.record("a missing comma was accepted")
        } catch let e as InputError {
            #expect(e.description == "\(path):3: invalid JSON: expected ',' or ']' in an array")
        }
    }
}
