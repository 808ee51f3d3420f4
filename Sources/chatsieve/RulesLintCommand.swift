import ArgumentParser
import Foundation
import RuleKit

/// `chatsieve rules lint [PATH...]`: schema, taxonomy, PCRE2 and performance checks plus the embedded tests.
struct RulesLintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check rule files: unknown keys, bad values, PCRE2 errors, slow or risky patterns, contradicting tests.",
        discussion: "Exit status: 0 when there are no errors (warnings allowed), 1 on errors, 2 when the paths hold no rule at all."
    )

    @Argument(help: "Rule files or pack folders (default: the shipped rules).")
    var paths: [String] = []

    @OptionGroup var source: RuleSourceOptions

    @Flag(help: "Print warnings as errors (exit 1 on any diagnostic).")
    var strict = false

    @Flag(help: "One JSON object per diagnostic.")
    var json = false

    func run() throws {
        let rulePaths = try source.rulePaths(paths)
        let report = RuleLinter.lint(paths: rulePaths, patternFiles: source.patternFiles,
                                     keywordFiles: source.keywordFiles, ignoreCase: source.ignoreCase)
        // Nothing to lint and nothing wrong to show: an empty folder or a blank file is a mistake, not a clean pack.
        let noRules = report.rules == 0 && !report.hasErrors
        let sorted = report.diagnostics.sorted {
            ($0.file, $0.line ?? 0, $0.column ?? 0) < ($1.file, $1.line ?? 0, $1.column ?? 0)
        }
        if json {
            let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]; enc.keyEncodingStrategy = .convertToSnakeCase
            for d in sorted { print(String(decoding: try enc.encode(d), as: UTF8.self)) }
        } else {
            for d in sorted {
                let text = d.description
                print(d.level == .error ? text.replacingOccurrences(of: "error[", with: Style.red("error") + "[")
                                        : text.replacingOccurrences(of: "warning[", with: Style.yellow("warning") + "["))
            }
            let summary = "\(report.rules) rules: \(report.errors) error(s), \(report.warnings) warning(s)"
            if !noRules { print(report.hasErrors ? Style.red(summary) : Style.green(summary)) }
        }
        if noRules { try source.failNoRules(rulePaths) }
        if report.hasErrors || (strict && !report.diagnostics.isEmpty) { throw ExitCode(1) }
    }
}
