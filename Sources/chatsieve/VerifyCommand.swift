import ArgumentParser
import Foundation
import Reports

/// `chatsieve verify MANIFEST [OTHER]`: re-hashes the inputs and outputs a scan's manifest lists; with a second
/// manifest, also says whether the two runs used the same tool, packs, inputs and options and got the same hits.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check an evidence manifest against the files, or compare two runs' manifests.",
        discussion: "Exit status 0 when everything matches, 1 when something differs or is missing.")

    @Argument(help: "The manifest of a scan (written beside its outputs as <name>.manifest.json).")
    var manifest: String

    @Argument(help: "A second manifest to compare with (e.g. from a re-run by another examiner).")
    var other: String?

    func run() throws {
        var findings: [String] = []
        let a = try load(manifest)
        findings += ManifestCheck.verifyFiles(a).map { "\(manifest): \($0)" }
        if let other {
            let b = try load(other)
            findings += ManifestCheck.verifyFiles(b).map { "\(other): \($0)" }
            findings += ManifestCheck.compare(a, b).map { "differs: \($0)" }
        }
        for f in findings { FileHandle.standardError.write(Data((f + "\n").utf8)) }
        if findings.isEmpty {
            print(other == nil ? "\(manifest): \(a.inputs.count) input(s) and \(a.outputs.filter { $0.sha256 != nil }.count) output(s) match"
                               : "same tool, rule packs, inputs, options and hits")
        } else {
            throw ExitCode(1)
        }
    }

    private func load(_ path: String) throws -> Manifest {
        do { return try Manifest.load(path) } catch {
            FileHandle.standardError.write(Data("\(path): not a ChatSieve manifest: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
