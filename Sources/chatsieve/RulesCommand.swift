import ArgumentParser
import ChatModel
import Foundation
import RuleKit

/// `chatsieve rules ...`: work on rule packs (lint, test).
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Check and test rule packs.",
        subcommands: [RulesLintCommand.self, RulesTestCommand.self, RulesDiffCommand.self]
    )
}

/// Options shared by the commands that read rules.
struct RuleSourceOptions: ParsableArguments {
    @Option(name: .customLong("patterns"), help: "A plain pattern file: one PCRE2 per line (repeatable).")
    var patternFiles: [String] = []

    @Option(name: .customLong("keywords"), help: "A plain keyword list: one word or phrase per line (repeatable).")
    var keywordFiles: [String] = []

    @Flag(name: [.customShort("i"), .customLong("ignore-case")], help: "Match --patterns caselessly.")
    var ignoreCase = false

    @Option(name: .customLong("rule"), help: "Only rules whose id starts with this (repeatable), e.g. SVX or SVX-0001.")
    var ruleFilter: [String] = []

    /// Rule folders/files to use: the given ones, else the shipped rules (unless only pattern files are given).
    func rulePaths(_ given: [String]) throws -> [String] {
        if !given.isEmpty { return given }
        if !patternFiles.isEmpty || !keywordFiles.isEmpty { return [] }
        guard let dir = RuleLoader.shippedRulesDirectory() else {
            throw ValidationError("no rules folder found next to the executable; pass a PATH or set CHATSIEVE_RULES")
        }
        return [dir]
    }

    /// Loads everything, printing every diagnostic to stderr and failing when loading fails or finds no rule
    /// (exit status 2, as `scan`).
    func load(_ given: [String]) throws -> RuleSet {
        var set = RuleSet(rules: [], packs: [])
        do {
            let paths = try rulePaths(given)
            if !paths.isEmpty { set = try RuleLoader.load(paths: paths) }
            set = set.merged(with: try RuleLoader.loadPlainFiles(patterns: patternFiles, keywords: keywordFiles, ignoreCase: ignoreCase))
            if set.rules.isEmpty { try failNoRules(paths) }
            if !ruleFilter.isEmpty {
                set.rules = set.rules.filter { r in ruleFilter.contains { r.id.hasPrefix($0) } }
                if set.rules.isEmpty { throw ValidationError("no rule matches --rule \(ruleFilter.joined(separator: ", "))") }
            }
        } catch let e as RuleLoadError {
            FileHandle.standardError.write(Data((e.description + "\nerror: rules not loaded (\(e.diagnostics.count) problem(s))\n").utf8))
            throw ExitCode(2)
        }
        return set
    }

    /// Prints the error `scan` gives for rule paths that hold no rule (naming `paths` and the plain files) and exits 2.
    func failNoRules(_ paths: [String]) throws -> Never {
        FileHandle.standardError.write(Data((NoRulesFound.message(paths + patternFiles + keywordFiles) + "\n").utf8))
        throw ExitCode(2)
    }
}

/// Colour on a terminal, plain text when piped.
enum Style {
    static let enabled = isatty(STDOUT_FILENO) == 1 && ProcessEnvironment.value("NO_COLOR") == nil
    static func red(_ s: String) -> String { enabled ? "\u{1B}[31m\(s)\u{1B}[0m" : s }
    static func yellow(_ s: String) -> String { enabled ? "\u{1B}[33m\(s)\u{1B}[0m" : s }
    static func green(_ s: String) -> String { enabled ? "\u{1B}[32m\(s)\u{1B}[0m" : s }
    static func bold(_ s: String) -> String { enabled ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
}
