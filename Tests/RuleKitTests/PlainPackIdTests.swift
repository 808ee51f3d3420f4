import Foundation
@testable import RuleKit
import TestScratch
import Testing

/// The packs recorded for rule files given one by one: plain `--patterns`/`--keywords` files and keyword lists given
/// alone get short ids that are never paths, distinct for distinct files, and hashes of their name and content only.
@Suite struct PlainPackIdTests {
    static let keywordList = "# id: HAR-0900\n# title: t\n# category: harassment\n# severity: low\nidiot\n"

    static func write(_ text: String, _ relative: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test("two plain keyword files with the same name in different folders are two packs, ids in step with K-N and K2-N")
    func sameFileNameInTwoFoldersGivesTwoPackIds() throws {
        let dir = try TestScratch.directory("plain-ids")
        let a = try Self.write("idiot\n", "a/kw.txt", in: dir), b = try Self.write("idiot\n", "b/kw.txt", in: dir)
        let p = try Self.write("moron\n", "a/kw.pcre", in: dir)
        let set = try RuleLoader.loadPlainFiles(patterns: [p], keywords: [a, b], ignoreCase: false)
        #expect(set.packs.map(\.id) == ["patterns", "keywords", "keywords-2"])
        #expect(set.packs.map(\.path) == [p, a, b])
        #expect(set.rules.map { "\($0.id) \($0.pack)" } == ["P-1 patterns", "K-1 keywords", "K2-1 keywords-2"])
        // The same name and bytes hash alike wherever the file is: the manifest's hash pins content, not location.
        #expect(set.packs[1].sha256 == set.packs[2].sha256)
        #expect(set.packs[1].sha256 == RuleLoader.hash(files: ["kw.txt"].map { dir.appendingPathComponent("a/" + $0).path },
                                                         root: dir.appendingPathComponent("a").path))
    }

    @Test("a keyword list given alone is recorded as a pack of that file named after its folder")
    func keywordListGivenAloneIsRecorded() throws {
        let dir = try TestScratch.directory("lone-list")
        let path = try Self.write(Self.keywordList, "lists/hl.txt", in: dir)
        let set = try RuleLoader.load(paths: [path])
        #expect(set.rules.map(\.pack) == ["lists"])
        #expect(set.packs.map { "\($0.id) \($0.path) \($0.rules)" } == ["lists \(path) 1"])
        #expect(RuleLoader.folderName(of: "kw.txt") == URL(fileURLWithPath: FileManager.default.currentDirectoryPath).lastPathComponent)
        #expect(RuleLoader.folderName(of: "./x/../lists/hl.txt") == "lists")
    }
}

@Suite struct PlainPackIdCommandLineTests {
    @Test("scan records plain files and a lone keyword list by short distinct ids, relative paths, location-free hashes")
    func manifestRulePacksOfPlainFiles() throws {
        let cli = try ChatSieveBinary()
        try cli.write("a/kw.txt", "idiot\n")
        try cli.write("b/kw.txt", "moron\n")
        try cli.write("lists/hl.txt", PlainPackIdTests.keywordList)
        try cli.write("chat.txt", "you idiot moron\n")
        func packs(_ args: [String]) throws -> [[String: Any]] {
            let r = try cli.run(["scan", "chat.txt", "--format", "lines", "--jsonl", "out.jsonl", "--no-cache", "--quiet"] + args)
            #expect(r.status == 0, "\(r.err)")
            return try cli.json("out.manifest.json")["rule_packs"] as? [[String: Any]] ?? []
        }
        let relative = try packs(["--keywords", "a/kw.txt", "--keywords", "b/kw.txt", "--rules", "lists/hl.txt"])
        #expect(relative.map { "\($0["id"] ?? "") \($0["path"] ?? "")" } == ["lists lists/hl.txt", "keywords a/kw.txt", "keywords-2 b/kw.txt"])
        let absolute = try packs(["--keywords", cli.path("a/kw.txt"), "--keywords", "b/kw.txt", "--rules", cli.path("lists/hl.txt")])
        #expect(absolute.map { $0["id"] as? String ?? "" } == ["lists", "keywords", "keywords-2"])
        #expect(absolute.map { $0["sha256"] as? String ?? "" } == relative.map { $0["sha256"] as? String ?? "" })
    }
}
