import ChatModel
import Foundation

/// Counts for one source or for a whole `chatsieve parse` run.
public struct ParseCounts: Sendable, Equatable {
    public var messages = 0
    public var lines = 0
    public var unparsedLines = 0
    public var errors = 0
    public var warnings = 0
    public init() {}

    mutating func add(_ o: ParseCounts) {
        messages += o.messages; lines += o.lines; unparsedLines += o.unparsedLines; errors += o.errors; warnings += o.warnings
    }

    var text: String {
        "\(messages) messages, \(lines) lines, \(unparsedLines) unparsed lines, \(errors) errors, \(warnings) warnings"
    }
}

/// Outcome of a `chatsieve parse` run: totals and whether any input failed (exit status 1).
public struct ParseRunResult: Sendable {
    public var total = ParseCounts()
    public var sources = 0
    public var skipped = 0
    public var failedSources = 0
    public var failed: Bool { total.errors > 0 }
}

extension ChatReader {
    /// The whole `chatsieve parse` run as a library call: collects the inputs, reads every source in order, hands
    /// each message to `emit` (file order) and every diagnostic line to `report`:
    /// each `ParseIssue` as `file:line: severity: reason`, a `summary:` line per source and a `total:` line.
    /// A source that fails is reported and the run goes on with the others.
    public static func parseAll(paths: [String], options: ParseOptions,
                                emit: (Message) throws -> Void, report: (String) -> Void) rethrows -> ParseRunResult {
        var run = ParseRunResult()
        let (sources, issues) = InputCollector.collect(paths: paths, options: options)
        for issue in issues {
            report(issue.description)
            if issue.severity == .error { run.total.errors += 1 } else if issue.reason.hasPrefix("skipped:") { run.skipped += 1 }
            else { run.total.warnings += 1 }
        }
        for source in sources {
            run.sources += 1
            var counts = ParseCounts()
            do {
                let chat = try read(source, options: options)
                for issue in chat.issues {
                    report(issue.description)
                    switch issue.severity {
                    case .error: counts.errors += 1
                    case .warning: counts.warnings += 1
                    case .unparsed: break
                    }
                }
                for m in chat.messages { try emit(m) }
                counts.messages = chat.messages.count
                counts.lines = chat.totalLines
                counts.unparsedLines = chat.unparsedLines
            } catch let e as InputError {
                report(ParseIssue(file: e.file, line: e.line, severity: .error, reason: e.reason).description)
                counts.errors += 1
            } catch {
                report(ParseIssue(file: source.displayPath, severity: .error, reason: "\(error)").description)
                counts.errors += 1
            }
            if counts.errors > 0 { run.failedSources += 1 }
            report("summary: \(source.displayPath) (\(source.format.rawValue)): \(counts.text)")
            run.total.add(counts)
        }
        report("total: \(run.sources) sources, \(run.skipped) skipped files, \(run.failedSources) failed sources: \(run.total.text)")
        return run
    }

    /// The encoder `chatsieve parse` uses: sorted keys (a stable order), slashes not escaped, one line per message.
    public static func messageEncoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }
}
