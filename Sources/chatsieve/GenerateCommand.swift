import ArgumentParser
import CorpusKit
import Foundation

/// `chatsieve generate`: writes deterministic synthetic chat exports (with planted hits and ground truth) for tests
/// and benchmarks, or the small demo set.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write synthetic chat exports with planted hits, near-misses and a ground-truth file.",
        discussion: """
        Examples:
          chatsieve generate --format whatsapp --bytes 1G --seed 1 --out bench/wa
          chatsieve generate --format whatsapp --bytes 200M --files 8 --out bench/wa8
          chatsieve generate --demo corpora/demo
        Sizes are decimal (M = 10^6 bytes). The same options always give the same bytes.
        """)

    @Option(help: "Export format: \(CorpusFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: String = "whatsapp"

    @Option(help: "Total size of the exports, e.g. 10M, 200M, 1G (decimal units).")
    var bytes: String = "10M"

    @Option(help: "Seed for the deterministic generator.")
    var seed: UInt64 = 1

    @Option(help: "Split into this many files (WhatsApp, lines), threads (Messenger, Instagram) or chats (Telegram).")
    var files: Int = 1

    @Option(help: "Output folder (created if missing).")
    var out: String?

    @Option(help: "Ground-truth JSON Lines file (default: OUT/ground-truth.jsonl; demo: DIR-ground-truth.jsonl beside DIR).")
    var truth: String?

    @Option(help: "Write the small demo set (WhatsApp Android .txt, iOS .zip, Messenger thread) into this folder.")
    var demo: String?

    @Flag(help: "Store iOS zips without compression (faster for big corpora).")
    var store = false

    func run() throws {
        do {
            if let demo {
                let dir = URL(fileURLWithPath: demo)
                let truthURL = truth.map { URL(fileURLWithPath: $0) } ?? DemoCorpus.defaultTruthURL(for: dir)
                let written = try DemoCorpus.write(to: dir, groundTruth: truthURL)
                for f in written { print(f) }
                return
            }
            guard let out else { throw ValidationError("--out DIR is required (or use --demo DIR)") }
            guard let fmt = CorpusFormat(rawValue: format) else {
                throw ValidationError("unknown format '\(format)'; use one of: \(CorpusFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let spec = CorpusSpec(format: fmt, bytes: try CorpusGenerator.parseSize(bytes), seed: seed, files: files,
                                  outDir: URL(fileURLWithPath: out), groundTruth: truth.map { URL(fileURLWithPath: $0) },
                                  deflate: !store)
            let start = Date()
            let s = try CorpusGenerator.generate(spec)
            let secs = Date().timeIntervalSince(start)
            let mbps = Double(s.bytesWritten) / 1e6 / max(secs, 1e-9)
            FileHandle.standardError.write(Data("""
                wrote \(s.files.count) file(s), \(s.bytesWritten) bytes, \(s.messages) messages \
                (\(s.planted) planted, \(s.nearMisses) near-misses) in \(String(format: "%.2f", secs)) s \
                (\(String(format: "%.0f", mbps)) MB/s); ground truth: \(s.groundTruth)

                """.utf8))
        } catch let e as CorpusError {
            throw ValidationError(e.description)
        }
    }
}
