import ArgumentParser

/// The `chatsieve` command line: a thin layer over the ChatSieve libraries, one file per subcommand.
@main
struct ChatSieve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chatsieve",
        abstract: "Scan exported chat logs with PCRE2 rule packs and report hits by sender and chat.",
        version: ChatSieveVersion.string,
        subcommands: [ScanCommand.self, ParseCommand.self, RulesCommand.self, ExplainCommand.self, GenerateCommand.self, VerifyCommand.self]
    )
}

enum ChatSieveVersion { static let string = "0.1.0" }
