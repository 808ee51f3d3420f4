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

    @Test func countRejectsInvalidUTF8LikeTheFullParse() throws {
        let dir = Bundle.module.resourcePath! + "/Samples/whatsapp/"
        let (sources, _) = InputCollector.collect(paths: [dir + "invalid_utf8.txt"], options: ParseOptions(format: .whatsapp))
        let source = try #require(sources.first)
        #expect(throws: InputError.self) { try ChatReader.count(source, options: ParseOptions(format: .whatsapp)) }
    }
}
