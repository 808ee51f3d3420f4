import Foundation
import Reports
import TestScratch
import Testing

/// `chatsieve scan` as a user runs it: the built debug binary on small exports written by the test.
@Suite struct ScanCommandTests {
    static let binary = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/debug/chatsieve").path

    /// Runs the binary with `args` in `dir`; returns the exit status, stdout and stderr.
    func scan(_ args: [String], in dir: URL) throws -> (status: Int32, out: String, err: String) {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build the package first: \(Self.binary) is missing")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = ["scan"] + args
        p.currentDirectoryURL = dir
        var env = ProcessInfo.processInfo.environment
        env["XDG_CACHE_HOME"] = dir.appendingPathComponent("cache").path
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
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
}
