import ChatModel
import Foundation
import Testing
@testable import Reports

@Suite struct EvidenceAndDisclosureTests {
    func sha256sum(_ path: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sha256sum", path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        return String(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64))
    }

    @Test func manifestBesideTheOutputsRecordsRunInputsPacksOptionsAndOutputHashes() throws {
        let dir = try Fixture.tempDir()
        let jsonl = dir.appendingPathComponent("out/hits.jsonl").path, csv = dir.appendingPathComponent("out/hits.csv").path
        let html = dir.appendingPathComponent("out/report.html").path
        try Fixture.write { $0.jsonl = jsonl; $0.csv = csv; $0.html = html; $0.db = dir.appendingPathComponent("out/case.sqlite").path; $0.context = 1 }
        let m = try Manifest.load(dir.appendingPathComponent("out/hits.manifest.json").path)
        #expect(m.toolVersion == "0.1.0-test")
        #expect(m.command == ["chatsieve", "scan", "/evidence"])
        #expect(m.startedAt == "2026-11-22T00:00:00Z" && !m.endedAt.isEmpty)
        #expect(m.rulePacks.map(\.sha256) == [String(repeating: "c", count: 64)])
        #expect(m.inputs.map(\.path) == [Fixture.file, "/evidence/unit-b.zip"])
        #expect(m.inputs.map(\.size) == [900, 500])
        #expect(m.options["context"] == "1" && m.options["threads"] == "2" && m.options["redact"] == "false")
        #expect(m.totals.hits == 5 && m.totals.hitMessages == 4 && m.totals.unparsedLines == 1)
        #expect(m.outputs.map(\.kind) == ["jsonl", "csv", "html", "sqlite", "manifest"])
        for o in m.outputs where o.sha256 != nil { #expect(o.sha256 == (try sha256sum(o.path)), "\(o.kind)") }
        let stored = try CaseDatabase(path: dir.appendingPathComponent("out/case.sqlite").path).rows("SELECT manifest FROM runs")[0]["manifest"]!!
        #expect(try JSONDecoder().decode(Manifest.self, from: Data(stored.utf8)) == m)
    }

    @Test func manifestNeverContainsThePseudonymisationKey() throws {
        let dir = try Fixture.tempDir()
        try Fixture.write { $0.csv = dir.appendingPathComponent("h.csv").path; $0.pseudonymiseKey = "s3cret-key" }
        let text = try Fixture.read(dir.appendingPathComponent("h.manifest.json"))
        #expect(!text.contains("s3cret-key"))
        #expect(text.contains("\"pseudonymise\" : \"true\""))
    }

    @Test func atomicWritesLeaveNoTemporaryFiles() throws {
        let dir = try Fixture.tempDir()
        try Fixture.write { $0.jsonl = dir.appendingPathComponent("h.jsonl").path; $0.csv = dir.appendingPathComponent("h.csv").path
            $0.html = dir.appendingPathComponent("r.html").path; $0.db = dir.appendingPathComponent("c.sqlite").path }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(names == ["c.sqlite", "h.csv", "h.jsonl", "h.manifest.json", "r.html"])
    }

    @Test func outputToDevNullWritesThroughAndLeavesTheDeviceInPlace() throws {
        let out = try AtomicOutput(path: "/dev/null")
        try out.write("{\"hit\":1}\n")
        #expect(out.sha256 == nil, "bytes thrown away have no digest to check")
        try out.commit()
        var st = stat()
        #expect(stat("/dev/null", &st) == 0)
        #expect(st.st_mode & S_IFMT == S_IFCHR)
        #expect(!FileManager.default.fileExists(atPath: "/dev/null.manifest.json"))
        #expect(ReportOptions(jsonl: "/dev/null", run: Fixture.run).manifestPath == nil)
    }

    @Test func evidenceHashesAreNeededOnlyWhenAManifestHTMLOrDatabaseIsWritten() {
        #expect(!ReportOptions(jsonl: "/dev/null", run: Fixture.run).recordsEvidenceHashes)
        #expect(!ReportOptions(jsonl: "-", run: Fixture.run).recordsEvidenceHashes)
        #expect(!ReportOptions(run: Fixture.run).recordsEvidenceHashes)
        #expect(ReportOptions(jsonl: "out/hits.jsonl", run: Fixture.run).recordsEvidenceHashes)
        #expect(ReportOptions(jsonl: "-", manifest: "run.manifest.json", run: Fixture.run).recordsEvidenceHashes)
        #expect(ReportOptions(jsonl: "/dev/null", html: "/dev/null", run: Fixture.run).recordsEvidenceHashes)
        #expect(ReportOptions(db: "case.sqlite", run: Fixture.run).recordsEvidenceHashes)
    }

    @Test func outputToAFIFOIsStreamedIntoItNotRenamedOverIt() throws {
        let dir = try Fixture.tempDir()
        let fifo = dir.appendingPathComponent("pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let received = ReceivedBytes()
        let reader = Thread {
            if let h = FileHandle(forReadingAtPath: fifo) { received.set(h.readDataToEndOfFile()) }
        }
        reader.start()
        let out = try AtomicOutput(path: fifo)
        try out.write("line one\n")
        #expect(out.sha256 == sha256Hex(Data("line one\n".utf8)), "a pipe's reader may keep the stream: it gets a digest")
        try out.commit()
        while !received.done { usleep(1000) }
        #expect(String(decoding: received.data, as: UTF8.self) == "line one\n")
        var st = stat()
        #expect(stat(fifo, &st) == 0 && st.st_mode & S_IFMT == S_IFIFO)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["pipe"])
    }

    @Test func abortedOutputLeavesTheOldFileAndNoTemporaryFile() throws {
        let dir = try Fixture.tempDir()
        let path = dir.appendingPathComponent("keep.txt").path
        try AtomicOutput.write(Data("old".utf8), to: path)
        let out = try AtomicOutput(path: path)
        try out.write("new half-written")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).count == 2)   // temp file exists meanwhile
        out.abort()
        #expect(try Fixture.read(URL(fileURLWithPath: path)) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["keep.txt"])
    }

