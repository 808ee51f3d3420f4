import ArgumentParser
import ChatModel
import ChatParsers
import Foundation

/// `chatsieve parse PATH...`: prints every message as one JSON object per line (stdout) and every issue plus a
/// summary per file and in total (stderr). Exit status 1 when any input failed; good inputs are still printed.
struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Read chat exports and print one JSON object per message per line.",
        discussion: """
        Files and folders (walked recursively, in sorted order). Formats are detected from the content: \
        whatsapp (txt or zip), messenger, messenger-e2ee, instagram, telegram; `lines` reads any text file \
        one message per line. Files that are not chat exports are skipped and listed on stderr. In WhatsApp and \
        lines exports a message holding a NUL byte or invalid UTF-8 is left out and reported as an error (exit \
        status 1); the rest of the file is printed.
        """
    )

    @Argument(help: "Files or folders to read.")
    var paths: [String]

    @Option(help: "Force the format: whatsapp, messenger, messenger-e2ee, instagram, telegram or lines.")
    var format: String?

    @Option(help: "Order of day, month and year in WhatsApp dates: dmy, mdy or ymd.")
    var dateOrder: String?

    @Option(help: "Chat name to use (WhatsApp text has none inside; JSON exports carry their own).")
    var chat: String?

    @Flag(help: "Only count messages and unparsed lines, without printing records (WhatsApp text: the zero-copy span parser the scan uses); prints MB/s on stderr. The parse-only benchmark.")
    var countOnly = false

    func validate() throws {
        do { _ = try ParseOptions.fromCommandLine(format: format, dateOrder: dateOrder, chatName: chat) } catch let e as InputError {
            throw ValidationError(e.reason)
        }
    }

    func run() throws {
        let options = try ParseOptions.fromCommandLine(format: format, dateOrder: dateOrder, chatName: chat)
        if countOnly { return try runCount(options) }
        var out: [UInt8] = []
        out.reserveCapacity(1 << 17)
        let stdout = FileHandle.standardOutput
        let stderr = FileHandle.standardError
        func flush() {
            if !out.isEmpty { stdout.write(Data(out)); out.removeAll(keepingCapacity: true) }
        }
        let result = ChatReader.parseAll(paths: paths, options: options, emit: { message in
            MessageJSONLine.append(message, to: &out)
            if out.count >= 1 << 16 { flush() }
        }, report: { line in
            flush()
            stderr.write(Data((line + "\n").utf8))
        })
        flush()
        if result.failed { throw ExitCode(1) }
    }

    /// `--count-only`: per-file counts and the parse-only throughput.
    private func runCount(_ options: ParseOptions) throws {
        let stderr = FileHandle.standardError
        let (sources, issues) = InputCollector.collect(paths: paths, options: options)
        for issue in issues { stderr.write(Data("\(issue)\n".utf8)) }
        var total = ParseCount(), failed = issues.contains { $0.severity == .error }
        let start = DispatchTime.now().uptimeNanoseconds
        for source in sources {
            do {
                let c = try ChatReader.count(source, options: options)
                for issue in c.errors { stderr.write(Data("\(issue)\n".utf8)) }
                if !c.errors.isEmpty { failed = true }
                total.messages += c.messages; total.unparsedLines += c.unparsedLines; total.bytes += c.bytes
                print("\(source.displayPath)\t\(source.format.rawValue)\t\(c.bytes) bytes\t\(c.messages) messages\t\(c.unparsedLines) unparsed lines")
            } catch {
                failed = true
                stderr.write(Data("\(error)\n".utf8))
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let mbs = seconds > 0 ? Double(total.bytes) / 1e6 / seconds : 0
        stderr.write(Data(String(format: "parsed %d files, %.1f MB, %d messages, %d unparsed lines in %.3f s: %.0f MB/s, %.0f messages/s\n",
                                 sources.count, Double(total.bytes) / 1e6, total.messages, total.unparsedLines, seconds, mbs,
                                 seconds > 0 ? Double(total.messages) / seconds : 0).utf8))
        if failed { throw ExitCode(1) }
    }
}
