import Foundation
import Testing
import ChatModel
import ChatParsers

/// Message kinds from the system-message and placeholder catalogue (chat-export-formats.md 1.9), and sender traps.
@Suite struct WhatsAppKindTests {
    /// A body sent by a user, the kind it must get, and whether the sender must be kept.
    struct BodyCase: CustomTestStringConvertible, Sendable {
        var body: String
        var kind: MessageKind
        var testDescription: String { "\(kind.rawValue): \(body)" }
        init(_ body: String, _ kind: MessageKind) { self.body = body; self.kind = kind }
    }

    static let lrm = "\u{200E}"
    static let bodies: [BodyCase] = [
        BodyCase("<Media omitted>", .media), BodyCase("<Medien ausgeschlossen>", .media),
        BodyCase("<Video note omitted>", .media), BodyCase("\(lrm)image omitted", .media),
        BodyCase("\(lrm)Bild weggelassen", .media), BodyCase("\(lrm)sticker omitted", .media),
        BodyCase("\(lrm)Rota March.pdf • 3 pages \(lrm)document omitted", .media),
        BodyCase("IMG-20210428-WA0001.jpg (file attached)", .attachment),
        BodyCase("\(lrm)4f26a0c1.jpg (Datei angehängt)", .attachment),
        BodyCase("<attached: 00000012-PHOTO-2020-06-07-15-13-20.jpg>", .attachment),
        BodyCase("< attached: 00000013-PHOTO-2020-06-07-15-14-00.jpg >", .attachment),
        BodyCase("\(lrm)\(lrm)<attached: \(lrm)PTT-20180129-WA0025.opus>", .attachment),
        BodyCase("2015-08-04-PHOTO-00004762.jpg <\(lrm)attached>", .attachment),
        BodyCase("This message was deleted", .deleted), BodyCase("\(lrm)You deleted this message.", .deleted),
        BodyCase("Message deleted", .deleted), BodyCase("Du hast diese Nachricht gelöscht.", .deleted),
        BodyCase("ok see you <This message was edited>", .edited),
        BodyCase("vale <Este mensaje fue editado>", .edited),
        BodyCase("bis morgen <Diese Nachricht wurde bearbeitet>", .edited),
        BodyCase("Missed voice call", .call), BodyCase("Missed video call", .call),
        BodyCase("Voice call. 12 min", .call), BodyCase("Video call. No answer", .call),
        BodyCase("Verpasster Sprachanruf. Zum Zurückrufen tippen", .call), BodyCase("Sprachanruf. 3 Min.", .call),
        BodyCase("location: https://maps.google.com/?q=50.94,6.95", .location),
        BodyCase("Location: https://maps.google.com/?q=51.5,-0.12", .location),
        BodyCase("Standort: https://maps.google.com/?q=52.52,13.40", .location),
        BodyCase("live location shared", .location), BodyCase("POLL:", .poll),
        // Look-alikes typed by people stay text.
        BodyCase("I deleted this message from my phone", .text), BodyCase("Voice call later?", .text),
        BodyCase("You added salt? it tastes odd", .text), BodyCase("location: the pub on High St", .text),
        BodyCase("I left early, sorry", .text), BodyCase("<3", .text), BodyCase("image omitted from the report", .text),
    ]

    @Test(arguments: bodies)
    func userBodyGetsItsCatalogueKind(_ c: BodyCase) throws {
        let chat = try WA.parse(lines: ["13/01/19, 11:24 - Ann: hi", "13/01/19, 11:25 - Bob Smith: \(c.body)"])
        let m = try #require(chat.messages.last)
        #expect(m.kind == c.kind)
        #expect(m.sender == "Bob Smith")
        #expect(m.text == c.body, "the text keeps the raw body, invisible marks and markers included")
    }

