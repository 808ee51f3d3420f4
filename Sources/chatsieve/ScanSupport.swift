import ChatModel
import ChatParsers
import Foundation
import Reports
import RuleKit
import ScanEngine

/// The rules of a scan as the engine sees them, plus what the reports and manifest record about them.
struct LoadedRules {
    var rules: ConfirmingRules
    var summaries: [RuleSummary]
    var packs: [RulePackSummary]
}

/// A failure before scanning starts (bad rules or options), printed as is; exit status 2.
struct ScanSetupFailure: Error, CustomStringConvertible {
    var description: String
}

/// The error of every command that reads rules (`scan`, `rules lint`, `rules test`, `explain`) when the rule paths
/// it was given hold no rule at all: exit status 2, like any other rule set that cannot be used.
enum NoRulesFound {
    /// `given`: the rule folders and files, then the `--patterns` and `--keywords` files, as given.
    static func message(_ given: [String]) -> String {
        "chatsieve: no rules found in \(given.joined(separator: ", ")) (a pack folder holds pack.yaml, *.yaml rule files or "
            + "*.txt keyword lists; a pattern or keyword file needs a non-blank line)"
    }
}

/// Loads `--rules`, `--patterns` and `--keywords` (or the shipped packs) for `chatsieve scan`.
enum ScanRules {
    /// `patterns`, `keywords`: every `--patterns` and `--keywords` file, loaded as `rules lint/test` and `explain` load
    /// them (`RuleLoader.loadPlainFiles`). `cacheDirectory`: the engine's cache (shadow scalar tables), nil with `--no-cache`.
    static func load(rules: [String], patterns: [String], keywords: [String], ignoreCase: Bool, cacheDirectory: URL?) throws -> LoadedRules {
        var paths = rules
        if rules.isEmpty && patterns.isEmpty && keywords.isEmpty {
            guard let dir = RuleLoader.shippedRulesDirectory() else {
                throw ScanSetupFailure(description: "chatsieve: no --rules, --patterns or --keywords given and no shipped rules/ folder found (set CHATSIEVE_RULES)")
            }
            paths = [dir]
        }
        var set = RuleSet(rules: [], packs: [])
        let loaded: Result<RuleSet, any Error> = Result {
            var s = RuleSet(rules: [], packs: [])
            if !paths.isEmpty { s = try RuleLoader.load(paths: paths) }
            s = s.merged(with: try RuleLoader.loadPlainFiles(patterns: patterns, keywords: keywords, ignoreCase: ignoreCase))
            return s
        }
        switch loaded {
        case .success(let s): set = s
        case .failure(let e): throw ScanSetupFailure(description: "\(e)")
        }
        if set.rules.isEmpty { throw ScanSetupFailure(description: NoRulesFound.message(paths + patterns + keywords)) }
        let compiled: Result<CompiledRuleSet, any Error> = Result { try CompiledRuleSet(set) }
        switch compiled {
        case .success(let c): return LoadedRules(rules: RuleKitRules(c, cacheDirectory: cacheDirectory), summaries: set.summaries, packs: set.packs)
        case .failure(let e): throw ScanSetupFailure(description: "chatsieve: \(e)")
        }
    }
}

/// Turns command-line paths into engine inputs: WhatsApp text (files and zip members) and `lines` files are scanned
/// in place through the span API; JSON exports are parsed (`ChatReader.read`) and scanned from their messages.
enum ScanInputs {
    static func collect(paths: [String], options: ParseOptions, threads: Int) -> ([ScanInput], [ParseIssue], Int) {
        let (sources, issues) = InputCollector.collect(paths: paths, options: options)
        var inputs: [ScanInput] = []
        for s in sources { inputs.append(input(for: s, options: options, threads: threads)) }
        return (inputs, issues, sources.reduce(0) { $0 + $1.totalSize })
    }

