import ArgumentParser
import ChatModel
import ChatParsers
import Foundation
import Reports
import RuleKit
import ScanEngine

/// `chatsieve scan`: runs rule packs (or a pattern file) over chat exports with the prefiltered engine and writes
/// the reports.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan chat exports with rule packs and report hits by sender and chat.",
        discussion: """
        Without --rules, --patterns and --keywords the packs shipped in rules/ are used. The compiled prefilter databases and \
        the shadow tables of normalising rules are cached in $XDG_CACHE_HOME/chatsieve (or ~/.cache/chatsieve). \
        Exit status: 0 ok, 1 an input failed, 2 bad rules or options.
        """)

    @Argument(help: "Export files or folders (searched recursively).")
    var paths: [String]

    @Option(name: .customLong("rules"), help: "A rule file or pack folder (repeatable).")
    var rules: [String] = []

    @Option(help: "A file with one PCRE2 pattern per line; each is a rule (repeatable; the first file's rules are P-N, the second's P2-N, ...).")
    var patterns: [String] = []

    @Option(help: "A plain keyword list: one word or phrase per line, each a caseless rule (repeatable; K-N, K2-N, ...).")
    var keywords: [String] = []

    @Flag(name: [.customShort("i"), .customLong("ignore-case")], help: "Patterns from --patterns match without case.")
    var ignoreCase = false

    @Option(help: "Force the input format: whatsapp, messenger, messenger-e2ee, instagram, telegram, lines.")
    var format: String?

    @Option(name: .customLong("date-order"), help: "WhatsApp day/month order: dmy, mdy or ymd.")
    var dateOrder: String?

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Option(help: "Write hits as JSON Lines to FILE (- for stdout). A file output gets an evidence manifest beside it, with the SHA-256 of every input; when no output records the hashes (only --jsonl - or /dev/null), inputs are not hashed.")
    var jsonl: String?
    @Option(help: "Write hits as CSV.")
    var csv: String?
    @Option(help: "Write a self-contained HTML report.")
    var html: String?
    @Option(help: "Write (or extend) a SQLite case database.")
    var db: String?

    @Option(help: "Messages of context before and after each hit.")
    var context: Int = 0

    @Flag(help: "Mask matched words in every output.")
    var redact = false

    @Option(help: "Replace sender names with stable pseudonyms keyed by KEY.")
    var pseudonymise: String?

    @Option(name: .customLong("min-severity"), help: "Drop hits below this severity (info, low, medium, high, critical).")
    var minSeverity: String?

    @Flag(help: "Print per-rule timing, candidates and routes on stderr, and the rules that cost the prefilter most.")
    var profile = false

    @Flag(help: "No progress bar and no summary.")
    var quiet = false

    @Flag(name: .customLong("no-cache"), help: "Do not read or write the cache of compiled prefilter databases and shadow tables.")
    var noCache = false

    func validate() throws {
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1") }
        if context < 0 { throw ValidationError("--context must be 0 or more") }
        if let s = minSeverity, Severity(rawValue: s) == nil { throw ValidationError("unknown severity '\(s)'") }
    }

    func run() throws {
        let started = Date()
        let parseOptions: ParseOptions
        do { parseOptions = try ParseOptions.fromCommandLine(format: format, dateOrder: dateOrder, chatName: nil) } catch {
            FileHandle.standardError.write(Data("chatsieve: \((error as? InputError)?.reason ?? "\(error)")\n".utf8))
            throw ExitCode(2)
        }
        let threadCount = threads ?? Parallel.cores
        // The scan's worker threads start now: the first collects the inputs while this one loads the rules.
        let pool = threadCount > 1 ? WorkerThreads(count: threadCount - 1) : nil
        let early = EarlyInputs(paths: paths, options: parseOptions, threads: threadCount, pool: pool)
        let cacheDir = noCache ? nil : PrefilterPlan.defaultCacheDirectory()
        let loaded: LoadedRules
        do { loaded = try ScanRules.load(rules: rules, patterns: patterns, keywords: keywords, ignoreCase: ignoreCase, cacheDirectory: cacheDir) } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
        // A rule set's first scan compiles its databases (seconds for the shipped packs): say so on a terminal.
        var announced = quiet || !ProgressBar.stderrIsTerminal
        // A rule set's shadow databases compile in their quick form for inputs too small to repay the full one.
        let plans = try PrefilterSet.build(specs: loaded.rules.prefilterSpecs(), cacheDirectory: cacheDir,
                                           quickCompile: { early.wait().totalBytes < PrefilterSet.quickCompileInputLimit }) {
            guard !announced else { return }
            announced = true
            let why = cacheDir == nil ? "--no-cache" : "once per rule set: later scans read it from the cache"
            FileHandle.standardError.write(Data("chatsieve: compiling the prefilter for these rules (\(why))...\n".utf8))
        }
        // While the first input is still being opened (a WhatsApp export's layout pass), compile the rules' JIT code
        // here rather than in the workers' first chunks (where the two workers may also wait for each other's compile).
        var nextRule = 0
        let (inputs, collectIssues, totalBytes) = early.wait(meanwhile: {
            guard nextRule < loaded.rules.ruleCount else { return false }
            loaded.rules.prepare(rule: nextRule)
            nextRule += 1
            return true
        })
        for issue in collectIssues where !(quiet && issue.severity == .warning) {
            FileHandle.standardError.write(Data("\(issue)\n".utf8))
        }

        var options = ScanOptions(threads: threadCount,
                                  // Replies are read for endorsements of high and critical hits only; with --redact or
                                  // --pseudonymise every context message's sender is masked, so every hit gets them.
                                  context: ContextWindow(context: context, replies: EndorsementDetector.window,
                                                         repliesFrom: redact || pseudonymise != nil ? nil : EndorsementDetector.minimumSeverity),
                                  minSeverity: minSeverity.flatMap(Severity.init(rawValue:)), profile: profile)
        // Printed above as they were found; recorded in every output too.
        options.inputIssues = collectIssues
        var bar: ProgressBar? = nil
        if !quiet && ProgressBar.stderrIsTerminal {
            let b = ProgressBar(totalBytes: totalBytes, totalFiles: inputs.count)
            bar = b
            options.progress = { bytes, files in b.update(bytesDone: bytes, filesDone: files) }
        }
        let sink: ReportWriter
        // Thread count is deliberately not recorded in the run info: results are identical for any --threads.
        let reportOptions = ScanOutput.reportOptions(command: self, loaded: loaded, started: started)
        let evidence = inputs.flatMap(\.evidenceFiles) + collectIssues.filter { $0.severity == .error }.map(\.file)
        if let clash = ScanOutput.outputOverwritingEvidence(reportOptions, evidence: evidence) {
            FileHandle.standardError.write(Data("chatsieve: \(clash.option) \(clash.output) is \(clash.evidence), an input of this scan: outputs never overwrite evidence\n".utf8))
            throw ExitCode(2)
        }
        do { sink = try ReportWriter(options: reportOptions) } catch {
            FileHandle.standardError.write(Data("chatsieve: \(error)\n".utf8))
            throw ExitCode(2)
        }
        // Like ripgrep, which counts lines only when it prints line numbers: no SHA-256 pass when no output shows it.
        options.hashEvidence = sink.options.recordsEvidenceHashes
        let runner = ScanRunner(rules: loaded.rules, plans: plans, options: options)
        let report = try runner.run(inputs, sink: sink, threads: pool)
        pool?.stop()
        bar?.finish()
        var failed = report.failedInputs > 0
        var shownUnparsed = 0
        for issue in report.totals.issues {
            if issue.severity == .error { failed = true }
            if issue.severity == .unparsed {
                shownUnparsed += 1
                if shownUnparsed > 20 || quiet { continue }
            }
            FileHandle.standardError.write(Data("\(issue)\n".utf8))
        }
        if shownUnparsed > 20 && !quiet {
            FileHandle.standardError.write(Data("... \(shownUnparsed - 20) more unparsed lines\n".utf8))
        }
        let errors = collectIssues.filter { $0.severity == .error }.count + report.totals.issues.filter { $0.severity == .error }.count
        if errors > 0 { failed = true }
        if profile {
            FileHandle.standardError.write(Data(ProfileReport.render(report: report, rules: loaded.rules, plan: plans).utf8))
        }
        if !quiet {
            let summaryToStderr = jsonl == "-"
            let line = ScanOutput.summaryLine(report: report, errors: errors)
            if summaryToStderr { FileHandle.standardError.write(Data((line + "\n").utf8)) } else { print(line) }
        }
        if failed { throw ExitCode(1) }
        // Every output is committed and stdout is flushed by exit(3); leaving now skips releasing the compiled rules,
        // prefilter databases and worker buffers one by one (the kernel drops the whole address space at once), a
        // millisecond or two of a small scan.
        Foundation.exit(0)
    }
}
