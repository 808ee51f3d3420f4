import ChatModel
import Foundation
import RuleKit

/// One input of a scan: how to open it (lazily, when the scan reaches it) and which file on disk to hash.
public struct ScanInput: Sendable {
    public var displayPath: String
    /// The file on disk whose size and SHA-256 go into the manifest (nil when there is none).
    public var hashPath: String?
    /// Every evidence file behind the input (a `.txt`, a `.zip`, the `message_N.json` of a thread), hashed as stored.
    public var evidenceFiles: [String]
    public var open: @Sendable () throws -> ChunkedMessageSource
    public init(displayPath: String, hashPath: String?, evidenceFiles: [String]? = nil,
                open: @escaping @Sendable () throws -> ChunkedMessageSource) {
        self.displayPath = displayPath; self.hashPath = hashPath; self.open = open
        self.evidenceFiles = evidenceFiles ?? hashPath.map { [$0] } ?? []
    }
}

/// Options of a scan run that change its results or its resource use.
public struct ScanOptions: Sendable {
    public var threads: Int
    public var context: ContextWindow
    public var minSeverity: Severity?
    public var profile: Bool
    /// Hash every input's evidence files (SHA-256, recorded in `ScanReport.totals.sources`). Off when no output
    /// records the hashes; the sources then have an empty `sha256`.
    public var hashEvidence = true
    /// Called (serialised) with bytes done so far, for a progress display.
    public var progress: (@Sendable (_ bytesDone: Int, _ filesDone: Int) -> Void)?
    /// What collecting the inputs found (files that could not be read as chats, files skipped): every output gets
    /// them (`ScanTotals.skipped`), and each error also becomes a source record with that error, after the inputs.
    public var inputIssues: [ParseIssue] = []
    public init(threads: Int = Parallel.cores, context: ContextWindow = ContextWindow(context: 0),
                minSeverity: Severity? = nil, profile: Bool = false) {
        self.threads = max(1, threads); self.context = context; self.minSeverity = minSeverity; self.profile = profile
    }
}

/// What a run measured, for the summary line and `--profile`.
public struct ScanReport: Sendable {
    public var totals: ScanTotals
    public var hits: Int
    public var hitMessages: Int
    public var failedInputs: Int
    public var ruleProfiles: [RuleProfile]
    public var prefilterSeconds: Double
    public var confirmSeconds: Double
    /// Worker time per input, slowest first.
    public var inputSeconds: [(path: String, seconds: Double, bytes: Int)]
    /// Largest anonymous resident memory sampled between chunks (`--profile` only; 0 otherwise).
    public var peakAnonymousBytes: Int
    /// `--profile` only (empty otherwise): per rule, nanoseconds its prefilter expressions took alone over the first
    /// chunk's buffers (`PrefilterCost`), and the size of those buffers.
    public var prefilterCostNanos: [UInt64] = []
    public var prefilterSampleBytes = 0
}

/// Resident memory of this process from /proc/self/status (Linux): anonymous and file-backed, current and peak.
public struct MemoryStats: Sendable {
    public var anonymous = 0
    public var file = 0
    public var peakTotal = 0
    public static func current() -> MemoryStats {
        var s = MemoryStats()
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return s }
        for line in text.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count >= 2, let kb = Int(parts[1]) else { continue }
            switch parts[0] {
            case "RssAnon:": s.anonymous = kb * 1024
            case "RssFile:": s.file = kb * 1024
            case "VmHWM:": s.peakTotal = kb * 1024
            default: break
            }
        }
        return s
    }
}

/// Runs a compiled rule set over many inputs on all cores, in chunks, streaming hits to a sink in a deterministic
/// order (input order, then message order) whatever the thread count.
public final class ScanRunner: @unchecked Sendable {
    let rules: ConfirmingRules
    let plans: PrefilterSet
    let options: ScanOptions

    public init(rules: ConfirmingRules, plans: PrefilterSet, options: ScanOptions) {
        self.rules = rules; self.plans = plans; self.options = options
    }

