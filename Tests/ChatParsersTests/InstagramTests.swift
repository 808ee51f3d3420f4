import ChatModel
@testable import ChatParsers
import Foundation
import Testing

@Suite struct InstagramTests {
    let file = Samples.instagramThread + "/message_1.json"

    @Test func instagramThreadUnderYourInstagramActivityIsDetectedAndRepaired() throws {
        let (source, chat) = try readOnly(Samples.instagramThread)
        #expect(source.format == .instagram)
        #expect(chat.format == .instagram)
        #expect(chat.chat == "Jane Doe")
        #expect(chat.messages.count == 7)
        #expect(chat.messages.allSatisfy { $0.format == .instagram && $0.file == file })
        #expect(chat.messages.last?.text == "Naïve Frage: kommst du mit? 🙂")
        #expect(chat.messages[0].sender == "Kai Böhm")
    }

    @Test func instagramSpecificTextsBecomeReactionsPollsAndAttachments() throws {
        let (_, chat) = try readOnly(Samples.instagramThread)
        #expect(chat.messages.map(\.kind) == [.reaction, .reaction, .poll, .poll, .attachment, .media, .text])
        #expect(chat.messages[1].text == "Reacted ❤️ to your message")
        #expect(chat.messages[2].text == "Kai Böhm created a poll: Pizza oder Döner?")
        #expect(chat.messages[5].text == "")
    }

    @Test func threadPathWithAUsernameMeansInstagramEvenWithoutInstagramInThePath() throws {
        let dir = TempDir()
        let copied = dir.copy(file, to: "export/messages/inbox/somebody/message_1.json")
        let (source, _) = try readOnly(copied)
        #expect(source.format == .instagram)
        // the Messenger thread's folder name has no dot: Messenger
        let fb = dir.copy(Samples.messengerThread + "/message_1.json", to: "export2/messages/inbox/x/message_1.json")
        let (fbSource, _) = try readOnly(fb)
        #expect(fbSource.format == .messenger)
    }

    @Test func formatOptionForcesInstagramOnAMessengerFile() throws {
        let (source, chat) = try readOnly(Samples.messengerThread, options: ParseOptions(format: .instagram))
        #expect(source.format == .instagram)
        #expect(chat.messages.first?.format == .instagram)
        #expect(chat.messages.first?.text == "Bis später 😢")
    }
}
