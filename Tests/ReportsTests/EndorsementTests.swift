import ChatModel
import Foundation
import Testing
@testable import Reports

@Suite struct EndorsementTests {
    @Test(arguments: ["lol", "LMAO", "lmfaooo", "hahaha", "ha ha", "😂", "🤣🤣🤣", "💀", "dead", "I'm dead 💀", "classic",
                      "lol 😂😂", "omg lmao", "Hahahaha!!!", "so true", "👏🏽👏🏽", "rofl", "hehe"])
    func laughterAndApplauseRepliesAreEndorsements(_ text: String) {
        #expect(EndorsementDetector.isEndorsement(text))
    }

    @Test(arguments: ["no that's not ok", "lol no, report him", "ha", "😢", "what?", "", "dead wrong mate you should apologise",
                      "haha " + String(repeating: "x", count: 70), "hi", "🙂"])
    func ordinaryRepliesAreNotEndorsements(_ text: String) {
        #expect(!EndorsementDetector.isEndorsement(text))
    }

    /// The Unicode facts the ASCII fast path of `isEndorsement` relies on, for every ASCII scalar.
    @Test func asciiFastPathAgreesWithUnicodePropertiesForEveryASCIIScalar() {
        for v in UInt32(0)..<0x80 {
            let sc = Unicode.Scalar(v)!
            let p = sc.properties
            #expect((p.isAlphabetic || p.numericType != nil) == EndorsementDetector.asciiScalarIsWordPart(v), "\(v)")
            if !EndorsementDetector.asciiScalarIsWordPart(v) && sc != "'" {
                #expect(!EndorsementDetector.signalEmoji.contains(sc))
                #expect(p.isWhitespace || p.generalCategory.isPunctuationOrSymbolIgnorable || !(p.isEmojiPresentation || p.isEmoji),
                        "\(v) would count as another emoji")
            }
        }
    }

    /// Replies made of signal, filler and ordinary words, punctuation and emoji, against the detector as it was before
    /// the ASCII fast path, the early exit and the letter check in front of the laughter expression.
    @Test func fastPathsGiveTheSameAnswersAsThePropertyBasedDetector() {
        let parts = ["lol", "LOL", "lmao", "haha", "ha", "hehe", "xd", "kek", "dead", "i'm", "im", "so", "true", "well",
                     "said", "spot", "on", "omg", "bro", "that's", "thats", "report", "him", "no", "ok", "hahah", "jajaja",
                     "roflmao", "lolol", "Loool", "😂", "💀", "👏🏽", "🙂", "😢", "!!!", "?", ",", ":)", "-", "#", "*", "1",
                     "42", "café", "ÉCOLE", "\u{2019}", "d\u{2019}accord", "ǅ", "٣", "\t", "\n", "\u{1}", "☠️", "lol😂"]
        var texts = parts
        var state: UInt64 = 77
        for _ in 0..<3000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            var t = ""
            for k in 0..<Int(state >> 61) + 1 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                if k > 0 && state >> 63 == 1 { t += " " }
                t += parts[Int(state >> 33) % parts.count]
            }
            texts.append(t)
        }
        for t in texts {
            #expect(EndorsementDetector.isEndorsement(t) == LegacyEndorsement.isEndorsement(t), "\(t.debugDescription)")
        }
        #expect(texts.contains { EndorsementDetector.isEndorsement($0) } && texts.contains { !EndorsementDetector.isEndorsement($0) })
    }

    @Test func repliesWithinThreeMessagesAfterACriticalHitAreFoundWithWhoSentThem() {
        let e = EndorsementDetector.detect(in: Fixture.items[1])
        #expect(e.map(\.endorser) == ["Carol", "Bob"])
        #expect(e.map(\.distance) == [1, 3])
        #expect(e.map(\.sameSender) == [false, true])
        #expect(e[0].endorsedSender == "Bob")
        #expect(e[0].rules == ["threat.hurt"] && e[0].severity == .critical)
    }

    @Test func mediumHitsAreNotEndorsed() {
        var item = Fixture.items[1]
        item.hits = item.hits.map { var h = $0; h.severity = .medium; return h }
        #expect(EndorsementDetector.detect(in: item).isEmpty)
    }

    @Test func repliesBeyondTheWindowAreIgnored() {
        let chat = Fixture.chatA
        let item = MessageHits(message: chat[3], hits: Fixture.items[1].hits, before: [],
                               after: [chat[5], chat[8], chat[7], chat[4]])   // "lmao" is 4th
        #expect(EndorsementDetector.detect(in: item).isEmpty)
    }

    @Test func endorsementsAreSignalsPerSenderAndNotCountedAsHits() throws {
        let w = try Fixture.write { _ in }
        let s = try #require(w.summary)
        #expect(s.overall.hits == 5)
        #expect(s.endorsements.count == 4)
        #expect(s.endorsementsBySender == ["Carol": 1, "Bob": 1, "Alice": 1, "Dave": 1])
        #expect(s.endorsementsReceived == ["Bob": 2, "Dave": 2])
    }

    @Test func aReplyAfterTwoHitMessagesIsAttributedOnceToTheNearest() {
        let a = Endorsement(endorser: "X", chat: "c", replyFile: "f", replyMessageIndex: 9, replyLine: nil, replyTimestamp: nil,
                            replyText: "lol", endorsedSender: "A", hitFile: "f", hitMessageIndex: 6, hitLine: nil, hitTimestamp: nil,
                            severity: .high, rules: ["r"], category: "c", distance: 3, sameSender: false)
        var b = a
        b.hitMessageIndex = 8; b.distance = 1; b.endorsedSender = "B"
        #expect(ReportWriter.dedupe([a, b]).map(\.endorsedSender) == ["B"])
    }
}

@Suite struct ReactionEndorsementTests {
    @Test func laughingReactionMessagesEndorseButOtherReactionsDoNot() {
        let chat = Fixture.chatA
        var laugh = chat[4], like = chat[5]
        laugh.kind = .reaction; laugh.text = "Reacted 😂 to your message"
        like.kind = .reaction; like.text = "Liked a message"
        let item = MessageHits(message: chat[3], hits: Fixture.items[1].hits, after: [laugh, like])
        let found = EndorsementDetector.detect(in: item)
        #expect(found.map(\.endorser) == ["Carol"])
        #expect(found.first?.replyText == "Reacted 😂 to your message")
    }
}
