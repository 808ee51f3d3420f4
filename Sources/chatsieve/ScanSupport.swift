import ChatModel
import ChatParsers
import Foundation
import ScanEngine

/// The rules of a scan as the engine sees them, plus what the reports and manifest record about them.
struct LoadedRules {
    var rules: ConfirmingRules
    var summaries: [RuleSummary]
    var packs: [RulePackSummary]
}

/// A rule-loading failure, printed as `file:line:column: message` lines.
struct RuleLoadFailure: Error, CustomStringConvertible {
    var lines: [String]
    var description: String { lines.joined(separator: "\n") }
}

/// Loads `--rules` and `--patterns` for `chatsieve scan`.
enum ScanRules {
    static func load(rules: [String], patterns: String?, ignoreCase: Bool) throws -> LoadedRules {
        guard let path = patterns, rules.isEmpty else {
            throw RuleLoadFailure(lines: ["chatsieve: rule packs need RuleKit (not merged yet); use --patterns"])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RuleLoadFailure(lines: ["\(path): cannot read the pattern file"])
        }
        var sources: [String] = []
        var lineNos: [Int] = []
        for (i, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = String(raw)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.isEmpty { continue }
            sources.append(line); lineNos.append(i + 1)
        }
        do {
            let r = try PCRE2PatternRules(patterns: sources, caseless: sources.map { _ in ignoreCase }, idPrefix: "P")
            let summaries = sources.indices.map { RuleSummary(id: r.meta($0).id, title: sources[$0], category: "pattern",
                                                             severity: .medium, pack: (path as NSString).lastPathComponent) }
            return LoadedRules(rules: r, summaries: summaries, packs: [])
        } catch let e as PatternListError {
            throw RuleLoadFailure(lines: ["\(path):\(lineNos[e.index]):\(e.error.offset + 1): pattern does not compile: \(e.error.message)"])
        }
    }
}

/// Turns command-line paths into engine inputs.
enum ScanInputs {
    static func parseOptions(format: String?, dateOrder: String?) throws -> ParseOptions {
        var o = ParseOptions()
        if let f = format {
            guard let sf = SourceFormat(rawValue: f) else { throw RuleLoadFailure(lines: ["unknown format '\(f)'"]) }
            o.format = sf
        }
        if let d = dateOrder {
            guard let od = DateOrder(rawValue: d) else { throw RuleLoadFailure(lines: ["unknown date order '\(d)'"]) }
            o.dateOrder = od
        }
        return o
    }

    static func collect(paths: [String], options: ParseOptions) -> ([ScanInput], [ParseIssue], Int) {
        var inputs: [ScanInput] = []
        var total = 0
        for p in paths {
            let size = ((try? FileManager.default.attributesOfItem(atPath: p))?[.size] as? Int) ?? 0
            total += size
            inputs.append(ScanInput(displayPath: p, hashPath: p, open: {
                MappedLinesSource(file: try MappedFile(path: p), displayPath: p)
            }))
        }
        return (inputs, [], total)
    }
}

/// Output side of `chatsieve scan` until the Reports target is merged: JSON Lines only.
enum ScanOutput {
    final class JSONLSink: HitSink {
        let handle: FileHandle?
        var buffer = Data()
        let encoder: JSONEncoder
        init(path: String?) throws {
            encoder = JSONEncoder(); encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            if let p = path {
                if p == "-" { handle = FileHandle.standardOutput } else {
                    FileManager.default.createFile(atPath: p, contents: nil)
                    guard let h = FileHandle(forWritingAtPath: p) else { throw RuleLoadFailure(lines: ["\(p): cannot write"]) }
                    handle = h
                }
            } else { handle = nil }
        }
        func consume(_ item: MessageHits) throws {
            guard let h = handle else { return }
            for hit in item.hits { buffer.append(try encoder.encode(hit)); buffer.append(0x0A) }
            if buffer.count > 1 << 20 { h.write(buffer); buffer.removeAll(keepingCapacity: true) }
        }
        func finish(totals: ScanTotals) throws { handle?.write(buffer); buffer = Data() }
    }

    static func makeSink(command: ScanCommand, loaded: LoadedRules, started: Date) throws -> HitSink {
        try JSONLSink(path: command.jsonl)
    }

    static func summaryLine(report: ScanReport, errors: Int) -> String {
        let t = report.totals
        let secs = max(t.elapsedSeconds, 1e-9)
        return String(format: "scanned %d files, %.1f MB, %d messages, %d unparsed lines, %d errors, %d hits in %d messages; %.1f MB/s, %.0f messages/s, %.2f s",
                      t.sources.count, Double(t.bytes) / 1e6, t.messages, t.unparsedLines, errors + report.failedInputs,
                      report.hits, report.hitMessages, Double(t.bytes) / 1e6 / secs, Double(t.messages) / secs, secs)
    }
}
