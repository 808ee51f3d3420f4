import Foundation
import Reports
import TestScratch
import Testing

/// `chatsieve scan` as a user runs it: the built debug binary on small exports written by the test.
@Suite struct ScanCommandTests {
    /// Runs `chatsieve scan` with `args` in `dir`; returns the exit status, stdout and stderr.
    func scan(_ args: [String], in dir: URL) throws -> (status: Int32, out: String, err: String) {
        try chatsieve(["scan"] + args, in: dir)
    }

    /// Runs the binary with `args` (a subcommand first) in `dir`, with a cache folder of the test's own.
    func chatsieve(_ args: [String], in dir: URL) throws -> (status: Int32, out: String, err: String) {
        try BuiltBinary.run(args, in: dir, environment: ["XDG_CACHE_HOME": dir.appendingPathComponent("cache").path])
    }

    func write(_ text: String, to name: String, in dir: URL) throws {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    static let chat = "01/02/2020, 10:00 - Alice: you idiot\n13/02/2020, 10:01 - Bob: ok\n"

    @Test func anOutputThatIsAnInputIsRefusedAndTheEvidenceIsLeftAsItWas() throws {
        let dir = try TestScratch.directory("scan-cli")
        try write(Self.chat, to: "chat.txt", in: dir)
        try write("idiot\n", to: "p.pcre", in: dir)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("link.csv").path, withDestinationPath: "chat.txt")
        for option in [["--jsonl", "chat.txt"], ["--csv", "link.csv"], ["--html", "./chat.txt"], ["--db", "chat.txt"]] {
            let r = try scan(["chat.txt", "--patterns", "p.pcre", "--quiet"] + option, in: dir)
            #expect(r.status == 2, "\(option)")
            #expect(r.err.contains("\(option[0]) \(option[1]) is chat.txt, an input of this scan"), "\(r.err)")
            #expect(try String(contentsOf: dir.appendingPathComponent("chat.txt"), encoding: .utf8) == Self.chat)
        }
        // The manifest named after the first output is an output too.
        try write(Self.chat, to: "hits.manifest.json", in: dir)
        let r = try scan(["hits.manifest.json", "--format", "whatsapp", "--patterns", "p.pcre", "--quiet", "--jsonl", "hits.jsonl"], in: dir)
        #expect(r.status == 2 && r.err.contains("the manifest hits.manifest.json is hits.manifest.json"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("hits.jsonl").path))
    }

    @Test func summaryLineNamesTheCountsAndRatesOfTheRun() throws {
        let dir = try TestScratch.directory("scan-cli-summary")
        try write(Self.chat, to: "chat.txt", in: dir)
        try write("idiot\n", to: "p.pcre", in: dir)
        let r = try scan(["chat.txt", "--patterns", "p.pcre", "--jsonl", "/dev/null"], in: dir)
        #expect(r.status == 0, "\(r.err)")
        let line = try #require(r.out.split(separator: "\n").first { $0.hasPrefix("scanned ") }.map(String.init), "\(r.out)")
        let shape = try Regex(#"^scanned 1 files, 0\.0 MB, 2 messages, 0 unparsed lines, 0 errors, 1 hits in 1 messages; \d+\.\d MB/s, \d+ messages/s, \d+\.\d\d s$"#)
        #expect(line.wholeMatch(of: shape) != nil, "\(line)")
    }

    @Test func badUsageExitsWithTwoAsDocumentedNotArgumentParsers64() throws {
        let dir = try TestScratch.directory("scan-cli")
        try write(Self.chat, to: "chat.txt", in: dir)
        for args in [["chat.txt", "--threads", "0"], ["chat.txt", "--min-severity", "huge"], ["chat.txt", "--no-such-option"], [],
                     ["chat.txt", "--format", "signal"]] {
            let r = try scan(args, in: dir)
            #expect(r.status == 2, "\(args): \(r.status) \(r.err)")
            #expect(!r.err.isEmpty)
        }
    }

    @Test func inputsThatCannotBeReadAreRecordedInTheManifestHTMLAndDatabaseNotOnlyOnStderr() throws {
        let dir = try TestScratch.directory("scan-cli")
        try write(Self.chat, to: "in/a-good.txt", in: dir)
        try write("", to: "in/b-empty.txt", in: dir)
        try write("PK\u{03}\u{04}garbage", to: "in/WhatsApp Chat - C.zip", in: dir)
        #expect(mkfifo(dir.appendingPathComponent("in/d-pipe.txt").path, 0o600) == 0)
        try write("idiot\n", to: "p.pcre", in: dir)
        let r = try scan(["in", "--patterns", "p.pcre", "--quiet", "--jsonl", "a.jsonl", "--html", "a.html", "--db", "a.sqlite"], in: dir)
        #expect(r.status == 1)
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: dir.appendingPathComponent("a.manifest.json")))
        // The inputs read, then the unreadable ones in walk order (sorted names: upper case first).
        #expect(manifest.inputs.map(\.path) == ["in/a-good.txt", "in/WhatsApp Chat - C.zip", "in/b-empty.txt"])
        #expect(manifest.inputs[0].error == nil && manifest.inputs[0].messages == 2)
        #expect(manifest.inputs[1].error?.hasPrefix("in/WhatsApp Chat - C.zip: error: ") == true)
        #expect(manifest.inputs[1].sha256.count == 64)
        #expect(manifest.inputs[2].error == "in/b-empty.txt: error: empty file")
        #expect(manifest.inputs[2].sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(manifest.totals.issues == 3)   // the two errors and the skipped pipe
        let html = try String(contentsOf: dir.appendingPathComponent("a.html"), encoding: .utf8)
        for name in ["b-empty.txt", "WhatsApp Chat - C.zip", "d-pipe.txt"] { #expect(html.contains(name), "\(name)") }
        let db = try CaseDatabase(path: dir.appendingPathComponent("a.sqlite").path)
        let failed = try db.rows("SELECT s.path AS p FROM run_sources r JOIN sources s ON s.id = r.source_id WHERE r.error IS NOT NULL ORDER BY s.path")
        #expect(failed.map { $0["p"]! } == ["in/WhatsApp Chat - C.zip", "in/b-empty.txt"])
        // A second run without the unreadable files does not verify as the same run.
        try FileManager.default.removeItem(at: dir.appendingPathComponent("in/b-empty.txt"))
        try FileManager.default.removeItem(at: dir.appendingPathComponent("in/WhatsApp Chat - C.zip"))
        #expect(try scan(["in", "--patterns", "p.pcre", "--quiet", "--jsonl", "b.jsonl"], in: dir).status == 0)
        #expect(try chatsieve(["verify", "a.manifest.json", "b.manifest.json"], in: dir).status == 1)
    }
}
