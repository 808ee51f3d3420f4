import ChatModel
import ChatParsers
import CorpusKit
import Foundation
import TestScratch
import Testing
@testable import ScanEngine

/// Workers refill the previous chunk's span array and keep their text buffers between chunks (fewer fresh pages
/// to fault in); what they produce must not depend on what those held before.
@Suite struct ReusedScratchMemoryTests {
    /// A stale array the size of a chunk's spans, full of spans that point nowhere sensible.
    func garbage(_ n: Int) -> [MessageSpan] {
        (0..<n).map { MessageSpan(start: $0 * 7, end: $0 * 7 + 3, textStart: -1, textEnd: 1 << 40, line: -$0, lineEnd: 0, scannable: $0 % 2 == 0) }
    }

    func expectSameSpansWhateverTheStorage(_ source: ChunkedMessageSource) {
        var previous: [MessageSpan] = garbage(5_000)
        for k in 0..<source.chunkCount {
            let fresh = source.messages(inChunk: k)
            let reused = source.messages(inChunk: k, reusing: previous)
            let fromGarbage = source.messages(inChunk: k, reusing: garbage(k * 37))
            #expect(reused.spans == fresh.spans && fromGarbage.spans == fresh.spans, "chunk \(k)")
            #expect(reused.newlines == fresh.newlines && reused.issues == fresh.issues && reused.senderCounts == fresh.senderCounts)
            previous = reused.spans
        }
    }

    @Test func whatsAppChunksGiveTheSameSpansInReusedStorage() throws {
        let dir = TestScratch.path("reuse-wa")
        _ = try CorpusGenerator.generate(CorpusSpec(format: .whatsapp, bytes: 120_000, seed: 4, outDir: dir))
        let (sources, _) = InputCollector.collect(paths: [dir.path], options: ParseOptions())
        let source = try #require(sources.first { $0.format == .whatsapp })
        guard case .file(let path) = source.location else { Issue.record("expected a file"); return }
        let span = WhatsAppSpanSource(owner: try MappedFile(path: path), displayPath: source.displayPath, options: ParseOptions(),
                                      chatName: nil, chunkBytes: 9_000)
        #expect(span.chunkCount > 5)
        expectSameSpansWhateverTheStorage(span)
    }

    @Test func lineAndParsedChunksGiveTheSameSpansInReusedStorage() throws {
        let texts = randomMessages(count: 400, seed: 9).map { $0.replacingOccurrences(of: "\n", with: " ") }
        let path = try temporaryFile(texts.joined(separator: "\n") + "\n")
        let lines = MappedLinesSource(file: try MappedFile(path: path), displayPath: path, chunkBytes: 600)
        #expect(lines.chunkCount > 5)
        expectSameSpansWhateverTheStorage(lines)
        let parsed = ParsedMessagesSource(displayPath: "chat.json", format: .telegram, chat: "chat", messages: makeMessages(texts),
                                          chunkBytes: 700)
        #expect(parsed.chunkCount > 5)
        expectSameSpansWhateverTheStorage(parsed)
    }

    @Test func growableBufferKeepsEveryElementItReservedAcrossTheHugePageThreshold() {
        let buffer = GrowableBuffer<Int64>()
        let threshold = GrowableBuffer<Int64>.hugeThreshold / MemoryLayout<Int64>.stride
        for n in [100, 5_000, threshold - 1, threshold + 1, 3 * threshold, 2_000_000, 10] {
            buffer.reserve(n)
            #expect(buffer.capacity >= n)
            let p = buffer.pointer
            // Every reserved element is writable and keeps its value (first and last pages included).
            for i in stride(from: 0, to: buffer.capacity, by: 509) { p[i] = Int64(i) &* 31 }
            p[buffer.capacity - 1] = -7
            for i in stride(from: 0, to: buffer.capacity - 1, by: 509) where p[i] != Int64(i) &* 31 {
                Issue.record("element \(i) of \(buffer.capacity) lost its value"); break
            }
            #expect(p[buffer.capacity - 1] == -7)
            if buffer.capacity * 8 >= GrowableBuffer<Int64>.hugeThreshold {
                #expect(UInt(bitPattern: p) % (2 << 20) == 0, "huge-page buffers start on a 2 MiB boundary")
            }
        }
    }
}