    @Test(arguments: [
        ("You created group “Night shift: B”", MessageKind.system),
        ("Anna left", .system),
        ("Anna changed the subject from “Old” to “New: 2”", .system),
        ("Anna hat Ben hinzugefügt.", .system),
        ("Du hast den Gruppennamen von \"A: 1\" zu \"B\" geändert.", .system),
        ("\u{200E}You were added", .system),
        ("+44 7700 900123 changed to +44 7700 900456", .system),
        ("Bob started a video call", .call),
        // Quotes the sender check must see: guillemets (C2 AB / C2 BB), a low quote (E2 80 9E), after a non-ASCII name.
        ("Björn changed the subject to «Team: Nord»", .system),
        ("Zoë hat den Gruppennamen zu „Schicht: B“ geändert.", .system),
    ])
    func authorlessAndQuotedNoticesAreSystemWithoutSender(_ notice: String, _ kind: MessageKind) throws {
        let chat = try WA.parse(lines: ["13/01/19, 11:24 - Ann: hi", "13/01/19, 11:25 - \(notice)"])
        let m = try #require(chat.messages.last)
        #expect(m.kind == kind && m.sender == nil)
        #expect(m.text == notice)
    }

    @Test func nonASCIISenderWithAColonInTheBodyKeepsTheFirstColonAsTheSplit() throws {
        // Non-ASCII letters (and emoji) in a name are not quotes: the name is the sender, the rest is the text.
        let chat = try WA.parse(lines: ["13/01/19, 11:24 - Zoë Clarke: time: 10:00", "13/01/19, 11:25 - Kev 🍺: «quoted»: yes",
                                        "13/01/19, 11:26 - José García: added you: to the list"])
        #expect(chat.messages.map(\.sender) == ["Zoë Clarke", "Kev 🍺", "José García"])
        #expect(chat.messages.map(\.text) == ["time: 10:00", "«quoted»: yes", "added you: to the list"])
        #expect(chat.messages.map(\.kind) == [.text, .text, .text])
    }

    @Test func iOSNoticeAttributedToTheChatIsSystemButLookAlikeFromAPersonIsText() throws {
        let lines = ["[13.01.19, 11:24:00] Night shift: \u{200E}Anna added Bob",
                     "[13.01.19, 11:25:00] Anna: \u{200E}I added the photos to the folder",
                     "[13.01.19, 11:26:00] Night shift: \u{200E}Bob changed this group's icon",
                     "[13.01.19, 11:27:00] Night shift: \u{200E}Messages and calls are end-to-end encrypted."]
        let chat = try WA.parse(lines: lines, options: ParseOptions(chatName: "Night shift"))
        #expect(chat.messages.map(\.kind) == [.system, .text, .system, .system])
        #expect(chat.messages.map(\.sender) == [nil, "Anna", nil, nil])
        #expect(chat.messages[0].text == "Night shift: \u{200E}Anna added Bob")
    }

    @Test(arguments: ["John-John Doe", "John Doe 🤓", "Even longer username with emoticons! 🙈 🙈", "+1 123 456 789",
                      "田中 太郎", "Prof. Oak", "Jessie & James", "You", "Du", "Anna (work)"])
    func unusualSenderNamesAreKeptWhole(_ name: String) throws {
        let chat = try WA.parse(lines: ["13/01/19, 11:25 - \(name): Lorem ipsum : dolor", "13/01/19, 11:26 - Ann: ok"])
        #expect(chat.messages.first?.sender == name)
        #expect(chat.messages.first?.text == "Lorem ipsum : dolor")
        #expect(chat.messages.first?.kind == .text)
    }

    @Test func headerWithNothingAfterTheColonIsAnEmptyMessageKeepingLaterLines() throws {
        let chat = try WA.parse(lines: ["[13.01.19, 11:25:00] Carol:", "[13.01.19, 11:26:00] John Doe:", "", "",
                                        "text after blank lines", "[13.01.19, 11:27:00] Ann: ok"])
        #expect(chat.messages.map(\.sender) == ["Carol", "John Doe", "Ann"])
        #expect(chat.messages[0].text == "" && chat.messages[0].kind == .text)
        #expect(chat.messages[1].text == "\n\n\ntext after blank lines")
        #expect(chat.messages[1].line == 2 && chat.messages[1].lineEnd == 5)
    }
}
