import Foundation

/// Temporary folders for tests: all of them live in one folder per test process, which is removed when the process
/// exits, so a test run leaves nothing behind in the system's temporary directory.
public enum TestScratch {
    /// `$TMPDIR/chatsieve-tests-<pid>-<uuid>`, created on first use.
    public static let root: URL = {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("chatsieve-tests-\(getpid())-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: TestScratch.root) }
        return url
    }()

    /// A fresh path inside `root` named `<prefix>-<uuid>` (not created).
    public static func path(_ prefix: String) -> URL {
        root.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    }

    /// A fresh, created folder inside `root`.
    public static func directory(_ prefix: String) throws -> URL {
        let url = path(prefix)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
