import ArgumentParser
import ChatModel
import ChatParsers
import Foundation
import RuleKit

/// `chatsieve rules diff --old OLD --new NEW CORPUS...`: what a rule change does on a corpus — (message, rule)
/// hits gained, lost and re-graded, per rule, category and sender, with example messages; `--profile` adds the
/// time spent per rule in both versions.
struct RulesDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two versions of a rule set on a corpus: hits gained, lost and re-graded.",
        discussion: """
        Both rule sets run with the reference matcher on every scannable message of the corpus; hits are compared \
        per (message, rule id). Rules are reported as added, removed (with the likely rename when an added rule has \
        the same patterns), changed (with the parts that differ) or unchanged. Repeat --old/--new for several \
        packs or files. --old-git REV takes the shipped rules/ folder at a git revision instead of --old; \
        without --new the shipped rules are the new side. Exit 0 whatever changed (1 if an input could not be read, \
        2 if rules do not load).
        """
    )

    @Option(name: .customLong("old"), help: "Old rule files or pack folders (repeatable).")
    var oldPaths: [String] = []

    @Option(name: .customLong("new"), help: "New rule files or pack folders (repeatable; default: the shipped rules).")
    var newPaths: [String] = []

    @Option(name: .customLong("old-git"), help: "Use the shipped rules/ folder at this git revision as the old side.")
    var oldGit: String?

    @Argument(help: "Chat exports or folders to compare on.")
    var corpus: [String]

    @Option(help: "Force the format: whatsapp, messenger, messenger-e2ee, instagram, telegram or lines.")
    var format: String?

    @Option(help: "Order of day, month and year in WhatsApp dates: dmy, mdy or ymd.")
    var dateOrder: String?

    @Option(help: "Example messages per rule for gained, lost and re-graded hits.")
    var examples = 3

    @Flag(help: ArgumentHelp("Time every rule in both versions (thread CPU time of its match calls) and print a profile table.",
                             discussion: "A rule's time includes normalising the text when it is the first rule of its layer set to need it; use a release build for figures."))
    var profile = false

    @Option(help: "Worker threads (default: all cores). The report does not depend on it.")
    var threads: Int = Parallel.cores

    @Flag(help: "List unchanged rules and quiet senders too.")
    var all = false

    @Flag(help: "Machine-readable report.")
    var json = false

    func validate() throws {
        if oldPaths.isEmpty == (oldGit == nil) { throw ValidationError("give either --old PATH (repeatable) or --old-git REV") }
        if examples < 0 { throw ValidationError("--examples must be 0 or more") }
        if threads < 1 { throw ValidationError("--threads must be 1 or more") }
        do { _ = try ParseOptions.fromCommandLine(format: format, dateOrder: dateOrder, chatName: nil) } catch let e as InputError {
            throw ValidationError(e.reason)
        }
    }

    func run() throws {
        let options = try ParseOptions.fromCommandLine(format: format, dateOrder: dateOrder, chatName: nil)
        var cleanup: String?
        defer { if let cleanup { try? FileManager.default.removeItem(atPath: cleanup) } }
        var old = oldPaths
        if let oldGit {
            do {
                let (dir, tmp) = try GitRules.extractShippedRules(at: oldGit)
                cleanup = tmp; old = [dir]
            } catch let e as GitRules.Failure {
                FileHandle.standardError.write(Data("error: --old-git \(oldGit): \(e.reason)\n".utf8))
                throw ExitCode(2)
            }
        }
        var new = newPaths
        if new.isEmpty {
            guard let dir = RuleLoader.shippedRulesDirectory() else { throw ValidationError("no shipped rules found; give --new PATH") }
            new = [dir]
        }
        let differ = RuleDiffer(old: try compile(old, side: "old"), new: try compile(new, side: "new"),
                                examplesPerRule: examples, profile: profile)
        let stderr = FileHandle.standardError
        var batch: [Message] = []
        let batchSize = 4096 * threads
        let result = ChatReader.parseAll(paths: corpus, options: options, emit: { m in
            batch.append(m)
            if batch.count >= batchSize { differ.add(batch, threads: threads); batch.removeAll(keepingCapacity: true) }
        }, report: { line in
            if !line.hasPrefix("summary: ") { stderr.write(Data((line + "\n").utf8)) }
        })
        differ.add(batch, threads: threads)
        let report = differ.report()
        if json {
            let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            print(String(decoding: try enc.encode(report), as: UTF8.self))
        } else {
            print(RuleDiffText.render(report, all: all), terminator: "")
        }
        if result.failed { throw ExitCode(1) }
    }

    private func compile(_ paths: [String], side: String) throws -> CompiledRuleSet {
        do {
            let set = try RuleLoader.load(paths: paths)
            if set.rules.isEmpty {
                FileHandle.standardError.write(Data("warning: no \(side) rules found in \(paths.joined(separator: " "))\n".utf8))
            }
            return try CompiledRuleSet(set)
        } catch let e as RuleLoadError {
            FileHandle.standardError.write(Data((e.description + "\nerror: \(side) rules not loaded (\(e.diagnostics.count) problem(s))\n").utf8))
        } catch {
            FileHandle.standardError.write(Data("error: \(side) rules: \(error)\n".utf8))
        }
        throw ExitCode(2)
    }
}

