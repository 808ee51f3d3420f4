import ChatModel
import Foundation
import TestScratch
import RuleKit
import Testing

/// Small rule files and a small corpus in a temp dir; the corpus file holds `Sender: text` lines.
private struct DiffBench {
    let dir: String

    init() throws {
        dir = try TestScratch.directory("rulediff").path
    }

    /// Writes one rule file (rule blocks indented as list items under `rules:`) and loads + compiles it.
    func rules(_ name: String, _ blocks: String...) throws -> CompiledRuleSet {
        let text = "schema: chatsieve.rules/v1\npack: {id: diffpack, version: 1.0.0}\nrules:\n" + blocks.joined(separator: "\n")
        let path = dir + "/" + name + ".yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try CompiledRuleSet(try RuleLoader.load(paths: [path]))
    }

    /// Writes the corpus and reads it back as messages (`Sender: text` per line, line numbers 1-based).
    func corpus(_ lines: [String]) throws -> [Message] {
        let path = dir + "/chat.txt"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let read = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        return read.enumerated().map { i, l in
            let parts = l.split(separator: ":", maxSplits: 1)
            let sender = parts.count == 2 ? String(parts[0]) : nil
            let text = parts.count == 2 ? String(parts[1].dropFirst()) : String(l)
            return Message(file: path, chat: "test chat", sender: sender, timestamp: nil, text: text,
                           kind: sender == "SYSTEM" ? .system : .text, line: i + 1, lineEnd: i + 1,
                           byteStart: 0, byteEnd: 0, messageIndex: i, format: .lines)
        }
    }

    func diff(_ old: CompiledRuleSet, _ new: CompiledRuleSet, _ messages: [Message],
              examples: Int = 3, profile: Bool = false) -> RuleDiffReport {
        let d = RuleDiffer(old: old, new: new, examplesPerRule: examples, profile: profile)
        for m in messages { d.add(m) }
        return d.report()
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: dir) }
}

private func rule(_ id: String, category: String = "violence", severity: String = "high", pattern: String,
                  example: String, extra: String = "") -> String {
    """
      - id: \(id)
        title: Rule \(id)
        category: \(category)
        severity: \(severity)
        patterns: ['\(pattern)']
    \(extra)    tests:
          match: ["\(example)"]
    """
}

private let stabCorpus = [
    "Alice: i will stab you tonight",
    "Bob: stabbing on the high street, suspect reported",
    "Carol: stab wound reported at A&E",
    "SYSTEM: Alice stabbed the group icon",
    "Dave: you absolute loser",
    "Alice: stab u lol",
]

@Suite struct RuleDiffTests {
    @Test func tightenedPatternLosesHitsAndKeepsTheRest() throws {
        let b = try DiffBench(); defer { b.cleanUp() }
        let old = try b.rules("old", rule("VIO-0001", pattern: "\\bstab\\w*", example: "stab"))
        let new = try b.rules("new", rule("VIO-0001", pattern: "\\bstab\\s+(?:you|u)\\b", example: "stab you"))
        let r = b.diff(old, new, try b.corpus(stabCorpus))
        #expect(r.messages == 5)   // the system message is not scannable
        let e = try #require(r.rules.first)
        #expect(e.status == .changed && e.changes == ["patterns", "tests"])   // the example changed too
        #expect(e.counts == DiffCounts(gained: 0, lost: 2, unchanged: 2, severityChanged: 0))
        #expect(e.lostExamples.map(\.match) == ["stabbing", "stab"])
        #expect(e.lostExamples.map(\.location) == [b.dir + "/chat.txt:2", b.dir + "/chat.txt:3"])
        #expect(e.lostExamples.map(\.sender) == ["Bob", "Carol"])
        #expect(r.totals.old == 4 && r.totals.new == 2)
        #expect(r.categories == [GroupDiff(name: "violence", counts: e.counts)])
        #expect(r.senders.map(\.name) == ["Bob", "Carol", "Alice"])
        #expect(r.oldMessagesHit == 4 && r.newMessagesHit == 2)
    }

