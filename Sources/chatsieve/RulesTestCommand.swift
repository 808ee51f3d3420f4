import ArgumentParser
import Foundation
import RuleKit

/// `chatsieve rules test [PATH...]`: runs every embedded example and prints a confusion matrix per rule.
struct RulesTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the rules' embedded match / no_match examples; per-rule TP/FN/TN/FP; exit 1 on failure.",
        discussion: "Exit status: 0 when every example passes, 1 on a failure, 2 when the rules do not load or hold no rule."
    )

    @Argument(help: "Rule files or pack folders (default: the shipped rules).")
    var paths: [String] = []

    @OptionGroup var source: RuleSourceOptions

    @Flag(help: "Print only failing rules in the matrix.")
    var failuresOnly = false

    @Flag(help: "Machine-readable report.")
    var json = false

    func run() throws {
        let set = try source.load(paths)
        let compiled: CompiledRuleSet
        do { compiled = try CompiledRuleSet(set) } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8)); throw ExitCode(2)
        }
        let report = RuleTester.run(compiled)
        if json {
            let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]; enc.keyEncodingStrategy = .convertToSnakeCase
            print(String(decoding: try enc.encode(report), as: UTF8.self))
        } else {
            print(Style.bold("rule        TP  FN  TN  FP  result"))
            for r in report.results where !failuresOnly || r.failed > 0 {
                let cols = [r.truePositives, r.falseNegatives, r.trueNegatives, r.falsePositives]
                    .map { String($0).leftPad(3) }.joined(separator: " ")
                print("\(r.ruleId.padding(toLength: 10, withPad: " ", startingAt: 0)) \(cols)  "
                      + (r.failed == 0 ? Style.green("ok") : Style.red("FAIL")))
            }
            if !report.failures.isEmpty { print("") }
            for f in report.failures { print(f.description) }
            let totals = "\(report.passed) passed, \(report.failed) failed (\(report.results.count) rules)"
            print(report.failed == 0 ? Style.green(totals) : Style.red(totals))
        }
        if report.failed > 0 { throw ExitCode(1) }
    }
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
