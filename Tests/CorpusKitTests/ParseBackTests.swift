import ChatModel
import ChatParsers
import Foundation
import Testing
@testable import CorpusKit

/// Generated corpora read back through the real parsers: every message comes back, nothing is unparsed, and each
/// ground-truth record names the message (file, index, line, sender) that holds the planted text.
@Suite struct ParseBackTests {
    /// The path to hand the parser for a generated corpus (the export itself, not the ground-truth files beside it).
    func inputPath(_ format: CorpusFormat, _ dir: URL, _ s: CorpusSummary) -> String {
        let first = dir.appendingPathComponent(s.files[0])
        switch format {
        case .messenger, .instagram: return first.deletingLastPathComponent().path  // the thread folder
        default: return first.path
        }
    }

    func parse(_ format: CorpusFormat, _ path: String) throws -> (messages: [Message], unparsed: Int, issues: [ParseIssue]) {
        let options = ParseOptions(format: format == .lines ? .lines : nil)
        let (sources, collectIssues) = InputCollector.collect(paths: [path], options: options)
        var messages: [Message] = []
        var unparsed = 0
        var issues = collectIssues
        for source in sources {
            let chat = try ChatReader.read(source, options: options)
            messages += chat.messages
            unparsed += chat.unparsedLines
            issues += chat.issues.filter { $0.severity != .warning }
        }
        return (messages, unparsed, issues)
    }

    @Test(arguments: CorpusFormat.allCases)
    func generatedExportParsesBackAndGroundTruthNamesThePlantedMessage(_ format: CorpusFormat) throws {
        let (dir, s) = try generateSmall(format, bytes: 250_000, seed: 11, name: "parseback")
        let (messages, unparsed, issues) = try parse(format, inputPath(format, dir, s))
        #expect(issues.isEmpty, "\(issues.prefix(3))")
        #expect(unparsed == 0)
        #expect(messages.count == s.messages)
        let byPosition = Dictionary(messages.map { (($0.file as NSString).lastPathComponent + "#\($0.messageIndex)", $0) },
                                    uniquingKeysWith: { a, _ in a })
        let truth = try GroundTruthRecord.load(from: dir.appendingPathComponent("ground-truth.jsonl"))
        #expect(!truth.isEmpty)
        for r in truth {
            let key = ((r.file as NSString).lastPathComponent) + "#\(r.messageIndex)"
            guard let m = byPosition[key] else {
                Issue.record("no parsed message at \(r.file) #\(r.messageIndex)")
                continue
            }
            #expect(m.file.hasSuffix(r.file))
            #expect(m.text.contains(r.planted), "\(r.file) #\(r.messageIndex): \(m.text) lacks \(r.planted)")
            #expect(m.kind == .text)
            #expect(m.line == r.line, "\(r.file) #\(r.messageIndex): line \(String(describing: m.line)) != \(r.line)")
            if format != .lines {
                #expect(m.sender == r.sender)
                #expect(m.timestamp.map { String($0.prefix(16)) } == String(r.timestamp.prefix(16)))
            }
        }
        if format == .whatsapp || format == .whatsappIOS {
            #expect(messages.filter { $0.kind == .system }.count == s.systemMessages)
            #expect(messages.filter { $0.kind == .deleted }.count == s.deletedMessages)
        }
    }

    @Test func demoSetParsesBackCompletely() throws {
        let dir = try makeTempDir().appendingPathComponent("demo")
        let truthURL = DemoCorpus.defaultTruthURL(for: dir)
        try DemoCorpus.write(to: dir, groundTruth: truthURL)
        let (messages, unparsed, issues) = try parse(.whatsapp, dir.path)
        #expect(issues.isEmpty, "\(issues.prefix(3))")
        #expect(unparsed == 0)
        #expect(messages.count == 320 + 150 + 160)
        let truth = try GroundTruthRecord.load(from: truthURL)
        for r in truth {
            let hit = messages.first { $0.file.hasSuffix(r.file) && $0.messageIndex == r.messageIndex }
            #expect(hit?.text.contains(r.planted) == true, "\(r.file) #\(r.messageIndex)")
        }
    }
}
