import ChatModel
import Foundation
import Testing
@testable import Reports

/// The temporary file that holds hit messages during a redacted or pseudonymised run.
@Suite struct HitSpillTests {
    @Test func spilledHitMessagesComeBackInOrderAndNoFileIsLeftInTheTemporaryDirectory() throws {
        var (items, _) = ReportBytesBaseline.corpus()
        #expect(items.count > 10)
        // Every kind of text origin (Message's own coding leaves it out; the spill keeps it).
        items[0].message.textOrigin = .mapped([3, 4, 9])
        items[1].message.textOrigin = .unknown
        #expect(items.contains { if case .verbatim = $0.before.first?.textOrigin { return true }; return false })
        var path = ""
        do {
            let spill = try HitSpill()
            path = spill.path
            // Enough copies to cross the 1 MiB write buffer and the 1 MiB read chunks several times.
            for _ in 0..<20 { for i in items { try spill.append(i) } }
            var back: [MessageHits] = []
            try spill.forEach { back.append($0) }
            #expect(back.count == items.count * 20)
            for (k, b) in back.enumerated() {
                let a = items[k % items.count]
                #expect(b.message == a.message && b.hits == a.hits && b.before == a.before && b.after == a.after, "item \(k)")
                if b.message != a.message || b.before != a.before { break }
            }
            // Unlinked as soon as it was opened: a killed run leaves nothing behind.
            #expect(!FileManager.default.fileExists(atPath: path))
        }
        #expect(!path.isEmpty && !FileManager.default.fileExists(atPath: path))
    }
}
