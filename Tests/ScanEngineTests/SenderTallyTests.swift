import ChatParsers
import Testing
@testable import ScanEngine

/// The per-chunk sender counter against a dictionary of sender strings.
@Suite struct SenderTallyTests {
    @Test func countsEverySenderOfAManySenderChatLikeADictionary() {
        var rng = SystemRandomNumberGenerator()
        // 300 senders: short and long names, names sharing their first eight bytes, names that are prefixes of others.
        var names: [String] = []
        // Also names over 16 bytes that differ only in the middle (same length, first and last eight bytes).
        for i in 0..<100 {
            names += ["P\(i)", "Participant Number \(i)", "Participant Number \(i)0", "Team member \(i / 10)\(i % 10) of the squad"]
        }
        var text: [UInt8] = []
        var spans: [WhatsAppSpan] = []
        var want: [String: Int] = [:]
        for _ in 0..<20_000 {
            // Runs of one sender, as in real chats, then a jump.
            let name = names[Int.random(in: 0..<names.count, using: &rng)]
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let start = text.count
                text += Array(name.utf8)
                spans.append(WhatsAppSpan(start: start, end: text.count, textStart: text.count, textEnd: text.count,
                                          senderStart: start, senderEnd: text.count, line: 1, lineEnd: 1, kind: .text,
                                          mismatch: false))
                text.append(0x0A)
                want[name, default: 0] += 1
            }
        }
        var tally = SenderTally()
        text.withUnsafeBytes { b in for s in spans { tally.add(b, s) } }
        var got: [String: Int] = [:]
        for (span, n) in tally.entries {
            got[String(decoding: text[span.senderStart..<span.senderEnd], as: UTF8.self), default: 0] += n
        }
        #expect(tally.entries.count == want.count)
        #expect(got == want)
    }
}
