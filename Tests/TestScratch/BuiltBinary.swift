import Foundation

/// The package's debug `chatsieve` executable, run as a user runs it, for the tests that check what a command prints
/// and its exit status.
public enum BuiltBinary {
    /// `.build/debug/chatsieve` of this checkout (`swift test` builds it with the tests).
    public static let path: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/debug/chatsieve").path

    /// Thrown when the executable has not been built.
    public struct Missing: Error, CustomStringConvertible {
        public var description: String { "build the package first: \(BuiltBinary.path) is missing" }
    }

    /// Runs the executable with `args` (a subcommand first) in `directory` (this process's when nil), with
    /// `environment` set on top of this process's; returns the exit status, stdout and stderr.
    public static func run(_ args: [String], in directory: URL? = nil,
                           environment: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
        guard FileManager.default.isExecutableFile(atPath: path) else { throw Missing() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        if let directory { p.currentDirectoryURL = directory }
        if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        // Read both pipes to the end before waiting, so a chatty command cannot block on a full pipe.
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}
