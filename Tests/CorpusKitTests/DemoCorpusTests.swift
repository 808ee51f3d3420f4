import Foundation
import Testing
import ZIPFoundation
@testable import CorpusKit

@Suite struct DemoCorpusTests {
    @Test func demoSetHasAndroidTxtIOSZipAndTwoPartMessengerThread() throws {
        let dir = try makeTempDir().appendingPathComponent("demo")
        let truthURL = DemoCorpus.defaultTruthURL(for: dir)
        let files = try DemoCorpus.write(to: dir, groundTruth: truthURL)
        #expect(files == ["WhatsApp Chat with Response Team 4.txt", "WhatsApp Chat - Night Shift.zip",
                          "messages/inbox/custodysuitecrew_4417023391/message_1.json",
                          "messages/inbox/custodysuitecrew_4417023391/message_2.json"])
        #expect(truthURL.lastPathComponent == "demo-ground-truth.jsonl")
        #expect(truthURL.deletingLastPathComponent().path == dir.deletingLastPathComponent().path)
        let android = try lines(of: dir.appendingPathComponent(files[0]))
        #expect(android.filter { matches(androidHeader, $0) }.count == 320)
        let truth = try GroundTruthRecord.load(from: truthURL)
        let kinds = Set(truth.map(\.kind))
        #expect(kinds == ["planted", "near_miss", "endorsement"])
        // every abusive template appears in the long Android chat
        let plantedPhrases = Set(truth.filter { $0.kind == "planted" && $0.file == files[0] }.map(\.phrase))
        #expect(plantedPhrases.count == PlantedPhrases.abusive.count)
        // endorsements follow a planted message closely
        for e in truth where e.kind == "endorsement" && e.file == files[0] {
            #expect(truth.contains { $0.kind == "planted" && $0.file == e.file && (1...2).contains(e.messageIndex - $0.messageIndex) })
        }
        #expect(android.contains { $0.contains("charged with rape") || $0.contains("knife recovered") || $0.contains("kill the lights") })
        var size = 0
        for f in files { size += (try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(f).path)[.size] as! NSNumber).intValue }
        #expect(size < 300_000)
    }

    @Test func demoSetIsByteIdenticalWhenRegenerated() throws {
        let a = try makeTempDir("demoA").appendingPathComponent("demo")
        let b = try makeTempDir("demoB").appendingPathComponent("demo")
        let files = try DemoCorpus.write(to: a, groundTruth: DemoCorpus.defaultTruthURL(for: a))
        _ = try DemoCorpus.write(to: b, groundTruth: DemoCorpus.defaultTruthURL(for: b))
        for f in files {
            #expect(try Data(contentsOf: a.appendingPathComponent(f)) == (try Data(contentsOf: b.appendingPathComponent(f))), "\(f)")
        }
        #expect(try Data(contentsOf: DemoCorpus.defaultTruthURL(for: a)) == (try Data(contentsOf: DemoCorpus.defaultTruthURL(for: b))))
    }
}
