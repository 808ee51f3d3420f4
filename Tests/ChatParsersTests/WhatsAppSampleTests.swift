import Foundation
import Testing
import ChatModel
import ChatParsers

/// Realistic sample exports under Samples/whatsapp, one test per sample and trap.
@Suite struct WhatsAppSampleTests {
    @Test func androidDayFirst24hExportParsesEveryKindWithExactOffsets() throws {
        let name = "WhatsApp Chat with Alice Example.txt"
        let (data, chat) = try WA.parseSample(name)
        let d1 = "2021-03-12T", d2 = "2021-03-13T"
        expectMessages(chat, data, [
            ExpectedMessage(nil, .system, d1 + "09:15:00", line: 1,
                            "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more."),
            ExpectedMessage(nil, .system, d1 + "09:16:00", line: 2, "Alice Example created group “Weekend plans: March”"),
            ExpectedMessage(nil, .system, d1 + "09:16:00", line: 3, "Alice Example added Bob Builder"),
            ExpectedMessage("Alice Example", .text, d1 + "09:17:00", line: 4, "Morning all! Plan for Saturday: hike, then lunch"),
            ExpectedMessage("Bob Builder", .text, d1 + "09:18:00", line: 5, lineEnd: 8,
                            "Sounds good.\nCan we start at 10?\n\nI need coffee first."),
            ExpectedMessage("Carol Dunn", .text, d1 + "09:20:00", line: 9, "I'm in 👍"),
            ExpectedMessage("Bob Builder", .media, d1 + "09:21:00", line: 10, "<Media omitted>"),
            ExpectedMessage("Alice Example", .deleted, d1 + "09:22:00", line: 11, "This message was deleted"),
            ExpectedMessage("You", .edited, d1 + "09:23:00", line: 12, "See you there <This message was edited>"),
            ExpectedMessage(nil, .system, d2 + "10:02:00", line: 13, "Alice Example changed the subject to “Hike: Saturday 10:00”"),
            ExpectedMessage("Bob Builder", .location, d2 + "10:05:00", line: 14, "location: https://maps.google.com/?q=50.94,6.95"),
            ExpectedMessage("Bob Builder", .call, d2 + "10:06:00", line: 15, "Missed voice call"),
            ExpectedMessage("Carol Dunn", .text, d2 + "10:07:00", line: 16, ""),
            ExpectedMessage("Bob Builder", .attachment, d2 + "10:08:00", line: 17, lineEnd: 18,
                            "IMG-20210313-WA0001.jpg (file attached)\nLook at this view"),
            ExpectedMessage("Alice Example", .text, d2 + "10:10:00", line: 19, "Time check: 10:10"),
        ])
        #expect(chat.chat == "Alice Example")
        #expect(chat.messages.allSatisfy { $0.chat == "Alice Example" && $0.file == name && $0.warnings.isEmpty })
        #expect(chat.issues.isEmpty)
        #expect(chat.totalLines == 19 && chat.unparsedLines == 0)
        // Byte offsets located independently in the file.
        let bob = chat.messages[4]
        #expect(bob.byteStart == (try WA.offset(of: "12/03/2021, 09:18 - Bob", in: data)).lowerBound)
        #expect(bob.byteEnd == (try WA.offset(of: "I need coffee first.", in: data)).upperBound)
        #expect(WA.text(data, bob.byteStart..<bob.byteEnd).hasPrefix("12/03/2021, 09:18 - Bob Builder: Sounds good.\n"))
        #expect(chat.messages.last?.byteEnd == data.count, "no final newline: the last message ends the file")
        #expect(chat.messages[0].byteStart == 0)
    }

    @Test func androidUS12hWithNarrowNoBreakSpaceAndCRLFParses() throws {
        let (data, chat) = try WA.parseSample("android_us_12h_nnbsp.txt")
        expectMessages(chat, data, [
            ExpectedMessage(nil, .system, "2020-01-17T20:49:00", line: 1,
                            "Messages and calls are end-to-end encrypted. Only people in this chat can read, listen to, or share them. Learn more."),
            ExpectedMessage("Dana Lee", .text, "2020-01-17T20:50:00", line: 2, "hey, you there?"),
            ExpectedMessage("Evan Park", .text, "2020-01-18T00:05:00", line: 3, "yes"),
            ExpectedMessage("Dana Lee", .text, "2020-01-18T12:30:00", line: 4, "lunch?"),
            ExpectedMessage("Evan Park", .text, "2020-01-18T13:55:00", line: 5, lineEnd: 6, "Sure: the usual place\r\nat 2"),
            ExpectedMessage("Dana Lee", .media, "2020-01-18T23:59:00", line: 7, "<Media omitted>"),
            ExpectedMessage("Evan Park", .call, "2020-01-19T07:02:00", line: 8, "Missed video call"),
        ])
        #expect(chat.totalLines == 8)
        #expect(chat.messages.last?.byteEnd == data.count - 2, "the final CRLF is not part of the message")
        #expect(chat.issues.isEmpty)
    }

