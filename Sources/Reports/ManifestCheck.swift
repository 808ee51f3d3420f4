import ChatModel
import Crypto
import Foundation

/// Checks an evidence manifest against the files on disk, and two manifests against each other: the second
/// examiner's tools for "are these the same inputs and outputs" and "did my re-run give the same hits".
public enum ManifestCheck {
    /// One difference found; `subject` names the file or field.
    public struct Finding: Sendable, Equatable, CustomStringConvertible {
        public var subject: String
        public var problem: String
        public var description: String { "\(subject): \(problem)" }
    }

    /// Re-hashes every input and every hashed output listed in `manifest` (relative paths against
    /// `directory`, default the current directory). Empty when everything matches. A finding about a relative path
    /// names the file it checked: `in/chat.txt (checked /case/in/chat.txt): ...`.
    public static func verifyFiles(_ manifest: Manifest, relativeTo directory: String? = nil) -> [Finding] {
        var found: [Finding] = []
        func resolve(_ p: String) -> String {
            guard let directory, !p.hasPrefix("/") else { return p }
            return URL(fileURLWithPath: directory).appendingPathComponent(p).standardizedFileURL.path
        }
        func check(_ path: String, size: Int?, sha256: String?) {
            guard let sha256, path != "-" else { return }
            let checked = resolve(path)
            let subject = checked == path ? path : "\(path) (checked \(checked))"
            guard let (digest, bytes) = hashFile(checked) else {
                found.append(Finding(subject: subject, problem: "missing or unreadable"))
                return
            }
            if let size, size != bytes { found.append(Finding(subject: subject, problem: "size \(bytes), manifest says \(size)")) }
            if digest != sha256 { found.append(Finding(subject: subject, problem: "SHA-256 \(digest), manifest says \(sha256)")) }
        }
        for i in manifest.inputs where i.error == nil || !i.sha256.isEmpty {
            if i.files.isEmpty { check(i.path, size: i.size, sha256: i.sha256) }
            for f in i.files { check(f.path, size: f.size, sha256: f.sha256) }
        }
        for o in manifest.outputs { check(o.path, size: o.bytes, sha256: o.sha256) }
        return found
    }

    /// The directory `verify` resolves a manifest's relative paths against, and why that one:
    /// 1. the scan's recorded `working_directory`, when it is a folder here;
    /// 2. else the folder the scan ran in judged from where the manifest is now: the manifest records its own path
    ///    as given (say `out/hits.manifest.json`), so a manifest read at `/copy/case/out/hits.manifest.json` was
    ///    written from `/copy/case` (a case folder copied or moved whole, or a manifest of an earlier version);
    /// 3. else `currentDirectory`.
    /// `manifestPath`: where the manifest was read from (relative to `currentDirectory`).
    public static func pathBase(for manifest: Manifest, at manifestPath: String,
                                currentDirectory: String = FileManager.default.currentDirectoryPath) -> (directory: String, why: String) {
        var isDir: ObjCBool = false
        if let wd = manifest.workingDirectory, wd.hasPrefix("/"), FileManager.default.fileExists(atPath: wd, isDirectory: &isDir),
           isDir.boolValue {
            return (wd, "the scan's working directory")
        }
        let here = URL(fileURLWithPath: manifestPath, relativeTo: URL(fileURLWithPath: currentDirectory, isDirectory: true))
            .standardizedFileURL.pathComponents
        if let recorded = manifest.outputs.first(where: { $0.kind == "manifest" })?.path, !recorded.hasPrefix("/") {
            let tail = recorded.split(separator: "/").map(String.init).filter { $0 != "." }
            if !tail.isEmpty, !tail.contains(".."), here.count > tail.count, Array(here.suffix(tail.count)) == tail {
                let base = NSString.path(withComponents: Array(here.dropLast(tail.count)))
                let gone = manifest.workingDirectory.map { " (the recorded working directory \($0) is not here)" } ?? ""
                return (base, "where the scan ran, judged from the manifest's recorded path \(recorded)" + gone)
            }
        }
        let gone = manifest.workingDirectory.map { "; the recorded working directory \($0) is not here" } ?? ""
        return (currentDirectory, "the current directory\(manifest.workingDirectory == nil ? ": the manifest records no working directory" : gone)")
    }

    /// True when the manifest lists a file by a relative path (which `pathBase` then decides).
    public static func hasRelativePaths(_ manifest: Manifest) -> Bool {
        let paths = manifest.inputs.flatMap { i in i.files.isEmpty ? [i.path] : i.files.map(\.path) }
            + manifest.outputs.filter { $0.sha256 != nil }.map(\.path)
        return paths.contains { !$0.hasPrefix("/") && $0 != "-" }
    }

    /// Differences that matter for reproducing a scan: tool version, rule packs, inputs, result-changing options,
    /// hit totals and the hashes of the JSON Lines and CSV outputs (times and output paths are ignored).
    public static func compare(_ a: Manifest, _ b: Manifest) -> [Finding] {
        var found: [Finding] = []
        func diff(_ subject: String, _ x: String, _ y: String) {
            if x != y { found.append(Finding(subject: subject, problem: "\(x) vs \(y)")) }
        }
        diff("tool_version", a.toolVersion, b.toolVersion)
        diff("rule_packs", a.rulePacks.map { "\($0.id)@\($0.version ?? "-"):\($0.sha256)" }.sorted().joined(separator: ","),
             b.rulePacks.map { "\($0.id)@\($0.version ?? "-"):\($0.sha256)" }.sorted().joined(separator: ","))
        diff("inputs", a.inputs.map(\.sha256).sorted().joined(separator: ","), b.inputs.map(\.sha256).sorted().joined(separator: ","))
        // Output and rule paths may differ between examiners (rule content is compared through the packs' hashes);
        // the thread count never changes results.
        let pathOptions: Set<String> = ["jsonl", "csv", "html", "db", "manifest", "patterns", "keywords", "rules", "threads"]
        for key in Set(a.options.keys).union(b.options.keys).subtracting(pathOptions).sorted() {
            diff("options.\(key)", a.options[key] ?? "(unset)", b.options[key] ?? "(unset)")
        }
        diff("totals.hits", String(a.totals.hits), String(b.totals.hits))
        diff("totals.hit_messages", String(a.totals.hitMessages), String(b.totals.hitMessages))
        for kind in ["jsonl", "csv"] {
            guard let x = a.outputs.first(where: { $0.kind == kind })?.sha256,
                  let y = b.outputs.first(where: { $0.kind == kind })?.sha256 else { continue }
            diff("outputs.\(kind).sha256", x, y)
        }
        return found
    }

    /// Hex SHA-256 and size of a file, streamed; nil when it cannot be read.
    public static func hashFile(_ path: String) -> (String, Int)? {
        guard let h = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? h.close() }
        var hasher = SHA256()
        var size = 0
        do {
            // read(upToCount:) returns nil or empty data at the end of the file.
            while let chunk = try h.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
                size += chunk.count
            }
        } catch { return nil }
        return (Hex.string(hasher.finalize()), size)
    }
}