    private let lock = NSCondition()
    // State below is guarded by `lock`.
    private var inputs: [ScanInput] = []
    private var sources: [Int: ChunkedMessageSource] = [:]
    private var nextInput = 0
    private var currentChunk = 0
    private var opening = false
    private var nextSeq = 0
    private var nextEmit = 0
    private var seqInput: [Int: Int] = [:]
    private var results: [Int: ChunkResult] = [:]
    private var emitting = false
    private var hashQueue: [Int] = []
    /// Largest anonymous resident memory seen between chunks (bytes), when profiling.
    private var peakAnon = 0
    private var records: [Int: SourceRecord] = [:]
    /// SHA-256 of each input's evidence files (hashed as soon as the input is reached, in parallel with opening it).
    private var digestsByInput: [Int: (sha: String, files: [FileDigest])] = [:]
    private var inputMessages: [Int: Int] = [:]
    private var inputUnparsed: [Int: Int] = [:]
    private var inputNanos: [Int: UInt64] = [:]
    private var bytesDone = 0
    private var filesDone = 0
    private var firstError: Error?
    private var workers: [ScanWorker] = []
    private var emitter: OrderedEmitter!
    private var hitMessages = 0

    private enum Task { case chunk(seq: Int, input: Int, chunk: Int, source: ChunkedMessageSource), hash(Int), done }

    /// Scans every input and hands results to `sink`; calls `sink.finish` at the end.
    /// `threads`: started beforehand with exactly `options.threads - 1` threads (see `WorkerThreads`; another
    /// count is a programming error and stops the process); without it the workers run through
    /// `DispatchQueue.concurrentPerform`.
    public func run(_ inputs: [ScanInput], sink: HitSink, threads pool: WorkerThreads? = nil) throws -> ScanReport {
        let start = DispatchTime.now().uptimeNanoseconds
        self.inputs = inputs
        emitter = OrderedEmitter(sink: sink, context: options.context)
        let n = options.threads
        if let pool {
            precondition(pool.count + 1 == n, "a pool of \(pool.count) threads for a scan with \(n) threads")
            pool.run { _ in self.workerLoop() }
        } else {
            DispatchQueue.concurrentPerform(iterations: n) { _ in self.workerLoop() }
        }
        if let e = firstError { throw e }
        emitter.totals.issues += takeOpenIssues(before: inputs.count)
        try emitter.flushPending()
        var totals = emitter.totals
        for (i, d) in digestsByInput { records[i]?.sha256 = d.sha; records[i]?.files = d.files }
        totals.sources = inputs.indices.compactMap { records[$0] }
        totals.bytes = totals.sources.reduce(0) { $0 + $1.size }
        totals.sources += unreadableInputRecords()
        totals.skipped = options.inputIssues
        totals.elapsedSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        try sink.finish(totals: totals)
        var profiles = Array(repeating: RuleProfile(), count: rules.ruleCount)
        var pre: UInt64 = 0, conf: UInt64 = 0
        for w in workers {
            pre += w.prefilterNanos; conf += w.confirmNanos
            for (i, p) in w.profile.enumerated() {
                profiles[i].candidates += p.candidates; profiles[i].hits += p.hits
                profiles[i].hitMessages += p.hitMessages; profiles[i].confirmNanos += p.confirmNanos
            }
        }
        let perInput = inputs.indices.map { (path: inputs[$0].displayPath, seconds: Double(inputNanos[$0] ?? 0) / 1e9,
                                             bytes: records[$0]?.size ?? 0) }.sorted { $0.seconds > $1.seconds }
        var report = ScanReport(totals: totals, hits: emitter.hitCount, hitMessages: hitMessages,
                                failedInputs: totals.sources.filter { $0.error != nil }.count, ruleProfiles: profiles,
                                prefilterSeconds: Double(pre) / 1e9, confirmSeconds: Double(conf) / 1e9, inputSeconds: perInput,
                                peakAnonymousBytes: peakAnon)
        if options.profile, let sample = workers.lazy.compactMap(\.sample).max(by: { $0.bytes < $1.bytes }) {
            report.prefilterCostNanos = PrefilterCost.perRule(plan: plans, sample: sample, ruleCount: rules.ruleCount)
            report.prefilterSampleBytes = sample.bytes
        }
        return report
    }