    @Test func newRuleGainsHitsWithExamplesAndSenders() throws {
        let b = try DiffBench(); defer { b.cleanUp() }
        let stab = rule("VIO-0001", pattern: "\\bstab\\w*", example: "stab")
        let old = try b.rules("old", stab)
        let new = try b.rules("new", stab, rule("HAR-0001", category: "harassment", severity: "low",
                                                 pattern: "\\bloser\\b", example: "loser"))
        let r = b.diff(old, new, try b.corpus(stabCorpus))
        let har = try #require(r.rules.first { $0.id == "HAR-0001" })
        #expect(har.status == .added && har.old == nil && har.new?.hits == 1)
        #expect(har.counts.gained == 1 && har.counts.lost == 0)
        let x = try #require(har.gainedExamples.first)
        #expect(x.sender == "Dave" && x.line == 5 && x.match == "loser" && x.severity == .low)
        #expect(x.excerpt == "you absolute loser" && x.textStart == 13 && x.textEnd == 18)
        #expect(r.rules.first { $0.id == "VIO-0001" }?.status == .unchanged)
        #expect(r.categories.first { $0.name == "harassment" }?.counts.gained == 1)
        #expect(r.senders.first == GroupDiff(name: "Dave", counts: DiffCounts(gained: 1)))
        #expect(r.count(.added) == 1 && r.newRules == 2 && r.oldRules == 1)
    }

    @Test func renamedRuleShowsAsRemovedPlusAddedWithTheSameContent() throws {
        let b = try DiffBench(); defer { b.cleanUp() }
        let old = try b.rules("old", rule("VIO-0001", pattern: "\\bstab\\w*", example: "stab"))
        let new = try b.rules("new", rule("VIO-0007", pattern: "\\bstab\\w*", example: "stab"))
        let r = b.diff(old, new, try b.corpus(stabCorpus))
        #expect(r.rules.map(\.id) == ["VIO-0001", "VIO-0007"])
        #expect(r.rules.map(\.status) == [.removed, .added])
        #expect(r.rules.map(\.sameContentAs) == ["VIO-0007", "VIO-0001"])
        #expect(r.rules[0].counts.lost == 4 && r.rules[1].counts.gained == 4)
        #expect(r.totals == DiffCounts(gained: 4, lost: 4, unchanged: 0, severityChanged: 0))
    }

    @Test func severityChangeIsReportedPerRuleAndPerPair() throws {
        let b = try DiffBench(); defer { b.cleanUp() }
        let old = try b.rules("old", rule("VIO-0001", severity: "high", pattern: "\\bstab\\w*", example: "stab"))
        let new = try b.rules("new", rule("VIO-0001", severity: "critical", pattern: "\\bstab\\w*", example: "stab"))
        let r = b.diff(old, new, try b.corpus(stabCorpus), examples: 2)
        let e = try #require(r.rules.first)
        #expect(e.status == .changed && e.changes == ["severity"])
        #expect(e.oldSeverity == .high && e.newSeverity == .critical)
        #expect(e.counts == DiffCounts(gained: 0, lost: 0, unchanged: 4, severityChanged: 4))
        #expect(e.severityExamples.count == 2 && e.severityExamples.allSatisfy { $0.oldSeverity == .high && $0.severity == .critical })
        #expect(r.severityTransitions == [SeverityTransition(from: .high, to: .critical, count: 4)])
    }

    @Test func addedExceptionsSuppressOrDowngradeHits() throws {
        let b = try DiffBench(); defer { b.cleanUp() }
        let old = try b.rules("old", rule("VIO-0001", pattern: "\\bstab\\w*", example: "stab you"))
        let extra = """
                exceptions:
                  - {id: x_wound, regex: '\\bwound\\b', scope: message}
                  - {id: x_reported, regex: '\\breported\\b', scope: message, action: {downgrade_to: low}}

            """
        let new = try b.rules("new", rule("VIO-0001", pattern: "\\bstab\\w*", example: "stab you", extra: extra))
        let r = b.diff(old, new, try b.corpus(stabCorpus))
        let e = try #require(r.rules.first)
        #expect(e.changes == ["exceptions"])
        #expect(e.counts == DiffCounts(gained: 0, lost: 1, unchanged: 3, severityChanged: 1))
        #expect(e.lostExamples.first?.line == 3)
        #expect(e.severityExamples.first?.line == 2 && e.severityExamples.first?.severity == .low)
        #expect(r.severityTransitions == [SeverityTransition(from: .high, to: .low, count: 1)])
    }

