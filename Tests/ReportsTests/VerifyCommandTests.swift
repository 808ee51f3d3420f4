import Foundation
import Reports
import TestScratch
import Testing

/// `chatsieve verify` run from another directory than the scan: relative paths in the manifest are resolved against
/// the directory the scan ran in, not the directory `verify` runs in.
@Suite struct VerifyCommandTests {
    let cli = ScanCommandTests()

    /// A scan run in `case/` on `in/chat.txt` writing `out/hits.jsonl` (and `out/hits.manifest.json`).
    func scannedCase() throws -> (root: URL, caseDir: URL) {
        let root = try TestScratch.directory("verify-cli")
        let caseDir = root.appendingPathComponent("case")
        try cli.write(ScanCommandTests.chat, to: "in/chat.txt", in: caseDir)
        try cli.write("idiot\n", to: "p.pcre", in: caseDir)
        try FileManager.default.createDirectory(at: caseDir.appendingPathComponent("out"), withIntermediateDirectories: true)
        let r = try cli.scan(["in/chat.txt", "--patterns", "p.pcre", "--quiet", "--jsonl", "out/hits.jsonl"], in: caseDir)
        #expect(r.status == 0, "\(r.err)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("elsewhere"), withIntermediateDirectories: true)
        return (root, caseDir)
    }

    @Test("the manifest records the scan's working directory and its paths as given")
    func manifestRecordsTheWorkingDirectory() throws {
        let (_, caseDir) = try scannedCase()
        let m = try Manifest.load(caseDir.appendingPathComponent("out/hits.manifest.json").path)
        #expect(m.workingDirectory.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
                == caseDir.resolvingSymlinksInPath().path)
        #expect(m.inputs.map(\.path) == ["in/chat.txt"])
        #expect(m.outputs.map(\.path) == ["out/hits.jsonl", "out/hits.manifest.json"])
    }

    @Test("verify run from another directory resolves relative paths against the scan's directory; a tampered input fails naming the file checked")
    func verifyFromAnotherDirectory() throws {
        let (root, caseDir) = try scannedCase()
        let manifest = caseDir.appendingPathComponent("out/hits.manifest.json").path
        let elsewhere = root.appendingPathComponent("elsewhere")
        let ok = try cli.chatsieve(["verify", manifest], in: elsewhere)
        #expect(ok.status == 0, "\(ok.out) \(ok.err)")
        #expect(ok.out.contains("1 input(s) and 1 output(s) match"), "\(ok.out)")
        #expect(ok.out.contains("the scan's working directory"), "\(ok.out)")
        // Relative to the verify process's directory the files are not there: a verify there would have failed.
        #expect(!FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("in/chat.txt").path))

        try Data((ScanCommandTests.chat + "x").utf8).write(to: caseDir.appendingPathComponent("in/chat.txt"))
        let bad = try cli.chatsieve(["verify", manifest], in: elsewhere)
        #expect(bad.status == 1)
        let checked = caseDir.appendingPathComponent("in/chat.txt").path
        #expect(bad.err.contains("in/chat.txt (checked ") && bad.err.contains("SHA-256 "), "\(bad.err)")
        #expect(bad.err.contains(checked) || bad.err.contains(URL(fileURLWithPath: checked).resolvingSymlinksInPath().path), "\(bad.err)")
    }

    @Test("a case folder moved whole still verifies: the base is judged from the manifest's own recorded path")
    func movedCaseFolderVerifies() throws {
        let (root, caseDir) = try scannedCase()
        let moved = root.appendingPathComponent("copy/case-moved")
        try FileManager.default.createDirectory(at: moved.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: caseDir, to: moved)
        let r = try cli.chatsieve(["verify", "../copy/case-moved/out/hits.manifest.json"], in: root.appendingPathComponent("elsewhere"))
        #expect(r.status == 0, "\(r.out) \(r.err)")
        #expect(r.out.contains("judged from the manifest's recorded path out/hits.manifest.json"), "\(r.out)")
        #expect(r.out.contains("is not here"), "\(r.out)")
    }
}
