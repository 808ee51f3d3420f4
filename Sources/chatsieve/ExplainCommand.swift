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
        discussion: "Give the text as an argument, or a message with --file PATH --line N (WhatsApp export or plain lines)."
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

    @Flag(help: "Also show near misses: rules whose pattern matched but an exception or min_confidence cancelled it.")
    var all = false

    @Flag(help: "Machine-readable output.")
    var json = false

    func validate() throws {
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
            let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            print(String(decoding: try enc.encode(e), as: UTF8.self))
            return
        }
        print(ExplanationText.render(e, nearMisses: all, colour: Style.enabled))
    }

    /// The text to explain: the argument, or the message at --line of --file.
    func messageText() throws -> String {
        if let text { return text }
        guard let file, let line else { return "" }
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
        let found: String? = data.withUnsafeBytes { buf in
            if WhatsAppParser.looksLikeWhatsApp(UnsafeRawBufferPointer(rebasing: buf.prefix(4096))),
               let chat = try? WhatsAppParser.parse(bytes: buf, file: file, options: ParseOptions()) {
                return chat.messages.first { ($0.line ?? 0) <= line && line <= ($0.lineEnd ?? $0.line ?? 0) }?.text
            }
            let lines = String(decoding: buf, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            guard line >= 1 && line <= lines.count else { return nil }
            var l = String(lines[line - 1]); if l.hasSuffix("\r") { l.removeLast() }
            return l
        }
        guard let found else { throw ValidationError("\(file):\(line): no message at that line") }
        return found
    }
}
