import Foundation
import Testing
import TestScratch

/// Runs the built `chatsieve` binary (built by `swift build --build-tests`) in a scratch folder.
struct ChatSieveBinary {
    let dir: URL

    init() throws {
        dir = try TestScratch.directory("cli")
    }

    /// Writes `text` to `name` inside the scratch folder (creating folders) and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Runs the binary with `args` from the scratch folder: exit status, stdout, stderr.
    func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
        try BuiltBinary.run(args, in: dir, environment: ["NO_COLOR": "1", "XDG_CACHE_HOME": dir.appendingPathComponent("cache").path])
    }

    /// The JSON object of a file in the scratch folder.
    func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: dir.appendingPathComponent(name))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The rule ids of the hits in a JSON Lines output, in order.
    func hitRules(_ name: String) throws -> [String] {
        let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return try #require(o["rule"] as? String)
        }
    }
}

@Suite struct RulesTestCommandTests {
    @Test func rulesTestFailsAnExampleThatHitsAPCRE2LimitInTextAndJSON() throws {
        let cli = try ChatSieveBinary()
        let slow = String(repeating: "a", count: 3000) + "!"
        try cli.write("l/r.yaml", """
            schema: chatsieve.rules/v1
            rules:
              - id: HAR-0001
                title: limit in tests
                category: harassment
                severity: low
                patterns: ['(\\w+\\s?)+$']
                tests: {match: ["ok"], no_match: ["\(slow)"]}

            """)
        let text = try cli.run(["rules", "test", "l"])
        #expect(text.status == 1)
        #expect(text.out.contains("FAIL HAR-0001 example hit a PCRE2 limit") && text.out.contains("limit:   pattern p1: "), "\(text.out)")
        let json = try cli.run(["rules", "test", "l", "--json"])
        #expect(json.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let failure = try #require((report["failures"] as? [[String: Any]])?.first)
        #expect(failure["kind"] as? String == "limit_exceeded" && failure["rule_id"] as? String == "HAR-0001")
        #expect(failure["example"] as? String == slow && (failure["limits"] as? [String])?.first?.hasPrefix("pattern p1: ") == true)
    }
}

@Suite struct ExplainCommandTests {
    @Test func explainWithTextAndFileOrLineIsAUsageError() throws {
        let cli = try ChatSieveBinary()
        try cli.write("p.pcre", "idiot\n")
        try cli.write("chat.txt", "you idiot\n")
        for extra in [["--file", "chat.txt", "--line", "1"], ["--line", "1"], ["--file", "chat.txt"]] {
            let r = try cli.run(["explain", "--patterns", "p.pcre", "some text"] + extra)
            #expect(r.status == 2, "\(extra)")
            #expect(r.err.contains("give either a TEXT or --file PATH --line N, not both") && r.out.isEmpty, "\(r.err)")
        }
        #expect(try cli.run(["explain", "--patterns", "p.pcre", "--file", "chat.txt", "--line", "1"]).out.contains("P-1 FIRED"))
    }
}

@Suite(.serialized) struct ScanRuleOptionTests {
    @Test func scanLoadsEveryPatternsFileWithDistinctIdsAndRecordsThemAll() throws {
        let cli = try ChatSieveBinary()
        try cli.write("a.pcre", "idiot\nwally\n")
        try cli.write("b.pcre", "moron\n")
        try cli.write("chat.txt", "you idiot\nwhat a moron\nwally\n")
        let r = try cli.run(["scan", "chat.txt", "--format", "lines", "--patterns", "a.pcre", "--patterns", "b.pcre",
                             "--jsonl", "out.jsonl", "--no-cache", "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        #expect(try cli.hitRules("out.jsonl").sorted() == ["P-1", "P-2", "P2-1"])
        let manifest = try cli.json("out.manifest.json")
        #expect((manifest["options"] as? [String: String])?["patterns"] == "a.pcre,b.pcre")
        let packs = (manifest["rule_packs"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        #expect(packs == ["a.pcre", "b.pcre"])
    }

    @Test func scanTakesRepeatedKeywordsFilesAndShortIgnoreCase() throws {
        let cli = try ChatSieveBinary()
        try cli.write("a.txt", "# insults\nnumpty\n")
        try cli.write("b.txt", "wally\n")
        try cli.write("p.pcre", "Moron\n")
        try cli.write("chat.txt", "NUMPTY\nwhat a moron\nwallyball\nwally\n")
        let r = try cli.run(["scan", "chat.txt", "--format", "lines", "--keywords", "a.txt", "--keywords", "b.txt",
                             "--patterns", "p.pcre", "-i", "--jsonl", "out.jsonl", "--no-cache", "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        #expect(try cli.hitRules("out.jsonl").sorted() == ["K-2", "K2-1", "P-1"])
        let options = try cli.json("out.manifest.json")["options"] as? [String: String]
        #expect(options?["keywords"] == "a.txt,b.txt" && options?["ignore_case"] == "true")
    }

    @Test func scanWithNoRulesIsAnErrorNamingTheRulePaths() throws {
        let cli = try ChatSieveBinary()
        try FileManager.default.createDirectory(atPath: cli.path("empty"), withIntermediateDirectories: true)
        try cli.write("notes/readme.md", "not rules\n")
        try cli.write("blank.pcre", "\n\n")
        try cli.write("chat.txt", "hello\n")
        for rules in [["--rules", "empty"], ["--rules", "notes", "--patterns", "blank.pcre"]] {
            let r = try cli.run(["scan", "chat.txt", "--format", "lines", "--no-cache", "--quiet"] + rules)
            #expect(r.status == 2)
            #expect(r.err.contains("no rules found in \(rules[1])"), "\(r.err)")
        }
    }
}

/// `rules lint`, `rules test` and `explain` refuse rule paths that hold no rule, as `scan` does (exit status 2).
@Suite struct NoRulesCommandTests {
    @Test("lint, test and explain on an empty folder or a blank pattern file exit 2 naming the path")
    func emptyRulePathsAreAnErrorNotAPass() throws {
        let cli = try ChatSieveBinary()
        try FileManager.default.createDirectory(atPath: cli.path("empty"), withIntermediateDirectories: true)
        try cli.write("notes/readme.md", "not rules\n")
        try cli.write("blank.pcre", "\n\n")
        for command in [["rules", "lint"], ["rules", "lint", "--json"], ["rules", "test"], ["explain", "some text", "--rules"]] {
            for (rules, named) in [(["empty"], "empty"), (["notes"], "notes"), (["--patterns", "blank.pcre"], "blank.pcre")] {
                // `explain` takes rule folders with --rules; --patterns stands alone.
                let args = command.last == "--rules" && rules[0].hasPrefix("--") ? command.dropLast() + rules : command + rules
                let r = try cli.run(Array(args))
                #expect(r.status == 2, "\(args): \(r.status) \(r.out) \(r.err)")
                #expect(r.err.contains("no rules found in \(named)"), "\(args): \(r.err)")
                #expect(!r.out.contains("0 rules") && !r.out.contains("passed"), "\(args): \(r.out)")
            }
        }
    }

    @Test("lint still reports a rule file that fails to load with exit 1, not as an empty folder")
    func aBrokenRuleFileIsLintErrorsNotNoRules() throws {
        let cli = try ChatSieveBinary()
        try cli.write("broken/r.yaml", "schema: chatsieve.rules/v1\nrules: [\n")
        let r = try cli.run(["rules", "lint", "broken"])
        #expect(r.status == 1, "\(r.out) \(r.err)")
        #expect(!r.err.contains("no rules found"))
        #expect(r.out.contains("error"))
    }
}
