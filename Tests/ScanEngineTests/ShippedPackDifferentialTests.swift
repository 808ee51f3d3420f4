import ChatModel
import ChatParsers
import CorpusKit
import Foundation
import TestScratch
import RuleKit
import ScanEngine
import Testing

/// The shipped packs (patterns, exceptions, context words, normalisation) through the prefiltered engine must give
/// exactly what RuleKit's reference `matchAll` gives on every message of generated exports, with the shadow databases
/// in either form (`quickCompile`, see `PrefilterText`).
@Suite struct ShippedPackDifferentialTests {
    static let rulesDir: String = {
        var dir = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { dir.deleteLastPathComponent() }
        return dir.appendingPathComponent("rules").path
    }()

    static let compiled: CompiledRuleSet = try! CompiledRuleSet(try! RuleLoader.load(paths: [rulesDir]))
    /// The same packs on PCRE2's interpreter: the reference, so that a fault of the JIT code shows as a difference.
    static let reference: CompiledRuleSet = try! CompiledRuleSet(compiled.ruleSet, jit: false)

    func corpus(_ format: CorpusFormat, seed: UInt64, bytes: Int) throws -> URL {
        let dir = TestScratch.path("se-corpus")
        _ = try CorpusGenerator.generate(CorpusSpec(format: format, bytes: bytes, seed: seed, outDir: dir))
        return dir
    }

    /// Reference hit lines: RuleKit's matchAll (PCRE2's interpreter) on every scannable message of the parsed chat.
    func reference(_ chat: ParsedChat) -> [String] {
        let reference = Self.reference
        let scratch = reference.makeScratch()
        var out: [String] = []
        for m in chat.messages where m.isScannable {
            for r in reference.matchAll(text: m.text, scratch: scratch) where r.isHit {
                let h = reference.hit(for: r, in: m)
                out.append("\(h.messageIndex):\(h.line ?? -1):\(h.rule):\(h.textStart)-\(h.textEnd):\(h.match):\(h.severity)")
            }
        }
        return out
    }

    @Test(arguments: [UInt64(3), 11], [false, true])
    func whatsAppSpanScanWithShippedPacksEqualsReference(seed: UInt64, quickCompile: Bool) throws {
        let dir = try corpus(.whatsapp, seed: seed, bytes: 300_000)
        let (sources, _) = InputCollector.collect(paths: [dir.path], options: ParseOptions())
        let source = try #require(sources.first { $0.format == .whatsapp })
        guard case .file(let path) = source.location else { Issue.record("expected a file"); return }
        let chat = try ChatReader.read(source, options: ParseOptions())
        let span = WhatsAppSpanSource(owner: try MappedFile(path: path), displayPath: source.displayPath, options: ParseOptions(),
                                      chatName: nil, chunkBytes: 20_000)
        #expect(span.chunkCount > 5)
        let rules = RuleKitRules(Self.compiled)
        let (sink, report) = try scan(rules, [span], threads: 2, context: 1, quickCompile: quickCompile)
        let got = sink.items.flatMap { it in it.hits.map { "\($0.messageIndex):\($0.line ?? -1):\($0.rule):\($0.textStart)-\($0.textEnd):\($0.match):\($0.severity)" } }
        let expected = reference(chat)
        #expect(!expected.isEmpty)
        #expect(got == expected, "missing: \(expected.filter { !got.contains($0) }.prefix(5)) extra: \(got.filter { !expected.contains($0) }.prefix(5))")
        #expect(report.totals.messages == chat.messages.count)
        // Materialised hit messages are the parser's records (same sender, timestamp, text).
        for item in sink.items.prefix(50) {
            let m = chat.messages[item.message.messageIndex]
            #expect(item.message.sender == m.sender && item.message.timestamp == m.timestamp && item.message.text == m.text)
            #expect(item.message.line == m.line)
        }
        let bySender = Dictionary(grouping: chat.messages.filter { $0.kind != .system && $0.sender != nil }, by: { $0.sender! }).mapValues(\.count)
        #expect(Dictionary(uniqueKeysWithValues: report.totals.messagesBySender.map { ($0.key.sender, $0.value) }) == bySender)
    }

    /// Texts whose second reading (a single `a` or `i` kept apart from a spelled-out word) is the one that matches:
    /// the shadow prefilter does not show that reading, so the writer's flag must make them candidates.
    @Test func spelledOutWordsAfterASingleAOrIAreFoundByTheEngineAsByTheReference() throws {
        let texts = ["stop being such a f a g", "you're a c u n t", "give her a b a c k h a n d e r and she'll learn",
                     "i r a p e joke incoming", "what an a r s e", "love u x I'm going to kill you", "such a f a g 😂", "ok see you at 5"]
        let export = texts.enumerated().map { "12/03/2021, 10:0\($0.offset) - Dave: \($0.element)\n" }.joined()
        let dir = TestScratch.path("second-reading")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("WhatsApp Chat with Lads.txt")
        try export.write(to: file, atomically: true, encoding: .utf8)
        let (sources, _) = InputCollector.collect(paths: [file.path], options: ParseOptions())
        let source = try #require(sources.first)
        let chat = try ChatReader.read(source, options: ParseOptions())
        let span = WhatsAppSpanSource(owner: try MappedFile(path: file.path), displayPath: source.displayPath,
                                      options: ParseOptions(), chatName: nil, chunkBytes: 20_000)
        let (sink, _) = try scan(RuleKitRules(Self.compiled), [span], threads: 1)
        let got = sink.items.flatMap { it in it.hits.map { "\($0.messageIndex):\($0.line ?? -1):\($0.rule):\($0.textStart)-\($0.textEnd):\($0.match):\($0.severity)" } }
        let expected = reference(chat)
        #expect(got == expected)
        let hitMessages = Set(sink.items.filter { !$0.hits.isEmpty }.map(\.message.messageIndex))
        #expect(hitMessages.isSuperset(of: [0, 1, 2, 3, 5, 6]), "\(hitMessages.sorted())")
        #expect(!hitMessages.contains(7))
    }