    @Test func germanIOSExportWithFEFFInsideBracketAndPseudoSenderNotices() throws {
        let chatName = WhatsAppParser.chatName(fromFileName: "WhatsApp Chat - Familie.zip")
        let (data, chat) = try WA.parseSample("_chat_ios_german.txt", options: ParseOptions(chatName: chatName))
        let lrm = "\u{200E}"
        expectMessages(chat, data, [
            ExpectedMessage(nil, .system, "2018-01-29T12:24:03", line: 1,
                            "Familie: \(lrm)Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb dieses Chats kann sie lesen oder anhören, nicht einmal WhatsApp."),
            ExpectedMessage(nil, .system, "2018-01-29T12:24:03", line: 2, "Familie: \(lrm)Anna hat die Gruppe „Familie“ erstellt."),
            ExpectedMessage("Anna", .text, "2018-01-29T12:25:10", line: 3, "Hallo zusammen!"),
            ExpectedMessage("Ben", .media, "2018-01-29T12:26:44", line: 4, "\(lrm)Bild weggelassen"),
            ExpectedMessage("Du", .text, "2018-01-29T12:27:01", line: 5, lineEnd: 7,
                            "Schön, dass ihr da seid.\nZitat aus dem alten Chat:\n[1.2.2019, 00:00:00] Jemand: das ist eingefügt"),
            ExpectedMessage("Anna", .deleted, "2018-01-30T08:00:00", line: 8, "Diese Nachricht wurde gelöscht."),
            ExpectedMessage("Ben", .attachment, "2018-01-30T08:01:00", line: 9, "\(lrm)<Anhang: 00000012-PHOTO-2018-01-30-08-01-00.jpg>"),
            ExpectedMessage(nil, .system, "2018-01-30T08:02:00", line: 10,
                            "Familie: \(lrm)Anna hat den Gruppennamen zu „Oma: 80 Jahre“ geändert."),
            ExpectedMessage("Ben", .location, "2018-01-30T08:03:00", line: 11, "Standort: https://maps.google.com/?q=52.52,13.40"),
            ExpectedMessage("Anna", .edited, "2018-01-31T21:00:00", line: 12, "Gute Nacht 🌙 <Diese Nachricht wurde bearbeitet>"),
        ])
        #expect(chat.chat == "Familie")
        #expect(chat.messages[0].byteStart == 3, "the file-start BOM is not part of the first message")
        let fourth = try WA.offset(of: "\u{FEFF}\u{FEFF}[29.01.18, 12:26:44]", in: data)
        #expect(chat.messages[3].byteStart == fourth.lowerBound, "invisible marks before the bracket belong to the header")
        #expect(chat.messages[4].warnings == ["header-format-mismatch"])
        #expect(chat.issues.map(\.severity) == [.warning] && chat.issues.first?.line == 5)
        #expect(chat.totalLines == 12)
    }

    @Test func spanishPMWithNoBreakSpaceReadsTwelveHourClock() throws {
        let (data, chat) = try WA.parseSample("spanish_pm_nbsp.txt")
        expectMessages(chat, data, [
            ExpectedMessage("Lucía Gómez", .text, "2022-10-09T22:37:00", line: 1, "¿Dónde estás?"),
            ExpectedMessage("Mateo Ruiz", .text, "2022-10-09T22:38:00", line: 2, "En casa"),
            ExpectedMessage("Lucía Gómez", .text, "2022-10-10T00:15:00", line: 3, "¿Sigues despierto?"),
            ExpectedMessage("Mateo Ruiz", .text, "2022-10-10T00:08:00", line: 4, "sí"),
            ExpectedMessage("Lucía Gómez", .attachment, "2022-10-13T13:05:00", line: 5, "IMG-20221013-WA0003.jpg (archivo adjunto)"),
            ExpectedMessage("Mateo Ruiz", .text, "2022-10-13T13:37:00", line: 6, "hora rara"),
            ExpectedMessage("Lucía Gómez", .deleted, "2022-10-13T21:30:00", line: 7, "Se eliminó este mensaje."),
        ])
    }

    @Test func linesOfAnotherTemplateOrInvalidDateStayContinuationsWithWarning() throws {
        let (data, chat) = try WA.parseSample("mixed_template_traps.txt")
        expectMessages(chat, data, [
            ExpectedMessage("John Doe", .text, "2018-01-04T11:53:57", line: 1, lineEnd: 5,
                            "Here is what I found in the old export:\n[1.2.2019, 00:00:00] John Doe: pasted from another chat\n2016-04-29 10:30:00\n2/11/19: Arrival\n2/11/19, 14:48 Alice Placeholder: also pasted"),
            ExpectedMessage("Jane Roe", .text, "2018-01-04T11:55:02", line: 6, lineEnd: 7,
                            "ok\n[31.02.18, 10:00:00] Jane Roe: invalid date, so a continuation"),
            ExpectedMessage("John Doe", .text, "2018-01-05T09:00:00", line: 8, "The final test: Does it work with colons?: Hallelujah!"),
            ExpectedMessage("Jane Roe", .text, "2018-01-17T09:01:00", line: 9, "13.01.18 was a Saturday"),
        ])
        #expect(chat.messages.map(\.warnings) == [["header-format-mismatch"], ["header-format-mismatch"], [], []])
        #expect(chat.issues.map(\.line) == [1, 6])
        #expect(chat.issues.allSatisfy { $0.severity == .warning && $0.reason.hasPrefix("header-format-mismatch") })
    }

