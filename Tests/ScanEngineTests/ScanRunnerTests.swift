import ChatModel
import Foundation
import ScanEngine
import Testing

@Suite struct ScanRunnerTests {
    static let rules = try! PCRE2PatternRules(patterns: ["\\bslap\\b", "k\\W?i\\W?l\\W?l", "(\\w+) \\1"], caseless: [true, true, false])

    func linesFile(_ count: Int) throws -> String {
        try temporaryFile((0..<count).map { i in i % 7 == 3 ? "line \(i) I will slap you" : i % 11 == 0 ? "k.i.l.l \(i)" : "plain line \(i) ok" }
            .joined(separator: "\n") + "\n")
    }

    @Test func hitsAndJSONLinesAreIdenticalForAnyThreadCount() throws {
        let path = try linesFile(2000)
        var outputs: [String] = []
        for threads in [1, 2, 4] {
            let src = MappedLinesSource(file: try MappedFile(path: path), displayPath: "f.txt", chunkBytes: 997)
            let (sink, _) = try scan(Self.rules, [src], threads: threads, context: 2)
            outputs.append(try sink.jsonl())
        }
        #expect(!outputs[0].isEmpty)
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0] == outputs[2])
    }

    @Test func workersStartedBeforehandGiveTheSameOutputAsDispatchWorkers() throws {
        let path = try linesFile(2000)
        let plans = try PrefilterSet.build(specs: Self.rules.prefilterSpecs(), cacheDirectory: nil)
        var outputs: [String] = []
        for threads in [2, 3] {
            for pool in [nil, WorkerThreads(count: threads - 1)] {
                let src = MappedLinesSource(file: try MappedFile(path: path), displayPath: "f.txt", chunkBytes: 997)
                let runner = ScanRunner(rules: Self.rules, plans: plans, options: ScanOptions(threads: threads, context: ContextWindow(context: 2)))
                let sink = CollectingSink()
                _ = try runner.run([ScanInput(displayPath: "f.txt", hashPath: nil, open: { src })], sink: sink, threads: pool)
                pool?.stop()
                outputs.append(try sink.jsonl())
            }
        }
        #expect(!outputs[0].isEmpty)
        #expect(Set(outputs).count == 1)
    }

    @Test func lineNumbersAndMessageIndicesAreGlobalAcrossChunks() throws {
        let path = try linesFile(500)
        let src = MappedLinesSource(file: try MappedFile(path: path), displayPath: "f.txt", chunkBytes: 300)
        #expect(src.chunkCount > 10)
        let (sink, report) = try scan(Self.rules, [src], threads: 2)
        for item in sink.items {
            #expect(item.message.line == item.message.messageIndex + 1)
            #expect(item.message.text.hasPrefix("line \(item.message.messageIndex) ") || item.message.text.hasPrefix("k.i.l.l \(item.message.messageIndex)"))
            for h in item.hits { #expect(h.line == item.message.line && h.messageIndex == item.message.messageIndex) }
        }
        #expect(report.totals.messages == 500)
        #expect(sink.items.count == (0..<500).filter { $0 % 7 == 3 || $0 % 11 == 0 }.count)
    }

    @Test func contextCrossesChunkBoundariesWithoutGaps() throws {
        let path = try linesFile(400)
        let small = MappedLinesSource(file: try MappedFile(path: path), displayPath: "f.txt", chunkBytes: 64)
        let whole = MappedLinesSource(file: try MappedFile(path: path), displayPath: "f.txt", chunkBytes: 1 << 20)
        let (a, _) = try scan(Self.rules, [small], threads: 2, context: 4)
        let (b, _) = try scan(Self.rules, [whole], threads: 1, context: 4)
        #expect(a.items.count == b.items.count)
        for (x, y) in zip(a.items, b.items) {
            #expect(x.before.map(\.messageIndex) == y.before.map(\.messageIndex))
            #expect(x.after.map(\.messageIndex) == y.after.map(\.messageIndex))
            let i = x.message.messageIndex
            #expect(x.before.map(\.messageIndex) == Array(max(0, i - 4)..<i))
            #expect(x.after.map(\.messageIndex) == Array((i + 1)..<min(400, i + 5)))
        }
    }

    @Test func afterContextIsAtLeastThreeMessagesForEndorsementDetection() throws {
        let path = try linesFile(50)
        let src = MappedLinesSource(file: try MappedFile(path: path), displayPath: "f.txt", chunkBytes: 40)
        let (sink, _) = try scan(Self.rules, [src], threads: 2, context: 0)
        let first = try #require(sink.items.first)
        #expect(first.before.isEmpty)
        #expect(first.after.count == 3)
    }

    @Test func repliesAreAttachedOnlyToHitMessagesOfTheGivenSeverityAcrossChunkEdges() throws {
        let path = try linesFile(300)
        let high = try PCRE2PatternRules(patterns: ["\\bslap\\b"], caseless: [true], idPrefix: "H", severity: .high)
        let medium = try PCRE2PatternRules(patterns: ["\\bslap\\b"], caseless: [true], idPrefix: "M", severity: .medium)
        for rules in [high, medium] {
            let plans = try PrefilterSet.build(specs: rules.prefilterSpecs(), cacheDirectory: nil)
            let context = ContextWindow(context: 1, replies: 3, repliesFrom: .high)
            let runner = ScanRunner(rules: rules, plans: plans, options: ScanOptions(threads: 2, context: context))
            let src = MappedLinesSource(file: try MappedFile(path: path), displayPath: "f.txt", chunkBytes: 50)
            #expect(src.chunkCount > 20)
            let sink = CollectingSink()
            _ = try runner.run([ScanInput(displayPath: "f.txt", hashPath: nil, open: { src })], sink: sink)
            #expect(sink.items.count == (0..<300).filter { $0 % 7 == 3 }.count)
            let want = rules === high ? 3 : 1
            for item in sink.items {
                let i = item.message.messageIndex
                #expect(item.before.map(\.messageIndex) == Array(max(0, i - 1)..<i))
                #expect(item.after.map(\.messageIndex) == Array((i + 1)..<min(300, i + 1 + want)))
            }
        }
    }

    @Test func hitByteOffsetsPointAtTheMatchInTheFile() throws {
        let content = "hello\r\nwe will SLAP them\nnothing\n"
        let path = try temporaryFile(content)
        let src = MappedLinesSource(file: try MappedFile(path: path), displayPath: path)
        let (sink, _) = try scan(Self.rules, [src], threads: 1)
        let hit = try #require(sink.items.first?.hits.first)
        let bytes = Array(content.utf8)
        #expect(String(decoding: bytes[hit.byteStart!..<hit.byteEnd!], as: UTF8.self) == "SLAP")
        #expect(hit.line == 2 && hit.match == "SLAP" && hit.rule == "pattern-1")
    }

    @Test func perSenderTotalsCountUserMessagesOnly() throws {
        let msgs = makeMessages((0..<40).map { "message \($0) slap" })
        let src = ParsedMessagesSource(displayPath: "c.json", format: .telegram, chat: "grp", messages: msgs, chunkBytes: 100)
        let (sink, report) = try scan(Self.rules, [src], threads: 2)
        let users = msgs.filter { $0.kind != .system }
        #expect(report.totals.messagesBySender.values.reduce(0, +) == users.count)
        #expect(report.totals.messagesBySender[SenderChatKey(chat: "grp", sender: "ann")] == users.filter { $0.sender == "ann" }.count)
        #expect(report.totals.messagesByChat["grp"] == 40)
        // system messages are not scanned
        #expect(sink.items.count == users.count)
    }

    @Test func inputThatCannotBeOpenedIsReportedAndOthersAreStillScanned() throws {
        let good = try linesFile(30)
        let plans = try PrefilterSet.build(specs: Self.rules.prefilterSpecs(), cacheDirectory: nil)
        let runner = ScanRunner(rules: Self.rules, plans: plans, options: ScanOptions(threads: 2))
        let sink = CollectingSink()
        let inputs = [
            ScanInput(displayPath: "missing.txt", hashPath: nil, open: { throw InputError(file: "missing.txt", line: 3, reason: "truncated JSON") }),
            ScanInput(displayPath: good, hashPath: good, open: { MappedLinesSource(file: try MappedFile(path: good), displayPath: good) }),
        ]
        let report = try runner.run(inputs, sink: sink)
        #expect(report.failedInputs == 1)
        #expect(report.totals.issues.contains { $0.file == "missing.txt" && $0.line == 3 && $0.severity == .error })
        #expect(!sink.items.isEmpty)
        let rec = try #require(report.totals.sources.last)
        #expect(rec.sha256.count == 64 && rec.messages == 30)
    }

    /// Inputs that fail to open (and an empty one) among inputs of several chunks: their issues are listed where
    /// they stand among the inputs, and hits, issues and source records are the same for any thread count.
    @Test func inputsThatFailToOpenKeepTheirPlaceForAnyThreadCount() throws {
        var files = try (0..<5).map { try linesFile(300 + 97 * $0) }
        // Inputs 0 and 3 end with a chunk that is not valid UTF-8 (an error issue from their last chunk).
        for k in [0, 3] {
            var bytes = try Data(contentsOf: URL(fileURLWithPath: files[k]))
            bytes.append(contentsOf: [0x62, 0x61, 0x64, 0xFF, 0x0A])
            files[k] = try temporaryFile("", name: "bad-utf8-\(k).txt")
            try bytes.write(to: URL(fileURLWithPath: files[k]))
        }
        let empty = try temporaryFile("", name: "empty.txt")
        let plans = try PrefilterSet.build(specs: Self.rules.prefilterSpecs(), cacheDirectory: nil)
        var runs: [String] = []
        for threads in [1, 2, 3, 4] {
            var inputs: [ScanInput] = []
            for (k, f) in files.enumerated() {
                inputs.append(ScanInput(displayPath: "in\(k)", hashPath: f) {
                    MappedLinesSource(file: try MappedFile(path: f), displayPath: "in\(k)", chunkBytes: 1_000)
                })
                if k % 2 == 1 {
                    inputs.append(ScanInput(displayPath: "bad\(k)", hashPath: nil) {
                        throw InputError(file: "bad\(k)", line: k, reason: "cannot open")
                    })
                }
            }
            inputs.insert(ScanInput(displayPath: "empty", hashPath: empty) {
                MappedLinesSource(file: try MappedFile(path: empty), displayPath: "empty")
            }, at: 2)
            let runner = ScanRunner(rules: Self.rules, plans: plans, options: ScanOptions(threads: threads))
            let sink = CollectingSink()
            let report = try runner.run(inputs, sink: sink)
            #expect(report.failedInputs == 4)
            #expect(report.totals.issues.map(\.file) == ["in0", "bad1", "in3", "bad3"])
            #expect(report.totals.sources.map(\.path) == inputs.map(\.displayPath))
            let files = Set(sink.items.map(\.message.file))
            #expect(files == Set((0..<5).map { "in\($0)" }))
            let order = sink.items.map { Int($0.message.file.dropFirst(2))! }
            #expect(order == order.sorted())
            runs.append(try sink.jsonl() + "\n" + report.totals.sources.map { "\($0.path) \($0.messages) \($0.sha256)" }.joined(separator: "\n"))
        }
        #expect(Set(runs).count == 1)
    }

    @Test func inputMadeOfSeveralFilesListsEachFileWithItsOwnDigest() throws {
        let a = try linesFile(5), b = try linesFile(7)
        let plans = try PrefilterSet.build(specs: Self.rules.prefilterSpecs(), cacheDirectory: nil)
        let runner = ScanRunner(rules: Self.rules, plans: plans, options: ScanOptions(threads: 1))
        let input = ScanInput(displayPath: "thread", hashPath: nil, evidenceFiles: [a, b],
                              open: { MappedLinesSource(file: try MappedFile(path: a), displayPath: "thread") })
        let report = try runner.run([input], sink: CollectingSink())
        let rec = try #require(report.totals.sources.first)
        let da = try mappedDigest(a), db = try mappedDigest(b)
        #expect(rec.files.map(\.path) == [a, b])
        #expect(rec.files.map(\.sha256) == [da, db])
        #expect(rec.size == rec.files.reduce(0) { $0 + $1.size })
        let listing = Array("\(da)  \(a)\n\(db)  \(b)\n".utf8)
        #expect(rec.sha256 == listing.withUnsafeBytes { MappedFile.sha256($0) })
    }

    @Test func evidenceReachedThroughASymbolicLinkIsSizedAndHashedAsTheFileItPointsTo() throws {
        let target = try linesFile(40)
        let link = target + ".link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        defer { try? FileManager.default.removeItem(atPath: link) }
        let plans = try PrefilterSet.build(specs: Self.rules.prefilterSpecs(), cacheDirectory: nil)
        let runner = ScanRunner(rules: Self.rules, plans: plans, options: ScanOptions(threads: 1))
        let input = ScanInput(displayPath: link, hashPath: link,
                              open: { MappedLinesSource(file: try MappedFile(path: link), displayPath: link) })
        let report = try runner.run([input], sink: CollectingSink())
        let rec = try #require(report.totals.sources.first)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: target)[.size] as? Int)
        #expect(size > 100)
        #expect(rec.size == size)
        #expect(report.totals.bytes == size)
        #expect(rec.sha256 == (try mappedDigest(target)))
    }

    @Test func evidenceIsNotHashedWhenNoOutputRecordsTheHashButIsScannedTheSame() throws {
        let path = try linesFile(30)
        let plans = try PrefilterSet.build(specs: Self.rules.prefilterSpecs(), cacheDirectory: nil)
        func run(hashing: Bool) throws -> (ScanReport, CollectingSink) {
            var options = ScanOptions(threads: 2)
            options.hashEvidence = hashing
            let sink = CollectingSink()
            let input = ScanInput(displayPath: path, hashPath: path,
                                  open: { MappedLinesSource(file: try MappedFile(path: path), displayPath: path) })
            return (try ScanRunner(rules: Self.rules, plans: plans, options: options).run([input], sink: sink), sink)
        }
        let (hashed, hashedHits) = try run(hashing: true)
        let (plain, plainHits) = try run(hashing: false)
        #expect(hashed.totals.sources.first?.sha256 == (try mappedDigest(path)))
        let rec = try #require(plain.totals.sources.first)
        #expect(rec.sha256.isEmpty && rec.files.isEmpty)
        #expect(rec.size == hashed.totals.sources.first?.size && rec.messages == 30)
        #expect(!plainHits.items.isEmpty)
        #expect(plainHits.hitLines == hashedHits.hitLines)
    }

    /// SHA-256 of a file through its mapping (kept alive while it is read).
    func mappedDigest(_ path: String) throws -> String {
        let file = try MappedFile(path: path)
        return withExtendedLifetime(file) { MappedFile.sha256(file.bytes) }
    }

    @Test func sha256OfMappedFileMatchesKnownDigest() throws {
        let path = try temporaryFile("abc")
        #expect(try mappedDigest(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(MappedFile.sha256(path: path)?.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func sha256HashedInWindowsEqualsTheDigestOfTheWholeMappedFile() throws {
        // 32 MiB + 3 bytes: two full 16 MiB windows and a short third one; every byte position differs.
        let count = (32 << 20) + 3
        var bytes = [UInt8](repeating: 0, count: count)
        for i in 0..<count { bytes[i] = UInt8(truncatingIfNeeded: i ^ (i >> 8) ^ (i >> 16)) }
        let path = try temporaryFile("")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let hashed = try #require(MappedFile.sha256(path: path))
        #expect(hashed.size == count)
        #expect(hashed.sha256 == (try mappedDigest(path)))
        // Flipping the last byte changes the digest (the short window is hashed too).
        bytes[count - 1] ^= 1
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(MappedFile.sha256(path: path)?.sha256 != hashed.sha256)
        #expect(MappedFile.sha256(path: path + ".missing") == nil)
    }

    @Test func sha256OfAnEmptyFileIsTheEmptyDigest() throws {
        let path = try temporaryFile("")
        let hashed = try #require(MappedFile.sha256(path: path))
        #expect(hashed.size == 0)
        #expect(hashed.sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
