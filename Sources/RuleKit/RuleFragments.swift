import Yams

/// Named regex pieces written once and used by many patterns and exceptions as `{{name}}`: a pack defines them
/// under `fragments:` in its `pack.yaml` (every rule file of the pack may use them), a rule file under its own
/// top-level `fragments:` (that file only). Each use expands to `(?:body)` before the pattern is compiled, so
/// `rules lint`, `explain`, the prefilter and `rules diff` all see the expanded regex.
final class RuleFragments {
    /// One definition: the expanded body (references to earlier fragments already replaced) and where it is written.
    struct Fragment {
        var name: String
        var body: String
        var location: SourceLocation?
        /// True for a fragment of the pack's `pack.yaml`, false for one of the rule file being read.
        var fromPack: Bool
    }

    private(set) var byName: [String: Fragment] = [:]
    /// Names in definition order (the pack's first), for messages and unused-fragment warnings.
    private(set) var names: [String] = []
    /// Names some pattern, exception or later fragment used.
    private(set) var used: Set<String> = []

    init() {}

    /// A table for one rule file: the pack's fragments, none of them used yet.
    func copyForFile() -> RuleFragments {
        let t = RuleFragments()
        t.byName = byName; t.names = names
        return t
    }

    static let namePattern = #/^[A-Za-z_][A-Za-z0-9_]*$/#
    /// `{{name}}`; a name is an identifier, so `{{` in any other sense (rare in a regex) is left alone.
    static let reference = #/\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/#

    /// The regex with every `{{name}}` replaced by `(?:body)`, and the referenced names no fragment defines.
    func expand(_ regex: String) -> (regex: String, unknown: [String]) {
        guard regex.contains("{{") else { return (regex, []) }
        var unknown: [String] = []
        let out = regex.replacing(Self.reference) { m -> String in
            let name = String(m.output.1)
            guard let f = byName[name] else { unknown.append(name); return String(m.output.0) }
            used.insert(name)
            return "(?:" + f.body + ")"
        }
        return (out, unknown)
    }

    /// The message for references no fragment defines.
    func unknownMessage(_ what: String, _ unknown: [String]) -> (String, String) {
        let list = unknown.map { "`{{\($0)}}`" }.joined(separator: ", ")
        let help = names.isEmpty
            ? "define it under `fragments:` in this rule file or in the pack's pack.yaml"
            : "defined here: " + names.map { "`\($0)`" }.joined(separator: ", ") + " (a fragment may only use fragments defined before it)"
        return ("\(what) uses \(list), which no fragment defines", help)
    }

    /// Reads a `fragments:` mapping (name -> regex) into this table; each body may use fragments defined before it.
    /// Bad names, empty or uncompilable bodies and unknown references are errors; a file fragment may not reuse a
    /// pack fragment's name.
    func read(_ node: Node, reader: YAMLNodeReader, fromPack: Bool) {
        guard let entries = reader.mapping(node, what: "fragments") else { return }
        for e in entries {
            let name = e.key
            guard name.wholeMatch(of: Self.namePattern) != nil else {
                reader.error(.badValue, e.keyNode, "bad fragment name `\(name)`",
                             help: "a fragment name is letters, digits and `_`, not starting with a digit, e.g. `case_words`")
                continue
            }
            if let first = byName[name] {
                reader.error(.duplicateId, e.keyNode, "fragment `\(name)` is already defined"
                             + (first.location.map { " at \($0)" } ?? ""),
                             help: first.fromPack ? "the pack's pack.yaml defines it for every file: use it or pick another name" : nil)
                continue
            }
            guard let source = reader.string(e.value, key: name) else { continue }
            if source.isEmpty { reader.error(.badValue, e.value, "fragment `\(name)` is empty"); continue }
            let (body, unknown) = expand(source)
            if !unknown.isEmpty {
                let (msg, help) = unknownMessage("fragment `\(name)`", unknown)
                reader.error(.unknownFragment, e.value, msg, help: help)
                continue
            }
            // Checked alone, so that a broken fragment is reported once, where it is written.
            do { _ = try PCRE2Regex("(?:" + body + ")", flags: []) } catch {
                reader.error(.patternCompileError, e.value, "fragment `\(name)` does not compile: \(error.message) at offset \(error.offset)",
                             help: PatternAnalysis.pointer("(?:" + body + ")", at: error.offset))
                continue
            }
            byName[name] = Fragment(name: name, body: body, location: reader.location(e.keyNode), fromPack: fromPack)
            names.append(name)
        }
    }

    /// CS013 for each fragment defined here (the pack's if `fromPack`, else the file's) that nothing used.
    func unusedWarnings(fromPack: Bool) -> [Diagnostic] {
        names.compactMap { byName[$0] }.filter { $0.fromPack == fromPack && !used.contains($0.name) }.map { f in
            Diagnostic(.warning, .unusedFragment, at: f.location, rule: nil,
                       fromPack ? "fragment `\(f.name)` of the pack is not used by any of its rule files"
                                : "fragment `\(f.name)` is not used by any pattern, exception or fragment of this file",
                       help: fromPack ? "remove it from pack.yaml, or use it as `{{\(f.name)}}`" : "remove it, or use it as `{{\(f.name)}}`")
        }
    }

    func markUsed(_ names: Set<String>) { used.formUnion(names) }
}
