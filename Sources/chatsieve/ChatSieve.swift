import ArgumentParser
import Foundation

/// The `chatsieve` command line: a thin layer over the ChatSieve libraries, one file per subcommand.
@main
struct ChatSieve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chatsieve",
        abstract: "Scan exported chat logs with PCRE2 rule packs and report hits by sender and chat.",
        version: ChatSieveVersion.string,
        subcommands: [ScanCommand.self, ParseCommand.self, RulesCommand.self, ExplainCommand.self, GenerateCommand.self, VerifyCommand.self]
    )

    /// Runs the command line as ArgumentParser does, except that bad usage (an unknown option, a missing argument, a
    /// value `validate()` rejects: ArgumentParser's exit status 64) exits with 2, the status every subcommand
    /// documents for bad options.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}

enum ChatSieveVersion { static let string = "0.1.0" }
