import ArgumentParser
import ChatModel
import ChatParsers
import Foundation
import RuleKit

/// `chatsieve explain "TEXT"`: which rules fire on a text and why (pattern, span, normalisation steps,
/// exceptions, context words, score arithmetic, severity).
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show which rules fire on a text and why.",
        discussion: "Give the text as an argument, or a message with --file PATH --line N (any supported export)."
    )

    @Argument(help: "The message text to explain.")
    var text: String?

    @Option(name: .customLong("rules"), help: "Rule files or pack folders (repeatable; default: the shipped rules).")
    var rules: [String] = []

    @OptionGroup var source: RuleSourceOptions

    @Option(help: "Read the message from this file (WhatsApp .txt export, or one message per line).")
    var file: String?

    @Option(help: "With --file: the 1-based line of the message (any line of a multi-line message).")
    var line: Int?

    @Option(help: "With --file: force the export format (whatsapp, messenger, instagram, telegram, lines, ...).")
    var format: String?

    @Option(name: .customLong("date-order"), help: "With --file: WhatsApp day/month order (dmy, mdy, ymd).")
    var dateOrder: String?

    @Flag(help: "Also show near misses: rules whose pattern matched but an exception or min_confidence cancelled it.")
    var all = false

    @Flag(help: "Machine-readable output.")
    var json = false

    func validate() throws {
        if text != nil && (file != nil || line != nil) {
            // Bad usage: exit status 2 (README), with the usage line as ArgumentParser prints it.
            FileHandle.standardError.write(Data("""
                Error: give either a TEXT or --file PATH --line N, not both
                Usage: \(ChatSieve.usageString(for: ExplainCommand.self))
                  See 'chatsieve explain --help' for more information.

                """.utf8))
            throw ExitCode(2)
        }
        if text == nil && file == nil { throw ValidationError("give a TEXT or --file PATH --line N") }
        if file != nil && line == nil { throw ValidationError("--file needs --line N") }
    }

    func run() throws {
        let message = try messageText()
        let set = try source.load(rules)
        let compiled: CompiledRuleSet
        do { compiled = try CompiledRuleSet(set) } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8)); throw ExitCode(2)
        }
        let e = compiled.explain(text: message, includeNearMisses: all)
        if json {
            let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]; enc.keyEncodingStrategy = .convertToSnakeCase
            print(String(decoding: try enc.encode(e), as: UTF8.self))
            return
        }
        print(ExplanationText.render(e, nearMisses: all, colour: Style.enabled))
    }

    /// The text to explain: the argument, or the message at --line of --file (any supported export format).
    func messageText() throws -> String {
        if let text { return text }
        guard let file, let line else { return "" }
        let options = try ParseOptions.fromCommandLine(format: format, dateOrder: dateOrder, chatName: nil)
        let (sources, issues) = InputCollector.collect(paths: [file], options: options)
        guard let source = sources.first else {
            throw ExplainInputError(description: "\(file): not a chat export" + (issues.first.map { " (\($0.reason))" } ?? ""))
        }
        let chat = try ChatReader.read(source, options: options)
        let hit = chat.messages.first { m in
            guard let first = m.line else { return false }
            return first <= line && line <= (m.lineEnd ?? first)
        }
        guard let hit else {
            // A message left out for a NUL byte or invalid UTF-8 (reported at its first line): say so rather than
            // "no message", when no message read starts between that report and the line asked for.
            let before = chat.messages.compactMap(\.line).filter { $0 <= line }.max() ?? 0
            if let issue = chat.issues.last(where: { $0.severity == .error && ($0.line ?? 0) <= line && ($0.line ?? 0) > before }) {
                throw ExplainInputError(description: "\(file):\(line): the message at this line was left out (\(issue.severity.rawValue) at line \(issue.line ?? 0): \(issue.reason))")
            }
            throw ExplainInputError(description: "\(file):\(line): no message at that line")
        }
        return hit.text
    }
}

/// The message asked for with --file/--line could not be found.
struct ExplainInputError: Error, CustomStringConvertible {
    var description: String
}
