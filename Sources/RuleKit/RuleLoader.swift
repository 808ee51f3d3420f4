import ChatModel
import Crypto
import Foundation

/// Loads rule files, pack folders, plain pattern files and keyword lists into a validated `RuleSet`.
/// Loading is all or nothing: if any file fails, `RuleLoadError` carries the diagnostics of every file.
public enum RuleLoader {
    /// Loads YAML rule files (`.yaml`/`.yml`), keyword lists (`.txt` with a header) and pack folders.
    /// A folder with `pack.yaml`, rule files or keyword lists is a pack; its subfolders are searched for further packs.
    public static func load(paths: [String], taxonomy: Taxonomy = .standard) throws(RuleLoadError) -> RuleSet {
        let (set, diagnostics) = collect(paths: paths, taxonomy: taxonomy)
        if diagnostics.contains(where: { $0.level == .error }) { throw RuleLoadError(diagnostics: diagnostics) }
        return set
    }

    /// Reads everything it can and returns the rules (including those of files with errors) and all
    /// diagnostics, without failing: what `rules lint` needs.
    public static func collect(paths: [String], taxonomy: Taxonomy = .standard) -> (RuleSet, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var rules: [Rule] = []
        var packs: [RulePackSummary] = []
        for path in paths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                diagnostics.append(Diagnostic(.error, .unreadable, at: nil, file: path, rule: nil, "no such file or folder"))
                continue
            }
            if isDir.boolValue {
                for packDir in packDirectories(under: path) {
                    let r = loadPack(packDir, taxonomy: taxonomy)
                    diagnostics += r.diagnostics; rules += r.rules
                    packs += r.summaries
                }
            } else {
                let folder = (path as NSString).deletingLastPathComponent
                let r = loadFiles([path], pack: nil, packFile: false, root: folder, taxonomy: taxonomy)
                diagnostics += r.diagnostics; rules += r.rules
                // Hashed as a pack of this one file (its name, not the path it was given by: a copy elsewhere hashes alike).
                for (id, version) in r.packIds.sorted(by: { $0.key < $1.key }) {
                    let n = r.rules.filter { $0.pack == id }.count
                    packs.append(RulePackSummary(id: id, version: version, path: path, sha256: hash(files: [path], root: folder), rules: n))
                }
            }
        }
        diagnostics += duplicateIdDiagnostics(rules)
        return (RuleSet(rules: rules, packs: packs), diagnostics)
    }

    /// Loads a plain pattern file: one PCRE2 per line (blank lines ignored), like `rg -f`. Line N becomes rule
    /// `P-N` in category `pattern`, severity medium, confidence 1; `ignoreCase` adds `caseless`.
    public static func loadPatternFile(_ path: String, ignoreCase: Bool) throws(RuleLoadError) -> RuleSet {
        try loadLineFile(path, ignoreCase: ignoreCase, keywords: false)
    }

    /// Loads a plain keyword list: one word or phrase per line (blank lines and `#` comments ignored). Line N
    /// becomes rule `K-N` (category `keyword`, severity medium), matched caseless with word boundaries.
    public static func loadKeywordFile(_ path: String) throws(RuleLoadError) -> RuleSet {
        try loadLineFile(path, ignoreCase: true, keywords: true)
    }

    /// Loads the plain files given on a command line: every `--patterns` file, then every `--keywords` file, each
    /// file's problems reported (all or nothing). The first pattern file's rules are `P-N`, the second's `P2-N`,
    /// the third's `P3-N`, ...; keyword files likewise `K-N`, `K2-N`, ...: rule ids stay unique across files. Each
    /// file is a pack, `plainPackId`: `patterns`, `patterns-2`, ..., `keywords`, `keywords-2`, ...
    public static func loadPlainFiles(patterns: [String], keywords: [String] = [], ignoreCase: Bool) throws(RuleLoadError) -> RuleSet {
        let (set, diagnostics) = collectPlainFiles(patterns: patterns, keywords: keywords, ignoreCase: ignoreCase)
        if diagnostics.contains(where: { $0.level == .error }) { throw RuleLoadError(diagnostics: diagnostics) }
        return set
    }

    /// `loadPlainFiles` without failing: the rules of the lines that compile and a diagnostic for each that does not.
    public static func collectPlainFiles(patterns: [String], keywords: [String] = [], ignoreCase: Bool) -> (RuleSet, [Diagnostic]) {
        var set = RuleSet(rules: [], packs: [])
        var diagnostics: [Diagnostic] = []
        for (files, isKeywords) in [(patterns, false), (keywords, true)] {
            for (i, f) in files.enumerated() {
                let letter = isKeywords ? "K" : "P"
                let (s, d) = collectLineFile(f, ignoreCase: isKeywords || ignoreCase, keywords: isKeywords,
                                             idPrefix: i == 0 ? "\(letter)-" : "\(letter)\(i + 1)-",
                                             packId: plainPackId(keywords: isKeywords, index: i))
                set = set.merged(with: s); diagnostics += d
            }
        }
        return (set, diagnostics)
    }

    /// The pack id of the `index`th (0-based) `--patterns` or `--keywords` file of a command line: `patterns`,
    /// `patterns-2`, ... and `keywords`, `keywords-2`, ..., in step with the rule ids `P-N`, `P2-N`, `K-N`, `K2-N`.
    /// Unique within a run whatever the files are called or where they are (two `kw.txt` in different folders are
    /// two packs), and never a path: the manifest records the file's path beside it, and its content hash.
    public static func plainPackId(keywords: Bool, index: Int) -> String {
        (keywords ? "keywords" : "patterns") + (index == 0 ? "" : "-\(index + 1)")
    }

    /// The name of the folder holding `path` (resolved against the current directory, so `kw.txt` and `./kw.txt`
    /// name the working directory's folder, never `` or `.`): the pack of a keyword list given alone, as a folder
    /// of keyword lists is a pack named after the folder.
    static func folderName(of path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().lastPathComponent
    }

    static func loadLineFile(_ path: String, ignoreCase: Bool, keywords: Bool) throws(RuleLoadError) -> RuleSet {
        let (set, diagnostics) = collectLineFile(path, ignoreCase: ignoreCase, keywords: keywords)
        if !diagnostics.isEmpty { throw RuleLoadError(diagnostics: diagnostics) }
        return set
    }

    /// Reads a pattern or keyword file, keeping the lines that compile and a diagnostic for each that does not.
    /// Line N becomes rule `<idPrefix>N` (default `P-` or `K-`), in pack `packId` (default `patterns` or `keywords`).
    static func collectLineFile(_ path: String, ignoreCase: Bool, keywords: Bool, idPrefix: String? = nil,
                                packId: String? = nil) -> (RuleSet, [Diagnostic]) {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            return (RuleSet(rules: [], packs: []), [Diagnostic(.error, .unreadable, at: nil, file: path, rule: nil,
                                                               "cannot read the file as UTF-8 text")])
        }
        let packId = packId ?? plainPackId(keywords: keywords, index: 0)
        var rules: [Rule] = []
        var diagnostics: [Diagnostic] = []
        let flags: Set<PatternFlag> = ignoreCase ? [.caseless] : []
        for (i, line) in TextLines.split(text).enumerated() {
            if line.isEmpty || (keywords && (line.trimmingSpaces.isEmpty || line.hasPrefix("#"))) { continue }
            let id = (idPrefix ?? (keywords ? "K-" : "P-")) + String(i + 1)
            let regex = keywords ? KeywordPattern.bounded(line) : line
            let loc = SourceLocation(file: path, line: i + 1, column: 1)
            let compiled: PCRE2Regex
            do { compiled = try PCRE2Regex(regex, flags: flags) } catch {
                diagnostics.append(Diagnostic(.error, .patternCompileError, at: SourceLocation(file: path, line: i + 1, column: error.offset + 1),
                                              rule: id, "pattern does not compile: \(error.message) at offset \(error.offset)",
                                              help: PatternAnalysis.pointer(regex, at: error.offset)))
                continue
            }
            var pattern = RulePattern(id: keywords ? "keyword" : "pattern", regex: regex, flags: flags, location: loc)
            pattern.compiled = compiled
            rules.append(Rule(id: id, title: line, category: keywords ? Taxonomy.keywordCategory : Taxonomy.patternCategory,
                              severity: .medium, confidence: 1.0, minConfidence: 0, patterns: [pattern], pack: packId, location: loc))
        }
        return (RuleSet(rules: rules, packs: [RulePackSummary(id: packId, version: nil, path: path,
                                                              sha256: hash(files: [path], root: (path as NSString).deletingLastPathComponent),
                                                              rules: rules.count)]),
                diagnostics)
    }

    /// The shipped `rules/` folder: `$CHATSIEVE_RULES` if set, else the first `rules/` folder (holding
    /// `taxonomy.yaml`) found walking up from the resolved executable path, then from the working directory.
    public static func shippedRulesDirectory() -> String? {
        if let p = ProcessEnvironment.value("CHATSIEVE_RULES"), !p.isEmpty { return p }
        var starts: [URL] = []
        if let exe = Bundle.main.executableURL { starts.append(exe.resolvingSymlinksInPath().deletingLastPathComponent()) }
        let arg0 = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        starts.append(arg0)
        starts.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        for start in starts {
            var dir = start.standardizedFileURL
            for _ in 0..<8 {
                let candidate = dir.appendingPathComponent("rules")
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("taxonomy.yaml").path) {
                    return candidate.path
                }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        return nil
    }

    // MARK: - packs

    struct LoadResult {
        var rules: [Rule] = []
        var diagnostics: [Diagnostic] = []
        var packIds: [String: String?] = [:]
        /// The pack id a rule file's `pack:` key gave, by file.
        var filePacks: [String: String] = [:]
        var summaries: [RulePackSummary] = []
        /// Names of the pack's fragments that some file used.
        var usedFragments: Set<String> = []
    }

    static func isRuleFile(_ name: String) -> Bool {
        (name.hasSuffix(".yaml") || name.hasSuffix(".yml")) && name != "pack.yaml" && name != "taxonomy.yaml"
            && name != "pack.yml" && !name.hasPrefix(".")
    }

    static func isKeywordList(_ name: String) -> Bool { name.hasSuffix(".txt") && !name.hasPrefix(".") }

    /// Every folder at or under `root` that is a pack (has pack.yaml, rule files or keyword lists), sorted by path.
    static func packDirectories(under root: String) -> [String] {
        var out: [String] = []
        let fm = FileManager.default
        func visit(_ dir: String, depth: Int) {
            guard depth < 8, let names = try? fm.contentsOfDirectory(atPath: dir) else { return }
            if names.contains("pack.yaml") || names.contains(where: { isRuleFile($0) || isKeywordList($0) }) { out.append(dir) }
            for n in names.sorted() where !n.hasPrefix(".") {
                var isDir: ObjCBool = false
                let p = (dir as NSString).appendingPathComponent(n)
                if fm.fileExists(atPath: p, isDirectory: &isDir), isDir.boolValue { visit(p, depth: depth + 1) }
            }
        }
        visit(root, depth: 0)
        return out
    }

    static func loadPack(_ dir: String, taxonomy: Taxonomy) -> LoadResult {
        let fm = FileManager.default
        let names = ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).sorted()
        var pack = PackInfo(id: URL(fileURLWithPath: dir).standardizedFileURL.lastPathComponent, version: nil, description: nil)
        var result = LoadResult()
        var hashed: [String] = []
        let packFile = names.contains("pack.yaml")
        let fragments = RuleFragments()
        if packFile {
            let p = (dir as NSString).appendingPathComponent("pack.yaml")
            hashed.append(p)
            let reader = YAMLNodeReader(file: p)
            if let text = readText(p, reader: reader),
               let info = RuleFileParser.parsePackFile(text, reader: reader, fragments: fragments) { pack = info }
            result.diagnostics += reader.diagnostics
        }
        let files = names.filter { isRuleFile($0) || isKeywordList($0) }.map { (dir as NSString).appendingPathComponent($0) }
        hashed += files
        var r = loadFiles(files, pack: pack, packFile: packFile, root: dir, taxonomy: taxonomy, fragments: fragments)
        fragments.markUsed(r.usedFragments)
        result.diagnostics += fragments.unusedWarnings(fromPack: true)
        r.diagnostics = result.diagnostics + r.diagnostics
        // Without pack.yaml a rule file's `pack:` key names its pack: one summary per pack id in the folder, each
        // hashing its own files (the folder's other files form the pack named after the folder).
        let ids = packFile || r.filePacks.isEmpty ? [pack.id] : Array(Set(files.map { r.filePacks[$0] ?? pack.id })).sorted()
        for id in ids {
            let own = ids.count == 1 ? hashed : files.filter { (r.filePacks[$0] ?? pack.id) == id }
            let version: String? = r.filePacks.values.contains(id) ? r.packIds[id] ?? nil : pack.version
            r.summaries.append(RulePackSummary(id: id, version: version, path: dir, sha256: hash(files: own.sorted(), root: dir),
                                               rules: r.rules.filter { $0.pack == id }.count))
        }
        return r
    }

    static func readText(_ path: String, reader: YAMLNodeReader) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else {
            reader.diagnostics.append(Diagnostic(.error, .unreadable, at: nil, file: path, rule: nil, "cannot read the file"))
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            reader.diagnostics.append(Diagnostic(.error, .unreadable, at: nil, file: path, rule: nil, "the file is not valid UTF-8"))
            return nil
        }
        return text
    }

    /// The files are parsed (and their patterns compiled) on all cores, each file by one thread, and their results
    /// joined in file order: rules and diagnostics come out as a one-thread load gives them.
    /// `fragments` are the pack's (from pack.yaml); each rule file reads them through a copy of its own.
    static func loadFiles(_ files: [String], pack: PackInfo?, packFile: Bool = true, root: String, taxonomy: Taxonomy,
                          fragments: RuleFragments = RuleFragments()) -> LoadResult {
        let tables = files.map { _ in fragments.copyForFile() }
        let perFile = Parallel.map(Array(zip(files, tables))) { file, table -> LoadResult in
            var one = LoadResult()
            if file.hasSuffix(".txt") {
                let r = KeywordListFile.load(file, pack: pack, taxonomy: taxonomy)
                one.diagnostics = r.diagnostics; one.rules = r.rules
                // A keyword list given alone is recorded as the pack named after its folder (a YAML file's `pack:`).
                if pack == nil, let id = r.rules.first?.pack { one.packIds[id] = .some(nil) }
                return one
            }
            let parser = RuleFileParser(file: file, taxonomy: taxonomy, fragments: table)
            guard let text = readText(file, reader: parser.reader) else { one.diagnostics = parser.reader.diagnostics; return one }
            let (p, rules) = parser.parse(text, pack: pack, packFile: packFile)
            one.diagnostics = parser.reader.diagnostics
            one.usedFragments = table.used
            one.rules = rules
            if let p { one.packIds[p.id] = p.version; if p != pack { one.filePacks[file] = p.id } }
            return one
        }
        var result = LoadResult()
        for one in perFile {
            result.diagnostics += one.diagnostics; result.rules += one.rules
            result.usedFragments.formUnion(one.usedFragments)
            for (id, version) in one.packIds { result.packIds[id] = version }
            result.filePacks.merge(one.filePacks) { a, _ in a }
        }
        return result
    }

    static func duplicateIdDiagnostics(_ rules: [Rule]) -> [Diagnostic] {
        var first: [String: Rule] = [:]
        var out: [Diagnostic] = []
        for r in rules {
            if let f = first[r.id] {
                if f.location?.file == r.location?.file { continue }   // reported by the file's own parser
                out.append(Diagnostic(.error, .duplicateId, at: r.location, rule: r.id,
                                      "duplicate rule id `\(r.id)` (first defined at \(f.location?.description ?? f.pack))",
                                      help: "rule ids are unique across all loaded packs"))
            } else { first[r.id] = r }
        }
        return out
    }

    /// SHA-256 over the files, sorted by path: for each file its path relative to `root`, a NUL, its bytes, a NUL.
    static func hash(files: [String], root: String) -> String {
        var h = SHA256()
        for f in files.sorted() {
            var rel = f
            if !root.isEmpty, f.hasPrefix(root) { rel = String(f.dropFirst(root.count)).trimmingPrefix("/") }
            h.update(data: Data(rel.utf8)); h.update(data: Data([0]))
            h.update(data: FileManager.default.contents(atPath: f) ?? Data()); h.update(data: Data([0]))
        }
        return Hex.string(h.finalize())
    }
}

extension String {
    func trimmingPrefix(_ p: String) -> String { hasPrefix(p) ? String(dropFirst(p.count)) : self }
}

/// The lines of a rule or keyword file: cut at LF bytes, a CR before the LF dropped, a byte-order mark at the start
/// skipped. (Split as a String, `\r\n` is a single Character, so a file saved on Windows would read as one line.)
enum TextLines {
    static func split(_ text: String) -> [String] {
        var utf8 = Array(text.utf8)[...]
        if utf8.starts(with: [0xEF, 0xBB, 0xBF]) { utf8 = utf8.dropFirst(3) }
        return utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map {
            String(decoding: $0.last == 0x0D ? $0.dropLast() : $0, as: UTF8.self)
        }
    }
}
