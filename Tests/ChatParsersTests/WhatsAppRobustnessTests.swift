import Foundation
import Testing
import ChatModel
import ChatParsers

/// Deterministic random generator (SplitMix64), so that a failing mutation can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Mutated and truncated exports: the parser must never crash, must keep every line accounted for, and chunked
/// span iteration must still equal whole-file iteration.
@Suite struct WhatsAppRobustnessTests {
    /// Fragments that stress the header grammar: digits, separators, brackets, line breaks, invisible marks, NBSPs.
    static let fragments: [[UInt8]] = ["0", "1", "3", "9", "/", ".", "-", ":", " ", ",", "[", "]", "\n", "\r", "\r\n",
                                       " - ", ": ", "\u{200E}", "\u{FEFF}", "\u{202F}", "\u{A0}", "PM", "a. m.", "~ ",
                                       "12/03/2021, 09:15 - ", "[29.01.18, 12:24:03] "].map { Array($0.utf8) }

    @Test(arguments: WA.sampleNames)
    func mutatedExportsKeepEveryLineAndChunkEquivalence(_ name: String) throws {
        let original = [UInt8](try WA.sample(name))
        var rng = SplitMix64(state: UInt64(truncatingIfNeeded: name.utf8.count) &* 7919)
        for round in 0..<60 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let at = Int.random(in: 0...bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes.insert(contentsOf: Self.fragments.randomElement(using: &rng)!, at: at)
                case 1: if at < bytes.count { bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...8, using: &rng))) }
                default: bytes = Array(bytes[..<at])
                }
            }
            let data = Data(bytes)
            let chat: ParsedChat
            do { chat = try WA.parse(data, file: name) } catch is InputError { continue }  // cut inside a character
            var covered: [Int] = []
            for m in chat.messages {
                covered += Array(try #require(m.line)...(try #require(m.lineEnd)))
                #expect(m.byteStart <= m.byteEnd && m.byteEnd <= data.count)
                if let r = m.fileRange(ofTextBytes: 0..<m.text.utf8.count) {
                    #expect(WA.text(data, r) == m.text, "\(name) round \(round)")
                }
            }
            covered += chat.issues.filter { $0.severity == .unparsed }.compactMap(\.line)
            #expect(covered.sorted() == Array(stride(from: 1, through: chat.totalLines, by: 1)), "\(name) round \(round)")
            let layout = WA.layout(data, options: ParseOptions(chatName: chat.chat))
            let whole = WA.wholeFileSpans(data, layout: layout)
            #expect(WA.chunkedSpans(data, layout: layout, cuts: Array(stride(from: 1, to: max(2, data.count), by: 13))) == whole,
                    "\(name) round \(round)")
        }
    }

    @Test func looksLikeWhatsAppNeverCrashesOnTruncatedPrefixes() throws {
        let data = try WA.sample("_chat_ios_german.txt")
        for cut in 0...data.count {
            _ = data.prefix(cut).withUnsafeBytes { WhatsAppParser.looksLikeWhatsApp($0) }
        }
        #expect(data.prefix(60).withUnsafeBytes { WhatsAppParser.looksLikeWhatsApp($0) })
    }
}
