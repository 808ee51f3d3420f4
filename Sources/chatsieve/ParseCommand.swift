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
        let encoder = ChatReader.messageEncoder()
        var out = Data()
        out.reserveCapacity(1 << 16)
        let stdout = FileHandle.standardOutput
        let stderr = FileHandle.standardError
        let result = try ChatReader.parseAll(paths: paths, options: options, emit: { message in
            out.append(try encoder.encode(message))
            out.append(0x0A)
            if out.count >= 1 << 16 { stdout.write(out); out.removeAll(keepingCapacity: true) }
        }, report: { line in
            if !out.isEmpty { stdout.write(out); out.removeAll(keepingCapacity: true) }
            stderr.write(Data((line + "\n").utf8))
        })
        if !out.isEmpty { stdout.write(out) }
        if result.failed { throw ExitCode(1) }
    }
}
