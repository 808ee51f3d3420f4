import Testing
import Foundation
import ChatModel
@testable import ChatParsers

/// `chatsieve parse --count-only` (the parse-only benchmark) counts exactly what the full parse reads.
struct ParseCountTests {
    @Test(arguments: WA.sampleNames.filter { $0 != "invalid_utf8.txt" })
    func spanCountEqualsFullParseOnEveryWhatsAppSample(name: String) throws {
        let dir = Bundle.module.resourcePath! + "/Samples/whatsapp/"
        let (sources, _) = InputCollector.collect(paths: [dir + name], options: ParseOptions())
        let source = try #require(sources.first)
        let full = try ChatReader.read(source, options: ParseOptions())
        let counted = try ChatReader.count(source, options: ParseOptions())
        #expect(counted.messages == full.messages.count)
        #expect(counted.unparsedLines == full.unparsedLines)
        #expect(counted.bytes == source.totalSize)
    }

    @Test("a bad byte costs count the same one message as the full parse, with the same error")
    func countLeavesOutTheMessageWithInvalidUTF8LikeTheFullParse() throws {
        let dir = Bundle.module.resourcePath! + "/Samples/whatsapp/"
        let (sources, _) = InputCollector.collect(paths: [dir + "invalid_utf8.txt"], options: ParseOptions(format: .whatsapp))
        let source = try #require(sources.first)
        let full = try ChatReader.read(source, options: ParseOptions(format: .whatsapp))
        let counted = try ChatReader.count(source, options: ParseOptions(format: .whatsapp))
        #expect(counted.messages == full.messages.count && counted.messages > 0)
        #expect(counted.unparsedLines == full.unparsedLines)
        #expect(!counted.errors.isEmpty)
        #expect(counted.errors == full.issues.filter { $0.severity == .error })
    }
}
