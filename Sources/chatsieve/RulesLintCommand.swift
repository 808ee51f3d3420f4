import ArgumentParser
import Foundation
import RuleKit

/// `chatsieve rules lint [PATH...]`: schema, taxonomy, PCRE2 and performance checks plus the embedded tests.
struct RulesLintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check rule files: unknown keys, bad values, PCRE2 errors, slow or risky patterns, contradicting tests.",
        discussion: "Exit status: 0 when there are no errors (warnings allowed), 1 on errors."
    )

    @Argument(help: "Rule files or pack folders (default: the shipped rules).")
    var paths: [String] = []

    @OptionGroup var source: RuleSourceOptions

    @Flag(help: "Print warnings as errors (exit 1 on any diagnostic).")
    var strict = false

    @Flag(help: "One JSON object per diagnostic.")
    var json = false

    func run() throws {
        let report = RuleLinter.lint(paths: try source.rulePaths(paths), patternFiles: source.patternFiles,
                                     keywordFiles: source.keywordFiles, ignoreCase: source.ignoreCase)
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
            print(report.hasErrors ? Style.red(summary) : Style.green(summary))
        }
        if report.hasErrors || (strict && !report.diagnostics.isEmpty) { throw ExitCode(1) }
    }
}