    /// `threads`: the scan's thread count, also used by the WhatsApp layout pass (which runs before any chunk can).
    static func input(for source: ChatSource, options: ParseOptions, threads: Int) -> ScanInput {
        let hashPath = source.files.count == 1 ? source.files[0].path : nil
        let evidence = source.files.map(\.path)
        switch (source.format, source.location) {
        case (.whatsapp, .file(let path)):
            return ScanInput(displayPath: source.displayPath, hashPath: hashPath) {
                WhatsAppSpanSource(owner: try mapped(path, display: source.displayPath), displayPath: source.displayPath,
                                   options: options, chatName: options.chatName, threads: threads)
            }
        case (.whatsapp, .zipMember(let zip, let member)):
            return ScanInput(displayPath: source.displayPath, hashPath: hashPath, evidenceFiles: evidence) {
                let data = try ZipExport.inflate(zipPath: zip, member: member)
                return WhatsAppSpanSource(owner: OwnedBytes(data), displayPath: source.displayPath, options: options,
                                          chatName: options.chatName ?? source.chatNameHint, threads: threads)
            }
        case (.lines, .file(let path)):
            return ScanInput(displayPath: source.displayPath, hashPath: hashPath) {
                MappedLinesSource(file: try mapped(path, display: source.displayPath), displayPath: source.displayPath)
            }
        default:
            return ScanInput(displayPath: source.displayPath, hashPath: hashPath, evidenceFiles: evidence) {
                let chat = try ChatReader.read(source, options: options)
                return ParsedMessagesSource(displayPath: chat.file, format: chat.format, chat: chat.chat,
                                            messages: chat.messages, issues: chat.issues)
            }
        }
    }

    static func mapped(_ path: String, display: String) throws -> MappedFile {
        do { return try MappedFile(path: path) } catch let e as MappedFileError {
            throw InputError(file: display, reason: e.reason)
        }
    }
}

/// Output side of `chatsieve scan`: the Reports writer for every requested output.
enum ScanOutput {
    static func summaryLine(report: ScanReport, errors: Int) -> String {
        let t = report.totals
        let secs = max(t.elapsedSeconds, 1e-9)
        func f(_ x: Double, _ digits: Int) -> String { DecimalText.fixed(x, digits: digits) }
        // Built by hand rather than with String(format:), whose first use costs a small scan about half a millisecond.
        return "scanned \(t.sources.count) files, \(f(Double(t.bytes) / 1e6, 1)) MB, \(t.messages) messages, "
            + "\(t.unparsedLines) unparsed lines, \(errors) errors, \(report.hits) hits in \(report.hitMessages) messages; "
            + "\(f(Double(t.bytes) / 1e6 / secs, 1)) MB/s, \(f(Double(t.messages) / secs, 0)) messages/s, \(f(secs, 2)) s"
    }
}

/// `ScanInputs.collect` run on one of the scan's worker threads while the rules load and compile on this one, with
/// the first input already opened (a WhatsApp export's layout pass reads the whole file before its first chunk can
/// start). What the scan sees is the same as collecting afterwards: the first input's `open` returns the source (or
/// the error) opened early. With `--threads 1` there are no worker threads: the inputs are collected when asked for.
final class EarlyInputs: @unchecked Sendable {
    typealias Collected = (inputs: [ScanInput], issues: [ParseIssue], totalBytes: Int)
    private var result: Collected = ([], [], 0)
    private var collected: Collected?
    private let collect: @Sendable () -> Collected
    private let pool: WorkerThreads?

    /// `pool`: the scan's worker threads (nil with one thread); its first thread collects the inputs.
    init(paths: [String], options: ParseOptions, threads: Int, pool: WorkerThreads?) {
        collect = { ScanInputs.collect(paths: paths, options: options, threads: threads) }
        self.pool = pool
        guard let pool else { return }
        pool.start { [self] i in
            guard i == 0 else { return }
            var collected = collect()
            if var first = collected.inputs.first {
                let reopen = first.open
                let opened = HandOver(Result { try reopen() })
                // The early source goes to the scan once and is not kept here (the runner releases each input when
                // it is done with it); a second `open` would open the input again.
                first.open = { try opened.take()?.get() ?? reopen() }
                collected.inputs[0] = first
            }
            result = collected
        }
    }

    /// The collected inputs: waits for the worker thread (and the first input's opening), or collects them now;
    /// later calls return the same inputs. Called from one thread only. While the worker thread is busy, `step` is
    /// called over and over (a small piece of work each time) until it returns false.
    func wait(meanwhile step: () -> Bool = { false }) -> Collected {
        if let c = collected { return c }
        let c: Collected
        if let pool {
            while !pool.threadsDone && step() {}
            pool.waitForThreads()
            c = result
        } else { c = collect() }
        collected = c
        return c
    }
}

/// A value handed over once: `take` returns it the first time and nil after, so the giver keeps no reference.
private final class HandOver<Value>: @unchecked Sendable {
    private var value: Value?
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func take() -> Value? {
        lock.lock(); defer { lock.unlock() }
        defer { value = nil }
        return value
    }
}
