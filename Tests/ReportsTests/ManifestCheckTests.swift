import ChatModel
import Foundation
import Testing
@testable import Reports

@Suite struct ManifestCheckTests {
    /// Writes real input files, scans the fixture "from" them, returns the manifest and the directory.
    func run(_ configure: (inout ReportOptions) -> Void = { _ in }) throws -> (Manifest, URL) {
        let dir = try Fixture.tempDir()
        var totals = Fixture.totals
        for i in totals.sources.indices {
            let path = dir.appendingPathComponent("input\(i).txt").path
            let data = Data("synthetic export \(i)\n".utf8)
            try data.write(to: URL(fileURLWithPath: path))
            totals.sources[i].path = path
            totals.sources[i].size = data.count
            totals.sources[i].sha256 = sha256Hex(data)
        }
        let w = try Fixture.write({ $0.jsonl = dir.appendingPathComponent("h.jsonl").path; $0.csv = dir.appendingPathComponent("h.csv").path
            configure(&$0) }, totals: totals)
        return (w.manifest!, dir)
    }

    @Test func untouchedFilesVerify() throws {
        let (m, _) = try run()
        #expect(ManifestCheck.verifyFiles(m).isEmpty)
    }

    @Test func aChangedInputOrOutputIsReported() throws {
        let (m, dir) = try run()
        try Data("tampered\n".utf8).write(to: dir.appendingPathComponent("input1.txt"))
        try FileManager.default.removeItem(at: dir.appendingPathComponent("h.csv"))
        let problems = ManifestCheck.verifyFiles(m).map(\.description)
        #expect(problems.contains { $0.hasSuffix("input1.txt: size 9, manifest says 19") })
        #expect(problems.contains { $0.contains("input1.txt: SHA-256 ") })
        #expect(problems.contains { $0.hasSuffix("h.csv: missing or unreadable") })
        #expect(!problems.contains { $0.contains("input0.txt") })
    }

    @Test("relative paths: the recorded working directory, else the base the manifest's own path implies, else the current directory")
    func pathBaseFallsBackSensibly() throws {
        var (m, dir) = try run()
        m.outputs = [.init(kind: "manifest", path: "out/h.manifest.json", bytes: nil, sha256: nil)]
        m.workingDirectory = dir.path
        #expect(ManifestCheck.pathBase(for: m, at: "/elsewhere/out/h.manifest.json", currentDirectory: "/cwd").directory == dir.path)
        m.workingDirectory = dir.path + "/gone"
        let moved = ManifestCheck.pathBase(for: m, at: "../copy/./out/h.manifest.json", currentDirectory: "/cwd/sub")
        #expect(moved.directory == "/cwd/copy")
        #expect(moved.why.contains("is not here"))
        // An older manifest (no working_directory) that is not where its recorded path says: the current directory.
        let json = String(decoding: try m.json(), as: UTF8.self).replacingOccurrences(of: "\"working_directory\"", with: "\"unknown_key\"")
        let old = try JSONDecoder().decode(Manifest.self, from: Data(json.utf8))
        #expect(old.workingDirectory == nil)
        #expect(ManifestCheck.pathBase(for: old, at: "/x/renamed.json", currentDirectory: "/cwd").directory == "/cwd")
    }

    @Test func aReRunWithTheSameSetupComparesEqual() throws {
        let (a, _) = try run()
        let (b, _) = try run()
        // Different paths and times, same inputs, packs, options and hits.
        #expect(ManifestCheck.compare(a, b).isEmpty)
    }

    @Test func differentOptionsOrHitsAreReported() throws {
        let (a, _) = try run()
        let (b, _) = try run { $0.redact = true }
        let subjects = ManifestCheck.compare(a, b).map(\.subject)
        #expect(subjects.contains("options.redact"))
        #expect(subjects.contains("outputs.jsonl.sha256"))
        #expect(subjects.contains("outputs.csv.sha256"))
        #expect(!subjects.contains("inputs"))
    }
}