    @Test func linesBeforeTheFirstHeaderAreReportedUnparsedWithTheirLineNumbers() throws {
        let (data, chat) = try WA.parseSample("preamble_then_chat.txt")
        expectMessages(chat, data, [
            ExpectedMessage(nil, .system, "2016-04-15T15:04:00", line: 4,
                            "Pokemon Chat: Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more."),
            ExpectedMessage("Ash", .text, "2016-04-15T15:05:00", line: 5, "Gotta catch them all"),
            ExpectedMessage("Misty", .text, "2016-04-16T08:00:00", line: 6, "Morning"),
        ])
        let unparsed = chat.issues.filter { $0.severity == .unparsed }
        #expect(unparsed.map(\.line) == [1, 2, 3])
        #expect(unparsed.allSatisfy { $0.file == "preamble_then_chat.txt" })
        #expect(chat.unparsedLines == 3 && chat.totalLines == 6)
    }

    @Test func ambiguousDateOrderWarnsOnceAndReadsDayFirst() throws {
        let (data, chat) = try WA.parseSample("ambiguous_dates.txt")
        expectMessages(chat, data, [
            ExpectedMessage("Ann", .text, "2018-06-03T13:55:00", line: 1, "first"),
            ExpectedMessage("Bo", .text, "2018-06-03T13:56:00", line: 2, "second"),
            ExpectedMessage("Ann", .text, "2018-06-03T14:10:00", line: 3, "third"),
        ])
        let warnings = chat.issues.filter { $0.reason.hasPrefix("ambiguous-date-order") }
        #expect(warnings.count == 1 && warnings[0].severity == .warning && warnings[0].line == nil)
        #expect(chat.messages.allSatisfy { $0.warnings == ["ambiguous-date-order"] })
    }

    @Test func dateOrderOptionOverridesInferenceAndSilencesTheWarning() throws {
        let (_, chat) = try WA.parseSample("ambiguous_dates.txt", options: ParseOptions(dateOrder: .mdy))
        #expect(chat.messages.map(\.timestamp) == ["2018-03-06T13:55:00", "2018-03-06T13:56:00", "2018-03-06T14:10:00"])
        #expect(chat.issues.isEmpty)
        #expect(chat.messages.allSatisfy { $0.warnings.isEmpty })
    }

    @Test func carriageReturnOnlyLineEndingsAndYearFirstDotAfterTime() throws {
        let (data, chat) = try WA.parseSample("cr_only_year_first.txt")
        expectMessages(chat, data, [
            ExpectedMessage("Kim", .text, "2022-12-14T13:34:00", line: 1, "old Mac line endings"),
            ExpectedMessage("Lee", .text, "2022-12-14T13:35:00", line: 2, lineEnd: 3, "second line\rcontinued"),
            ExpectedMessage("Kim", .text, "2022-12-15T08:00:00", line: 4, "next day"),
        ])
        #expect(chat.totalLines == 4)
    }

    @Test func invalidUTF8ThrowsNamingFileAndFirstBadLine() throws {
        let data = try WA.sample("invalid_utf8.txt")
        do {
            _ = try WA.parse(data, file: "invalid_utf8.txt")
            Issue.record("expected an InputError")
        } catch let error as InputError {
            #expect(error.file == "invalid_utf8.txt")
            #expect(error.line == 3)
            #expect(error.reason.hasPrefix("invalid UTF-8"))
        }
    }

    @Test func binaryDataWithNULBytesThrows() throws {
        var data = Data("01/01/19, 11:25 - John Doe: fine\n".utf8)
        data.append(contentsOf: [0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x0A])
        #expect(throws: InputError.self) { try WA.parse(data) }
        do { _ = try WA.parse(data, file: "x.txt") } catch let e as InputError {
            #expect(e.line == 2 && e.reason.contains("NUL"))
        }
    }

    @Test func everyLineIsInExactlyOneMessageOrReportedUnparsed() throws {
        for name in WA.sampleNames {
            let (_, chat) = try WA.parseSample(name)
            var covered: [Int] = []
            for m in chat.messages { covered += Array(try #require(m.line)...(try #require(m.lineEnd))) }
            covered += chat.issues.filter { $0.severity == .unparsed }.compactMap(\.line)
            #expect(covered.sorted() == Array(1...chat.totalLines), "\(name)")
        }
    }
}