    @Test func maskKeepsTheFirstLetterOfEachWordAndTheByteLayout() {
        #expect(Redactor.mask("idiot") == "i****")
        #expect(Redactor.mask("hurt you") == "h*** y**")
        #expect(Redactor.mask("Müll").utf8.count == "Müll".utf8.count)
        #expect(Redactor.mask("Müll") == "M****")   // ü is two bytes, so two stars
    }

    @Test func redactionMasksMatchedWordsInEveryOutput() throws {
        let dir = try Fixture.tempDir()
        let paths = ["jsonl", "csv", "html"].map { dir.appendingPathComponent("out.\($0)").path }
        let db = dir.appendingPathComponent("c.sqlite").path
        let w = try Fixture.write { $0.jsonl = paths[0]; $0.csv = paths[1]; $0.html = paths[2]; $0.db = db; $0.redact = true; $0.context = 2 }
        for p in paths {
            let text = try Fixture.read(URL(fileURLWithPath: p))
            for word in ["an idiot", "total moron", "hurt you", "know where you live", "\"idiot\"", ",idiot,"] { #expect(!text.contains(word), "\(word) in \(p)") }
            #expect(text.contains("i****"), "\(p)")
        }
        let html = try Fixture.read(URL(fileURLWithPath: paths[2]))
        #expect(html.contains("I will <mark class=\"m-critical\" title=\"threat.hurt\">h*** y**</mark> tonight"))
        #expect(html.contains("what an <mark class=\"m-medium\" title=\"insult.idiot\">i****</mark>, total"))
        let jsonl = try Fixture.read(URL(fileURLWithPath: paths[0]))
        #expect(jsonl.contains("\"text\":\"what an i****, total m****\""))   // also as context of the threat hit
        let stored = try CaseDatabase(path: db).rows("SELECT text FROM messages UNION ALL SELECT match FROM hits").compactMap { $0["text"] ?? nil }
        #expect(!stored.joined().contains("idiot") && !stored.isEmpty)
        #expect(w.manifest?.options["redact"] == "true")
    }

    @Test func redactionMasksKnownTermsInContextMessagesAsWholeWordsOnly() {
        let r = Redactor(terms: ["idiot"])
        #expect(r.redact("what an IDIOT you are") == "what an I**** you are")
        #expect(r.redact("idiots and idiot") == "idiots and i****")
    }

    @Test func pseudonymsAreStablePerKeyAndDifferAcrossKeys() {
        let a = Pseudonymiser(key: "case-17"), b = Pseudonymiser(key: "case-18")
        #expect(a.pseudonym("Alice") == a.pseudonym("Alice"))
        #expect(a.pseudonym("Alice").range(of: #"^Sender-[0-9a-f]{8}$"#, options: .regularExpression) != nil)
        #expect(a.pseudonym("Alice") != a.pseudonym("Bob"))
        #expect(a.pseudonym("Alice") != b.pseudonym("Alice"))
        #expect(Pseudonymiser(key: nil).pseudonym("Alice") == "Alice")
        // HMAC-SHA256("case-17", "Alice"), first 4 bytes (checked with: printf Alice | openssl dgst -sha256 -hmac case-17)
        #expect(a.pseudonym("Alice") == "Sender-" + Self.opensslHMAC(key: "case-17", message: "Alice").prefix(8))
    }

    static func opensslHMAC(key: String, message: String) -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "printf '%s' \"$1\" | openssl dgst -sha256 -hmac \"$2\" | sed 's/.*= //'", "sh", message, key]
        let out = Pipe()
        p.standardOutput = out
        try? p.run()
        p.waitUntilExit()
        return String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    @Test func pseudonymsReplaceWholeNamesInsideChatNamesAndFilePaths() throws {
        let p = Pseudonymiser(key: "k")
        #expect(p.chatName("Alpha Team with Al", senders: ["Al", "Bob"]) == "Alpha Team with \(p.pseudonym("Al"))")
        #expect(p.chatName("Bobby and Bob", senders: ["Al", "Bob"]) == "Bobby and \(p.pseudonym("Bob"))")
        #expect(Pseudonymiser(key: nil).chatName("Chat with Bob", senders: ["Bob"]) == "Chat with Bob")

        let dir = try Fixture.tempDir()
        var items = Fixture.items
        var totals = Fixture.totals
        let named = "/evidence/WhatsApp Chat with Dave.txt"
        items[3].message.file = named
        items[3].hits = items[3].hits.map { var h = $0; h.file = named; return h }
        items[3].before = items[3].before.map { var m = $0; m.file = named; return m }
        items[3].after = items[3].after.map { var m = $0; m.file = named; return m }
        totals.sources[1].path = named
        let db = dir.appendingPathComponent("c.sqlite").path
        let w = try Fixture.write({ $0.jsonl = dir.appendingPathComponent("h.jsonl").path; $0.db = db; $0.pseudonymiseKey = "k" },
                                  items: items, totals: totals)
        let hidden = "/evidence/WhatsApp Chat with \(p.pseudonym("Dave")).txt"
        #expect(try Fixture.read(dir.appendingPathComponent("h.jsonl")).contains(hidden))
        #expect(w.manifest!.inputs[1].path == hidden)
        let rows = try CaseDatabase(path: db).rows("SELECT DISTINCT s.path AS p FROM messages m JOIN sources s ON s.id = m.source_id ORDER BY p")
        #expect(rows.map { $0["p"]! } == [hidden, Fixture.file])     // messages found their (renamed) source
    }