    @Test func telegramMessagesScanWithShippedPacksEqualsReference() throws {
        let dir = try corpus(.telegram, seed: 5, bytes: 200_000)
        let (sources, _) = InputCollector.collect(paths: [dir.path], options: ParseOptions())
        let source = try #require(sources.first)
        let chat = try ChatReader.read(source, options: ParseOptions())
        let src = ParsedMessagesSource(displayPath: chat.file, format: chat.format, chat: chat.chat, messages: chat.messages, chunkBytes: 10_000)
        let (sink, _) = try scan(RuleKitRules(Self.compiled), [src], threads: 2)
        let got = sink.items.flatMap { it in it.hits.map { "\($0.messageIndex):\($0.line ?? -1):\($0.rule):\($0.textStart)-\($0.textEnd):\($0.match):\($0.severity)" } }
        let expected = reference(chat)
        #expect(!expected.isEmpty)
        #expect(got == expected, "missing: \(expected.filter { !got.contains($0) }.prefix(5)) extra: \(got.filter { !expected.contains($0) }.prefix(5))")
    }

    /// The packs' own examples written partly in Cyrillic look-alikes and set among words of other scripts, so that their
    /// shadow texts take the C writer's path for non-ASCII letters: same hits as the reference.
    @Test func examplesAmongCyrillicWordsGiveTheReferenceHits() throws {
        var rng = CorpusRandom(seed: 17)
        let lookAlikes: [Character: Character] = ["a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і"]
        let words = ["дружище", "жесть", "Ну", "ЛОЛ", "д.у.р.а", "ж и з н ь", "щщщас", "ёлки", "λόγος", "שלום", "كلب", "łódź",
                     "中文", "你 好", "カタカナ", "한국어"]
        var messages: [Message] = []
        for rule in Self.compiled.ruleSet.rules {
            for example in rule.tests.match + rule.tests.noMatch {
                let mixed = String(example.text.map { c in rng.pick([true, false]) ? lookAlikes[c] ?? c : c })
                let text = rng.pick(words) + " " + mixed + " " + rng.pick(words)
                messages.append(Message(file: "examples.json", chat: "examples", sender: "S", timestamp: nil, text: text, kind: .text,
                                        line: nil, lineEnd: nil, byteStart: 0, byteEnd: 0, messageIndex: messages.count, format: .messenger))
            }
        }
        try expectEngineGivesReferenceHits(messages)
    }

    /// The packs' own match and no-match examples with their whitespace made irregular (runs of spaces, tabs and line
    /// breaks; shadow databases scan text with whitespace runs collapsed to one space): same hits as the reference.
    @Test(arguments: [UInt64(1), 2, 3], [false, true])
    func examplesWithIrregularWhitespaceGiveTheReferenceHits(seed: UInt64, quickCompile: Bool) throws {
        var rng = CorpusRandom(seed: seed)
        let runs = [" ", "  ", "\t", " \t ", "\n", "\r\n", "   \n  ", "\u{0B}", "\u{0C} "]
        var messages: [Message] = []
        for rule in Self.compiled.ruleSet.rules {
            for example in rule.tests.match + rule.tests.noMatch {
                let text = example.text.split(separator: " ", omittingEmptySubsequences: false)
                    .map(String.init).reduce("") { $0.isEmpty ? $1 : $0 + rng.pick(runs) + $1 }
                messages.append(Message(file: "examples.json", chat: "examples", sender: "S", timestamp: nil, text: text, kind: .text,
                                        line: nil, lineEnd: nil, byteStart: 0, byteEnd: 0, messageIndex: messages.count, format: .messenger))
            }
        }
        #expect(messages.count > 100)
        try expectEngineGivesReferenceHits(messages, quickCompile: quickCompile)
    }

    /// Scans `messages` (one Messenger-like chat) with the prefiltered engine on two threads and expects exactly the
    /// hits RuleKit's reference `matchAll` gives on each message (PCRE2's interpreter), and more than 50 of them.
    func expectEngineGivesReferenceHits(_ messages: [Message], quickCompile: Bool = false) throws {
        let src = ParsedMessagesSource(displayPath: "examples.json", format: .messenger, chat: "examples", messages: messages, chunkBytes: 4_000)
        let (sink, _) = try scan(RuleKitRules(Self.compiled), [src], threads: 2, quickCompile: quickCompile)
        let got = sink.items.flatMap { it in it.hits.map { "\($0.messageIndex):\($0.rule):\($0.textStart)-\($0.textEnd):\($0.severity)" } }
        let reference = Self.reference
        let scratch = reference.makeScratch()
        var expected: [String] = []
        for m in messages {
            for r in reference.matchAll(text: m.text, scratch: scratch) where r.isHit {
                let h = reference.hit(for: r, in: m)
                expected.append("\(h.messageIndex):\(h.rule):\(h.textStart)-\(h.textEnd):\(h.severity)")
            }
        }
        #expect(expected.count > 50)
        #expect(got == expected, "missing: \(expected.filter { !got.contains($0) }.prefix(5)) extra: \(got.filter { !expected.contains($0) }.prefix(5))")
    }
}