    /// A source record for each error of `options.inputIssues` (a file that could not be read as a chat): its size
    /// and, when evidence is hashed, the SHA-256 of a regular file as stored.
    private func unreadableInputRecords() -> [SourceRecord] {
        options.inputIssues.filter { $0.severity == .error }.map { issue in
            var st = stat()
            let regular = stat(issue.file, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
            var record = SourceRecord(path: issue.file, size: regular ? Int(st.st_size) : 0, sha256: "", format: nil,
                                      messages: 0, unparsedLines: 0, error: issue.description)
            if regular && options.hashEvidence, let d = MappedFile.sha256(path: issue.file) {
                record.sha256 = d.sha256
                record.files = [FileDigest(path: issue.file, size: d.size, sha256: d.sha256)]
            }
            return record
        }
    }

    private var maxAhead: Int { options.threads * 3 + 2 }

    private func workerLoop() {
        let worker = ScanWorker(plans: plans, rules: rules, profiling: options.profile)
        lock.lock(); workers.append(worker); lock.unlock()
        while true {
            switch nextTask() {
            case .done: return
            case .hash(let i): hash(i)
            case .chunk(let seq, let input, let chunk, let source):
                let r = worker.process(source: source, input: input, chunk: chunk, context: options.context,
                                       minSeverity: options.minSeverity)
                complete(seq: seq, result: r)
            }
        }
    }

    private func nextTask() -> Task {
        lock.lock(); defer { lock.unlock() }
        while true {
            if firstError != nil { return .done }
            if let h = hashQueue.first { hashQueue.removeFirst(); return .hash(h) }
            if let src = sources[nextInput - 1], currentChunk < src.chunkCount, nextSeq - nextEmit < maxAhead {
                let t = Task.chunk(seq: nextSeq, input: nextInput - 1, chunk: currentChunk, source: src)
                seqInput[nextSeq] = nextInput - 1
                nextSeq += 1; currentChunk += 1
                return t
            }
            let currentDone = nextInput == 0 || (sources[nextInput - 1].map { currentChunk >= $0.chunkCount } ?? true)
            if currentDone && !opening && nextInput < inputs.count {
                opening = true
                let i = nextInput
                lock.unlock()
                let opened = open(i)
                lock.lock()
                opening = false
                nextInput = i + 1
                currentChunk = 0
                if let s = opened.source {
                    sources[i] = s
                    if s.chunkCount == 0 { finishEmptyInput(i, s) }
                }
                lock.broadcast()
                continue
            }
            // Nothing left to hand out: done. The chunks still being scanned are emitted by the workers that complete
            // them (`complete` emits every result that is next in order), so an idle worker need not wait for them
            // (it used to block here and be woken for nothing, a fraction of a millisecond at the end of a scan).
            if nextInput >= inputs.count && currentDone && !opening { return .done }
            lock.wait()
        }
    }

    /// Opens input `i` (outside the lock); failures become a source record with the error.
    private func open(_ i: Int) -> OpenedInput {
        let input = inputs[i]
        var size = 0
        for path in input.evidenceFiles { size += MappedFile.size(path: path) ?? 0 }
        // Hash the evidence files while the input is opened (a WhatsApp export's layout pass reads the whole file):
        // another worker picks the hash up now instead of idling until the first chunk is ready.
        if options.hashEvidence && !input.evidenceFiles.isEmpty {
            lock.lock(); hashQueue.append(i); lock.broadcast(); lock.unlock()
        }
        do {
            let s = try input.open()
            lock.lock()
            records[i] = SourceRecord(path: input.displayPath, size: size, sha256: "", format: s.format, messages: 0, unparsedLines: 0)
            lock.unlock()
            return OpenedInput(source: s, error: nil)
        } catch {
            let reason = (error as? InputError)?.reason ?? "\(error)"
            let line = (error as? InputError)?.line
            let issue = ParseIssue(file: input.displayPath, line: line, severity: .error, reason: reason)
            lock.lock()
            records[i] = SourceRecord(path: input.displayPath, size: size, sha256: "", format: nil, messages: 0,
                                      unparsedLines: 0, error: issue.description)
            openIssues[i] = issue
            lock.unlock()
            return OpenedInput(source: nil, error: issue)
        }
    }

    /// Inputs that failed to open, by index: their issues join the totals in input order, before the first chunk of
    /// any later input (whenever the open happened), so a re-run lists them in the same place.
    private var openIssues: [Int: ParseIssue] = [:]
    /// Inputs below this index have had their open issue taken.
    private var openIssuesTakenBefore = 0

    /// The open issues of the inputs below `i` not taken yet, in input order (under the lock).
    private func takeOpenIssues(before i: Int) -> [ParseIssue] {
        var out: [ParseIssue] = []
        while openIssuesTakenBefore < i {
            if let issue = openIssues.removeValue(forKey: openIssuesTakenBefore) { out.append(issue) }
            openIssuesTakenBefore += 1
        }
        return out
    }

    private func finishEmptyInput(_ i: Int, _ s: ChunkedMessageSource) {
        filesDone += 1
    }

    /// Hashes every evidence file of input `i` as stored (read from disk, independently of the scan's mapping).
    private func hash(_ i: Int) {
        let files = inputs[i].evidenceFiles
        guard !files.isEmpty else { return }
        var digests: [FileDigest] = []
        for path in files {
            if let d = MappedFile.sha256(path: path) { digests.append(FileDigest(path: path, size: d.size, sha256: d.sha256)) }
        }
        let listing = digests.map { "\($0.sha256)  \($0.path)\n" }.joined()
        let sha = digests.count == 1 && files.count == 1 ? digests[0].sha256
            : digests.isEmpty ? "" : Array(listing.utf8).withUnsafeBytes { MappedFile.sha256($0) }
        lock.lock()
        digestsByInput[i] = (sha: sha, files: digests)
        lock.unlock()
    }

    private func complete(seq: Int, result: ChunkResult) {
        lock.lock()
        results[seq] = result
        inputNanos[result.input, default: 0] += result.nanos
        guard !emitting else { lock.broadcast(); lock.unlock(); return }
        emitting = true
        while let r = results.removeValue(forKey: nextEmit) {
            nextEmit += 1
            let issues = r.chunk == 0 ? takeOpenIssues(before: r.input) : []
            lock.unlock()
            do {
                emitter.totals.issues += issues
                if r.chunk == 0, let s = sourceFor(r.input) { try emitter.begin(input: r.input, source: s) }
                let before = emitter.totals.messages
                let unparsedBefore = emitter.totals.unparsedLines
                let chunkIssues = try emitter.add(r)
                lock.lock()
                hitMessages += r.items.count
                inputMessages[r.input, default: 0] += emitter.totals.messages - before
                inputUnparsed[r.input, default: 0] += emitter.totals.unparsedLines - unparsedBefore
                records[r.input]?.messages = inputMessages[r.input] ?? 0
                records[r.input]?.unparsedLines = inputUnparsed[r.input] ?? 0
                if records[r.input]?.error == nil, let e = chunkIssues.first(where: { $0.severity == .error }) {
                    records[r.input]?.error = e.description
                }
                bytesDone += r.bytes
                if r.isLast { filesDone += 1; sources[r.input] = nil }
                if let cb = options.progress { cb(bytesDone, filesDone) }
                if options.profile { peakAnon = max(peakAnon, MemoryStats.current().anonymous) }
            } catch {
                lock.lock()
                if firstError == nil { firstError = error }
            }
        }
        emitting = false
        lock.broadcast()
        lock.unlock()
    }

    private func sourceFor(_ i: Int) -> ChunkedMessageSource? {
        lock.lock(); defer { lock.unlock() }
        return sources[i]
    }
}