    @Test func pseudonymsReplaceSenderNamesInEveryOutput() throws {
        let dir = try Fixture.tempDir()
        let paths = ["jsonl", "csv", "html"].map { dir.appendingPathComponent("out.\($0)").path }
        let db = dir.appendingPathComponent("c.sqlite").path
        var items = Fixture.items
        items[0].message.chat = "Chat with Carol"
        let w = try Fixture.write({ $0.jsonl = paths[0]; $0.csv = paths[1]; $0.html = paths[2]; $0.db = db; $0.context = 3
            $0.pseudonymiseKey = "case-17" }, items: items)
        let bob = Pseudonymiser(key: "case-17").pseudonym("Bob"), carol = Pseudonymiser(key: "case-17").pseudonym("Carol")
        for p in paths {
            let text = try Fixture.read(URL(fileURLWithPath: p))
            for name in ["Alice", "Bob", "Dave"] { #expect(!text.contains(name), "\(name) in \(p)") }
            #expect(text.contains(bob))
            #expect(text.contains("Chat with \(carol)"))
        }
        let senders = try CaseDatabase(path: db).rows("SELECT DISTINCT sender FROM messages WHERE sender IS NOT NULL").compactMap { $0["sender"] ?? nil }
        #expect(senders.allSatisfy { $0.hasPrefix("Sender-") })
        #expect(w.summary!.senders.first?.sender == bob)
        #expect(w.summary!.senders.first?.messages == 3)     // totals keyed by the same pseudonym
        #expect(w.summary!.endorsements.contains { $0.endorser == carol })
    }
}

/// Bytes read by a background thread, handed over under a lock.
final class ReceivedBytes: @unchecked Sendable {
    private let lock = NSLock()
    private var _data = Data()
    private var _done = false
    var data: Data { lock.lock(); defer { lock.unlock() }; return _data }
    var done: Bool { lock.lock(); defer { lock.unlock() }; return _done }
    func set(_ d: Data) { lock.lock(); _data = d; _done = true; lock.unlock() }
}