/// The shipped rules/ folder as it was at a git revision, extracted with `git archive` into a temporary folder.
enum GitRules {
    /// Why the rules could not be extracted.
    struct Failure: Error { var reason: String }

    /// Returns the extracted rules folder and the temporary folder to delete afterwards.
    static func extractShippedRules(at rev: String) throws -> (rules: String, temp: String) {
        guard let rules = RuleLoader.shippedRulesDirectory() else { throw Failure(reason: "no shipped rules folder found (set CHATSIEVE_RULES)") }
        let top = try git(["-C", rules, "rev-parse", "--show-toplevel"])
        let prefix = try git(["-C", rules, "rev-parse", "--show-prefix"])   // e.g. "rules/"
        let temp = FileManager.default.temporaryDirectory
            .appendingPathComponent("chatsieve-rules-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: temp, withIntermediateDirectories: true)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", "set -o pipefail; git -C \"$1\" archive --format=tar \"$2\" -- \"$3\" | tar -x -C \"$4\"",
                       "bash", top, rev, prefix.isEmpty ? "." : prefix, temp]
        let err = Pipe(); p.standardError = err
        try p.run(); p.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard p.terminationStatus == 0 else {
            try? FileManager.default.removeItem(atPath: temp)
            throw Failure(reason: "git archive failed: \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return (temp + "/" + prefix, temp)
    }

    private static func git(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git"] + args
        let out = Pipe(); p.standardOutput = out; p.standardError = Pipe()
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw Failure(reason: "`git \(args.joined(separator: " "))` failed (is the rules folder in a git checkout?)") }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// The terminal form of a `RuleDiffReport`.
enum RuleDiffText {
    static func render(_ r: RuleDiffReport, all: Bool) -> String {
        var out = ""
        func line(_ s: String = "") { out += s + "\n" }
        func signed(_ n: Int, _ sign: String) -> String { n == 0 ? "0" : sign + String(n) }
        let t = r.totals
        line(Style.bold("rules diff") + ": \(r.messages) messages; old \(r.oldRules) rules, new \(r.newRules) rules "
             + "(\(r.count(.added)) added, \(r.count(.removed)) removed, \(r.count(.changed)) changed)")
        line("(message, rule) hits: old \(t.old), new \(t.new): " + Style.green("\(signed(t.gained, "+")) gained") + ", "
             + Style.red("\(signed(t.lost, "-")) lost") + ", \(t.unchanged) unchanged (\(t.severityChanged) re-graded)")
        line("messages with a hit: old \(r.oldMessagesHit), new \(r.newMessagesHit)")
        line("(counts are (message, rule) pairs: a message hit by a rule counts once however many spans matched)")

        let shown = r.rules.filter { all || $0.status != .unchanged || !$0.counts.isQuiet }
        line(); line(Style.bold(row(["rule", "status", "old", "new", "gained", "lost", "same", "re-graded", "what changed"], left: [0, 1])))
        for e in shown {
            line(row([e.id, e.status.rawValue, e.old.map { String($0.messages) } ?? "-", e.new.map { String($0.messages) } ?? "-",
                      signed(e.counts.gained, "+"), signed(e.counts.lost, "-"), String(e.counts.unchanged),
                      String(e.counts.severityChanged), whatChanged(e)], left: [0, 1]))
        }
        if shown.count < r.rules.count { line("(\(r.rules.count - shown.count) unchanged rules with unchanged hits not shown; --all lists them)") }

        let limited = r.rules.filter { ($0.old?.limitEvents ?? 0) + ($0.new?.limitEvents ?? 0) > 0 }
        if !limited.isEmpty {
            line(Style.yellow("PCRE2 limit events (pattern runs stopped): ")
                 + limited.map { "\($0.id) old \($0.old.map { String($0.limitEvents) } ?? "-"), new \($0.new.map { String($0.limitEvents) } ?? "-")" }
                    .joined(separator: "; "))
        }
        let categories = r.categories.filter { all || !$0.counts.isQuiet || $0.counts.old > 0 }
        if !categories.isEmpty { line(); line(Style.bold(row(["category", "old", "new", "gained", "lost", "re-graded"], widths: [24, 6, 6, 7, 6, 9]))) }
        for c in categories {
            line(row([c.name, String(c.counts.old), String(c.counts.new), signed(c.counts.gained, "+"),
                      signed(c.counts.lost, "-"), String(c.counts.severityChanged)], widths: [24, 6, 6, 7, 6, 9]))
        }
        let senders = r.senders.filter { all || !$0.counts.isQuiet }
        let senderLimit = all ? senders.count : 20
        if !senders.isEmpty {
            line(); line(Style.bold(row(["sender", "old", "new", "gained", "lost", "re-graded"], widths: [24, 6, 6, 7, 6, 9])))
            for s in senders.prefix(senderLimit) {
                line(row([s.name, String(s.counts.old), String(s.counts.new), signed(s.counts.gained, "+"),
                          signed(s.counts.lost, "-"), String(s.counts.severityChanged)], widths: [24, 6, 6, 7, 6, 9]))
            }
            if senders.count > senderLimit { line("(\(senders.count - senderLimit) more senders with changes; --all or --json lists them)") }
        }
        if !r.severityTransitions.isEmpty {
            line(); line(Style.bold("severity changes") + ": "
                         + r.severityTransitions.map { "\($0.from.rawValue) → \($0.to.rawValue): \($0.count)" }.joined(separator: ", "))
        }
        let withExamples = r.rules.filter { !$0.gainedExamples.isEmpty || !$0.lostExamples.isEmpty || !$0.severityExamples.isEmpty }
        if !withExamples.isEmpty { line(); line(Style.bold("examples")) }
        for e in withExamples {
            line("\(Style.bold(e.id)) \(e.title) [\(e.status.rawValue)\(e.changes.isEmpty ? "" : ": " + e.changes.joined(separator: ", "))]")
            for x in e.gainedExamples { line("  " + Style.green("+") + " " + example(x)) }
            for x in e.lostExamples { line("  " + Style.red("-") + " " + example(x)) }
            for x in e.severityExamples { line("  " + Style.yellow("~") + " " + example(x)) }
        }
        if r.profiled { out += "\n" + profileTable(r) }
        return out
    }

    static func whatChanged(_ e: RuleDiffEntry) -> String {
        var parts: [String] = []
        let changes = e.changes.map { part -> String in
            guard part == "severity", let o = e.oldSeverity, let n = e.newSeverity else { return part }
            return "severity \(o.rawValue)→\(n.rawValue)"
        }
        if !changes.isEmpty { parts.append(changes.joined(separator: ", ")) }
        if let twin = e.sameContentAs { parts.append(e.status == .removed ? "same content as \(twin) (renamed?)" : "same content as \(twin)") }
        return parts.joined(separator: "; ")
    }

    static func example(_ x: DiffExample) -> String {
        let sev = x.oldSeverity.map { "\($0.rawValue)→\(x.severity.rawValue)" } ?? x.severity.rawValue
        return "\(x.location)  \(x.sender ?? "-")  «\(x.match.replacingNewlinesForDisplay())» (\(sev))  \(x.excerpt)"
    }

    /// Per rule, both versions: time in its match calls, hits, messages; slowest (in either version) first.
    static func profileTable(_ r: RuleDiffReport) -> String {
        let widths = [10, 10, 10, 8, 8, 8, 8, 8]
        var out = Style.bold("profile (CPU time in match calls, per rule)") + "\n"
        out += Style.bold(row(["rule", "old ms", "new ms", "ratio", "old hits", "new hits", "old msgs", "new msgs"], widths: widths)) + "\n"
        func ms(_ ns: UInt64?) -> String { ns.map { String(format: "%.2f", Double($0) / 1e6) } ?? "-" }
        let sorted = r.rules.sorted {
            let a = max($0.old?.nanoseconds ?? 0, $0.new?.nanoseconds ?? 0), b = max($1.old?.nanoseconds ?? 0, $1.new?.nanoseconds ?? 0)
            return a != b ? a > b : $0.id < $1.id
        }
        for e in sorted {
            var ratio = "-"
            if let o = e.old?.nanoseconds, let n = e.new?.nanoseconds, o > 0 { ratio = String(format: "%.2fx", Double(n) / Double(o)) }
            out += row([e.id, ms(e.old?.nanoseconds), ms(e.new?.nanoseconds), ratio, e.old.map { String($0.hits) } ?? "-",
                        e.new.map { String($0.hits) } ?? "-", e.old.map { String($0.messages) } ?? "-",
                        e.new.map { String($0.messages) } ?? "-"], widths: widths) + "\n"
        }
        let oldTotal = r.rules.compactMap { $0.old?.nanoseconds }.reduce(0, +), newTotal = r.rules.compactMap { $0.new?.nanoseconds }.reduce(0, +)
        out += "total: old \(ms(oldTotal)) ms, new \(ms(newTotal)) ms\n"
        return out
    }

    /// Cells padded to `widths`; columns in `left` are left-aligned, the others right-aligned; width 0 = as is.
    static func row(_ cells: [String], widths: [Int] = [10, 9, 5, 5, 7, 6, 6, 9, 0], left: Set<Int> = [0]) -> String {
        var s = ""
        for (i, c) in cells.enumerated() {
            let w = i < widths.count ? widths[i] : 0
            s += left.contains(i) || w == 0 ? c.padding(toLength: max(w, c.count), withPad: " ", startingAt: 0) : c.leftPad(w)
            if i < cells.count - 1 { s += " " }
        }
        return s.trimmingCharacters(in: .whitespaces)
    }
}

private extension String {
    func replacingNewlinesForDisplay() -> String { replacingOccurrences(of: "\n", with: "⏎").replacingOccurrences(of: "\r", with: "") }
}
