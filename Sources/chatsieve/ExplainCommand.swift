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
        print("text: \"\(e.text)\"")
        if e.rules.isEmpty { print(all ? "no rule matched" : "no rule fired (try --all for near misses)") }
        for r in e.rules { print(""); print(ExplainPrinter.render(r)) }
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

/// Renders one rule's explanation as indented text.
enum ExplainPrinter {
    static func render(_ r: RuleExplanation) -> String {
        var out: [String] = []
        let state = r.fired ? Style.red("FIRED") : Style.yellow("near miss")
        out.append("\(Style.bold(r.ruleId)) \(state)  \(r.title)  [\(r.category)\(r.subcategory.map { "/" + $0 } ?? ""), \(r.ruleSeverity)]")
        if !r.normalise.isEmpty {
            out.append("  normalise: \(r.normalise.joined(separator: ", "))")
            if r.steps.isEmpty { out.append("    (no layer changed the text)") }
            for s in r.steps { out.append("    after \(s.layer.padding(toLength: 17, withPad: " ", startingAt: 0)) \"\(s.text)\"") }
        }
        for c in r.candidates {
            out.append("  pattern \(c.pattern): \(c.regex)")
            out.append("    span: bytes \(c.start)..<\(c.end) \"\(c.matchedText)\"")
            if let s = c.shadowStart, let e = c.shadowEnd {
                out.append("    in normalised text: \(s)..<\(e) \"\(c.shadowMatch ?? "")\"; steps used: "
                           + (c.stepsUsed.isEmpty ? "none" : c.stepsUsed.joined(separator: ", ")))
            }
            for x in c.exceptions {
                out.append("    exception \(x.id) (\(x.scope), \(x.action)): \(x.matched ? "MATCHED" : "no match") on \"\(x.checkedText)\"")
            }
            if c.context.isEmpty { out.append("    context words: none") }
            for w in c.context { out.append("    context word \"\(w.word)\" \(w.side) (entry \(w.entry)): \(w.delta >= 0 ? "+" : "")\(w.delta)") }
            out.append("    score: \(c.arithmetic) (min_confidence \(r.minConfidence))")
            let verdict: String
            switch c.status {
            case .reported: verdict = "reported, severity \(c.severity)"
            case .suppressed: verdict = "suppressed by \(c.suppressedBy ?? "?")"
            case .belowMinConfidence: verdict = "not reported: score below min_confidence"
            case .overlapsEarlierHit: verdict = "not reported: overlaps an earlier hit of this rule"
            }
            out.append("    => \(verdict)")
        }
        for l in r.limits { out.append("  LIMIT in \(l.inException ? "exception" : "pattern") \(l.pattern): \(l.message)") }
        return out.joined(separator: "\n")
    }
}
