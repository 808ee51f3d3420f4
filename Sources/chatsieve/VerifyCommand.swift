import ArgumentParser
import Foundation
import Reports

/// `chatsieve verify MANIFEST [OTHER]`: re-hashes the inputs and outputs a scan's manifest lists; with a second
/// manifest, also says whether the two runs used the same tool, packs, inputs and options and got the same hits.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check an evidence manifest against the files, or compare two runs' manifests.",
        discussion: """
        Relative paths in a manifest are resolved against the directory the scan ran in (its recorded \
        working_directory; else the folder the manifest's own recorded path implies; else the current directory), \
        and the directory used is printed. Exit status 0 when everything matches, 1 when something differs or is missing.
        """)

    @Argument(help: "The manifest of a scan (written beside its outputs as <name>.manifest.json).")
    var manifest: String

    @Argument(help: "A second manifest to compare with (e.g. from a re-run by another examiner).")
    var other: String?

    func run() throws {
        var findings: [String] = []
        var bases: [String] = []
        /// Checks one manifest's files, relative paths against the directory the scan ran in (`ManifestCheck.pathBase`).
        func verify(_ m: Manifest, at path: String) {
            var directory: String? = nil
            if ManifestCheck.hasRelativePaths(m) {
                let base = ManifestCheck.pathBase(for: m, at: path)
                directory = base.directory
                bases.append("\(path): relative paths resolved against \(base.directory) (\(base.why))")
            }
            findings += ManifestCheck.verifyFiles(m, relativeTo: directory).map { "\(path): \($0)" }
        }
        let a = try load(manifest)
        verify(a, at: manifest)
        if let other {
            let b = try load(other)
            verify(b, at: other)
            findings += ManifestCheck.compare(a, b).map { "differs: \($0)" }
        }
        if findings.isEmpty {
            for b in bases { print(b) }
            print(other == nil ? "\(manifest): \(a.inputs.count) input(s) and \(a.outputs.filter { $0.sha256 != nil }.count) output(s) match"
                               : "same tool, rule packs, inputs, options and hits")
        } else {
            for f in bases + findings { FileHandle.standardError.write(Data((f + "\n").utf8)) }
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