    @Test func jsonReportRoundTrips() throws {
        let b = try DiffBench(); defer { b.cleanUp() }
        let old = try b.rules("old", rule("VIO-0001", pattern: "\\bstab\\w*", example: "stab"))
        let new = try b.rules("new", rule("VIO-0002", pattern: "\\bstab\\s+you\\b", example: "stab you"),
                              rule("HAR-0001", category: "harassment", pattern: "\\bloser\\b", example: "loser"))
        let r = b.diff(old, new, try b.corpus(stabCorpus), profile: true)
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys]
        let data = try enc.encode(r)
        let back = try JSONDecoder().decode(RuleDiffReport.self, from: data)
        #expect(back == r)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["messages"] as? Int == 5)
        #expect((object["rules"] as? [[String: Any]])?.map { $0["id"] as? String } == ["HAR-0001", "VIO-0001", "VIO-0002"])
    }

    @Test func reportOrderDoesNotDependOnRuleOrderOrRuns() throws {
        let b = try DiffBench(); defer { b.cleanUp() }
        let a = try b.rules("a", rule("VIO-0001", pattern: "\\bstab\\w*", example: "stab"),
                            rule("HAR-0001", category: "harassment", pattern: "\\bloser\\b", example: "loser"),
                            rule("HAR-0002", category: "harassment", pattern: "\\babsolute\\b", example: "absolute"))
        var reversedSet = a.ruleSet; reversedSet.rules.reverse()
        let reversed = try CompiledRuleSet(reversedSet)
        let new = try b.rules("n", rule("VIO-0001", pattern: "\\bstab\\s+(?:you|u)\\b", example: "stab you"))
        let messages = try b.corpus(stabCorpus)
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys]
        let first = try enc.encode(b.diff(a, new, messages))
        #expect(try enc.encode(b.diff(a, new, messages)) == first)
        #expect(try enc.encode(b.diff(reversed, new, messages)) == first)
        let r = b.diff(a, new, messages)
        #expect(r.rules.map(\.id) == ["HAR-0001", "HAR-0002", "VIO-0001"])
        #expect(r.categories.map(\.name) == ["harassment", "violence"])
    }

    @Test func threadedBatchesGiveTheSameReportAsOneThread() throws {
        let b = try DiffBench(); defer { b.cleanUp() }
        let old = try b.rules("old", rule("VIO-0001", pattern: "\\bstab\\w*", example: "stab"),
                              rule("HAR-0001", category: "harassment", severity: "low", pattern: "\\bloser\\b", example: "loser"))
        let new = try b.rules("new", rule("VIO-0001", severity: "critical", pattern: "\\bstab\\s+(?:you|u)\\b", example: "stab you"),
                              rule("HAR-0002", category: "harassment", pattern: "\\babsolute\\b", example: "absolute"))
        // 3,000 messages: enough for several workers; senders vary so examples come from every slice.
        let base = try b.corpus(stabCorpus)
        var messages: [Message] = []
        for i in 0..<500 {
            for var m in base { m.sender = m.sender.map { "\($0) \(i % 7)" }; m.messageIndex = messages.count; m.line = messages.count + 1; messages.append(m) }
        }
        let single = b.diff(old, new, messages, examples: 4)
        let d = RuleDiffer(old: old, new: new, examplesPerRule: 4)
        d.add(Array(messages[..<1700]), threads: 3)
        d.add(Array(messages[1700...]), threads: 2)
        let threaded = d.report()
        #expect(threaded == single)
        #expect(single.rules.first { $0.id == "VIO-0001" }?.lostExamples.map(\.line) == [2, 3, 8, 9])
        #expect(single.totals.old == 2500 && single.messages == 2500)
    }

    @Test func profilingTimesEveryRuleAndFindsTheSameHits() throws {
        let b = try DiffBench(); defer { b.cleanUp() }
        let old = try b.rules("old", rule("VIO-0001", pattern: "\\bstab\\w*", example: "stab"))
        let new = try b.rules("new", rule("VIO-0001", pattern: "\\bstab\\s+(?:you|u)\\b", example: "stab you"),
                              rule("HAR-0001", category: "harassment", pattern: "\\bloser\\b", example: "loser"))
        let messages = try b.corpus(stabCorpus)
        let plain = b.diff(old, new, messages), profiled = b.diff(old, new, messages, profile: true)
        #expect(profiled.profiled && !plain.profiled)
        #expect(profiled.rules.allSatisfy { ($0.old == nil || $0.old?.nanoseconds != nil) && ($0.new == nil || $0.new?.nanoseconds != nil) })
        #expect(plain.rules.allSatisfy { $0.old?.nanoseconds == nil && $0.new?.nanoseconds == nil })
        #expect(profiled.rules.map(\.counts) == plain.rules.map(\.counts))
        #expect(profiled.rules.map { $0.new?.hits } == plain.rules.map { $0.new?.hits })
    }

    @Test func categoryMoveCountsThePairAsLeavingOneCategoryAndJoiningTheOther() throws {
        let b = try DiffBench(); defer { b.cleanUp() }
        func set(_ category: String) throws -> CompiledRuleSet {
            try CompiledRuleSet(RuleSet(rules: [Rule(id: "HAR-0001", title: "loser", category: category, severity: .low,
                                                     patterns: [RulePattern(id: "p1", regex: "\\bloser\\b", flags: [.caseless])],
                                                     pack: "p")], packs: []))
        }
        let r = b.diff(try set("harassment"), try set("misogyny"), try b.corpus(stabCorpus))
        #expect(r.rules.first?.status == .changed && r.rules.first?.changes == ["category"])
        #expect(r.rules.first?.counts == DiffCounts(unchanged: 1))
        #expect(r.categories == [GroupDiff(name: "harassment", counts: DiffCounts(lost: 1)),
                                 GroupDiff(name: "misogyny", counts: DiffCounts(gained: 1))])
    }

    @Test func patternRunsStoppedByPCRE2LimitsAreCountedNotHits() throws {
        let b = try DiffBench(); defer { b.cleanUp() }
        let old = try b.rules("old", rule("VIO-0001", pattern: "\\bstab\\w*", example: "stab"))
        let slowRule = Rule(id: "HAR-0099", title: "slow", category: "harassment", severity: .low,
                            patterns: [RulePattern(id: "p1", regex: "(?:\\w+\\s?)*\\bmate\\b", flags: [.caseless])], pack: "p")
        let new = try CompiledRuleSet(RuleSet(rules: old.ruleSet.rules + [slowRule], packs: []), limits: MatchLimits(matchLimit: 2_000))
        let r = b.diff(old, new, try b.corpus(["Alice: " + String(repeating: "here we go ", count: 20) + "pal"]))
        let slow = try #require(r.rules.first { $0.id == "HAR-0099" })
        #expect(slow.new?.limitEvents == 1, "\(String(describing: slow.new))")
        #expect(slow.new?.hits == 0 && slow.counts.gained == 0)
    }

    @Test func changedPartsIgnoreSourceLocations() throws {
        var a = Rule(id: "VIO-0001", title: "t", category: "violence", severity: .high,
                     patterns: [RulePattern(id: "p1", regex: "x", flags: [.caseless], location: SourceLocation(file: "a", line: 1, column: 1))],
                     pack: "p")
        var c = a
        c.patterns[0].location = SourceLocation(file: "b", line: 9, column: 9)
        c.location = SourceLocation(file: "b", line: 8, column: 1)
        #expect(RuleDiffer.changedParts(a, c).isEmpty)
        a.patterns[0].flags = []
        a.title = "other"
        #expect(RuleDiffer.changedParts(a, c) == ["title", "patterns"])
    }
}
