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
        one message per line. Files that are not chat exports are skipped and listed on stderr.
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

    func validate() throws {
        do { _ = try ParseOptions.fromCommandLine(format: format, dateOrder: dateOrder, chatName: chat) } catch let e as InputError {
            throw ValidationError(e.reason)
        }
    }

    func run() throws {
        let options = try ParseOptions.fromCommandLine(format: format, dateOrder: dateOrder, chatName: chat)
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
}
