import Foundation
import Testing
@testable import CorpusKit

@Suite struct CorpusGeneratorTests {
    @Test func sameSeedGivesIdenticalBytesAndOtherSeedDiffers() throws {
        let (a, sa) = try generateSmall(.whatsapp, bytes: 200_000, seed: 42, name: "detA")
        let (b, sb) = try generateSmall(.whatsapp, bytes: 200_000, seed: 42, name: "detB")
        let (c, _) = try generateSmall(.whatsapp, bytes: 200_000, seed: 43, name: "detC")
        #expect(sa == sb)
        let file = sa.files[0]
        let da = try Data(contentsOf: a.appendingPathComponent(file))
        #expect(da == (try Data(contentsOf: b.appendingPathComponent(file))))
        #expect(da != (try Data(contentsOf: c.appendingPathComponent(file))))
        #expect(try Data(contentsOf: a.appendingPathComponent("ground-truth.jsonl"))
                == (try Data(contentsOf: b.appendingPathComponent("ground-truth.jsonl"))))
    }

    @Test(arguments: CorpusFormat.allCases)
    func everyFormatIsDeterministicIncludingZipsAndJSON(_ format: CorpusFormat) throws {
        let (a, sa) = try generateSmall(format, bytes: 120_000, seed: 5, name: "fmtA")
        let (b, _) = try generateSmall(format, bytes: 120_000, seed: 5, name: "fmtB")
        for f in sa.files {
            #expect(try Data(contentsOf: a.appendingPathComponent(f)) == (try Data(contentsOf: b.appendingPathComponent(f))), "\(f)")
        }
    }

    @Test(arguments: CorpusFormat.allCases)
    func outputSizeIsCloseToRequested(_ format: CorpusFormat) throws {
        let (dir, s) = try generateSmall(format, bytes: 400_000, name: "size")
        #expect(s.bytesWritten <= 400_000 + 600)
        #expect(s.bytesWritten >= 400_000 - 2_000, "\(format): \(s.bytesWritten)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("corpus-stats.json").path))
    }

    @Test func splitIntoFilesWritesThatManyChatsOfSimilarSize() throws {
        let (dir, s) = try generateSmall(.whatsapp, bytes: 800_000, files: 8)
        #expect(s.files.count == 8)
        #expect(Set(s.files).count == 8)
        for f in s.files {
            let size = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(f).path)[.size] as! NSNumber
            #expect(abs(size.intValue - 100_000) < 400)
        }
    }

    @Test func plantedAndNearMissRatesAreAboutHalfAndOnePercent() throws {
        let (_, s) = try generateSmall(.whatsapp, bytes: 3_000_000, name: "rates")
        let planted = Double(s.planted) / Double(s.messages)
        let near = Double(s.nearMisses) / Double(s.messages)
        #expect(planted > 0.003 && planted < 0.007, "planted \(planted)")
        #expect(near > 0.007 && near < 0.013, "near \(near)")
        #expect(s.systemMessages > 0 && s.mediaMessages > 0 && s.deletedMessages > 0)
    }

    @Test func sizesParseAsDecimalUnits() throws {
        #expect(try CorpusGenerator.parseSize("10M") == 10_000_000)
        #expect(try CorpusGenerator.parseSize("1G") == 1_000_000_000)
        #expect(try CorpusGenerator.parseSize("1.5g") == 1_500_000_000)
        #expect(try CorpusGenerator.parseSize("500K") == 500_000)
        #expect(try CorpusGenerator.parseSize("200MB") == 200_000_000)
        #expect(throws: CorpusError.self) { try CorpusGenerator.parseSize("lots") }
    }

    @Test func obfuscationFormsLookLikeTheCatalogue() {
        #expect(Obfuscation.leet.apply(to: "rape") == "r4p3")
        #expect(Obfuscation.dotted.apply(to: "slap") == "s.l.a.p")
        #expect(Obfuscation.spaced.apply(to: "rape") == "r a p e")
        #expect(Obfuscation.stretched.apply(to: "kill") == "kiiilll")
        #expect(Obfuscation.zeroWidth.apply(to: "rape") == "ra\u{200B}pe")
        #expect(Obfuscation.symbolSeparated.apply(to: "slap") == "s😂l😂a😂p")
        #expect(Obfuscation.symbolSeparated.apply(to: "slag") == "s·l·a·g")
    }

    @Test func sameSeedGivesSameRandomStream() {
        var a = CorpusRandom(seed: 1), b = CorpusRandom(seed: 1), c = CorpusRandom(seed: 2)
        let xa = (0..<5).map { _ in a.next() }
        #expect(xa == (0..<5).map { _ in b.next() })
        #expect(xa != (0..<5).map { _ in c.next() })
    }
}
