import ChatModel
import Yams

/// Pack identity read from `pack.yaml` or a rule file's `pack:` key.
struct PackInfo: Equatable {
    var id: String
    var version: String?
    var description: String?
}

/// File-level defaults (`defaults:`), applied to every rule of the file that does not say otherwise.
struct FileDefaults {
    var flags: Set<PatternFlag> = RuleDefaults.flags
    var normalise: [NormaliseLayer] = []
    var confidence: Double = RuleDefaults.confidence
    var minConfidence: Double = RuleDefaults.minConfidence
}

/// Reads one `chatsieve.rules/v1` YAML file into rules, collecting every diagnostic with its line and column.
/// Patterns and exceptions are compiled with PCRE2 here so that a file with a bad pattern is rejected whole.
struct RuleFileParser {
    static let schema = "chatsieve.rules/v1"
    static let fileKeys: Set<String> = ["schema", "pack", "defaults", "fragments", "rules"]
    static let packKeys: Set<String> = ["id", "version", "description", "maintainers", "licence", "license",
                                        "requires_engine", "taxonomy", "schema"]
    static let defaultsKeys: Set<String> = ["flags", "normalise", "normalize", "confidence", "min_confidence"]
    static let ruleKeys: Set<String> = ["id", "title", "description", "category", "subcategory", "severity",
                                        "confidence", "min_confidence", "version", "references", "tags",
                                        "normalise", "normalize", "patterns", "keywords", "exceptions", "context",
                                        "tests", "flags", "status", "author", "notes", "falsepositives", "rationale"]
    static let patternKeys: Set<String> = ["id", "regex", "flags", "score"]
    static let exceptionKeys: Set<String> = ["id", "regex", "flags", "scope", "action"]
    static let contextKeys: Set<String> = ["words_before", "words_after", "boost", "dampen"]
    static let wordsKeys: Set<String> = ["words", "delta"]
    static let testKeys: Set<String> = ["match", "no_match"]
    static let exampleKeys: Set<String> = ["text", "span", "severity"]
    static let idPattern = #/^[A-Z]{3}-\d{4}$/#

    let taxonomy: Taxonomy
    let reader: YAMLNodeReader
    /// The pack's fragments, then the file's own (`{{name}}` in patterns and exceptions).
    let fragments: RuleFragments

    init(file: String, taxonomy: Taxonomy = .standard, fragments: RuleFragments = RuleFragments()) {
        self.taxonomy = taxonomy
        self.reader = YAMLNodeReader(file: file)
        self.fragments = fragments
    }

    /// Composes the YAML keeping marks; a syntax error becomes a diagnostic. Every scalar stays a string (the basic
    /// resolver): `YAMLNodeReader` converts numbers itself, and Yams' default resolver runs up to seven regular
    /// expressions per scalar (to tag ints, floats, booleans and dates), which was a third of loading the shipped packs.
    static func compose(_ text: String, reader: YAMLNodeReader) -> Node? {
        do {
            guard let root = try Yams.compose(yaml: text, .basic) else {
                reader.diagnostics.append(Diagnostic(.error, .yamlSyntax, at: nil, file: reader.file, rule: nil, "empty file"))
                return nil
            }
            return root
        } catch let e as YamlError {
            var loc: SourceLocation?
            var msg = "\(e)"
            switch e {
            case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
                loc = SourceLocation(file: reader.file, line: mark.line, column: mark.column); msg = problem
            case let .duplicatedKeysInMapping(dups, ctx):
                loc = SourceLocation(file: reader.file, line: ctx.mark.line, column: ctx.mark.column)
                msg = "duplicate key(s) \(dups.joined(separator: ", ")) in mapping"
            default: break
            }
            reader.diagnostics.append(Diagnostic(.error, .yamlSyntax, at: loc, file: reader.file, rule: nil,
                                                 "YAML syntax error: \(msg)"))
            return nil
        } catch {
            reader.diagnostics.append(Diagnostic(.error, .yamlSyntax, at: nil, file: reader.file, rule: nil, "\(error)"))
            return nil
        }
    }

    /// Parses `pack.yaml`.
    static func parsePackFile(_ text: String, reader: YAMLNodeReader) -> PackInfo? {
        parsePackFile(text, reader: reader, fragments: RuleFragments())
    }

    /// Parses `pack.yaml`, reading its `fragments:` into `fragments` (shared by the pack's rule files).
    static func parsePackFile(_ text: String, reader: YAMLNodeReader, fragments: RuleFragments) -> PackInfo? {
        guard let root = compose(text, reader: reader) else { return nil }
        return parsePack(root, reader: reader, fragments: fragments)
    }

    /// A `pack:` mapping, or the whole of `pack.yaml` when `fragments` is given (only there may a pack define them).
    static func parsePack(_ node: Node, reader: YAMLNodeReader, fragments: RuleFragments? = nil) -> PackInfo? {
        let allowed = fragments == nil ? packKeys : packKeys.union(["fragments"])
        guard let entries = reader.mapping(node, what: "pack", allowed: allowed) else { return nil }
        var info = PackInfo(id: "", version: nil, description: nil)
        for e in entries {
            switch e.key {
            case "id": info.id = reader.string(e.value, key: "id") ?? ""
            case "version": info.version = reader.string(e.value, key: "version")
            case "description": info.description = reader.string(e.value, key: "description")
            case "fragments": fragments?.read(e.value, reader: reader, fromPack: true)
            default: break
            }
        }
        if info.id.isEmpty { reader.error(.missingKey, node, "pack needs an `id`"); return nil }
        return info
    }

    /// Parses a rule file. `pack` is the enclosing folder's pack: from its pack.yaml (`packFile` true; a `pack:` key
    /// must agree with it) or the folder name (a `pack:` key overrides it), nil for a rule file given alone.
    func parse(_ text: String, pack: PackInfo?, packFile: Bool = true) -> (pack: PackInfo?, rules: [Rule]) {
        guard let root = Self.compose(text, reader: reader),
              let entries = reader.mapping(root, what: "the rule file", allowed: Self.fileKeys) else { return (pack, []) }
        var filePack = pack
        var defaults = FileDefaults()
        var ruleNodes: [Node] = []
        var sawSchema = false
        for e in entries {
            switch e.key {
            case "schema":
                sawSchema = true
                if let s = reader.string(e.value, key: "schema"), s != Self.schema {
                    reader.error(.badSchema, e.value, "unsupported schema `\(s)`", help: "use `schema: \(Self.schema)`")
                }
            case "pack":
                if let p = Self.parsePack(e.value, reader: reader) {
                    guard let pack, packFile else { filePack = p; continue }
                    if pack.id != p.id {
                        reader.error(.badValue, e.value, "pack id `\(p.id)` differs from the folder's pack.yaml id `\(pack.id)`")
                    } else if let v = p.version, v != pack.version {
                        var node = e.value
                        if case .mapping(let m) = e.value, let vn = m["version"] { node = vn }
                        reader.error(.badValue, node, "pack version `\(v)` differs from the folder's pack.yaml "
                                     + (pack.version.map { "version `\($0)`" } ?? "(which has no version)"),
                                     help: "a rule file's `pack:` must agree with pack.yaml; remove it or change one of them")
                    }
                }
            case "defaults": defaults = parseDefaults(e.value)
            case "fragments": fragments.read(e.value, reader: reader, fromPack: false)
            case "rules": ruleNodes = reader.sequence(e.value, key: "rules") ?? []
            default: break
            }
        }
        if !sawSchema { reader.error(.badSchema, root, "missing `schema: \(Self.schema)`", help: "add `schema: \(Self.schema)` as the first line") }
        guard let resolvedPack = filePack else {
            reader.error(.missingKey, root, "no pack: add a `pack: {id: ..., version: ...}` key or a pack.yaml in the folder")
            return (nil, [])
        }
        var rules: [Rule] = []
        var seen: [String: SourceLocation?] = [:]
        for node in ruleNodes {
            guard var rule = parseRule(node, defaults: defaults) else { continue }
            rule.pack = resolvedPack.id; rule.packVersion = resolvedPack.version
            if let first = seen[rule.id] {
                reader.currentRule = rule.id
                reader.error(.duplicateId, node, "duplicate rule id `\(rule.id)`" + (first.map { " (first defined at \($0))" } ?? ""),
                             help: "rule ids are never reused: pick the next free number")
                reader.currentRule = nil
            } else {
                seen[rule.id] = rule.location
            }
            rules.append(rule)
        }
        if ruleNodes.isEmpty && !reader.hasErrors {
            reader.error(.missingKey, root, "the file has no `rules:` list")
        }
        reader.diagnostics += fragments.unusedWarnings(fromPack: false)
        return (resolvedPack, rules)
    }

    func parseDefaults(_ node: Node) -> FileDefaults {
        var d = FileDefaults()
        guard let entries = reader.mapping(node, what: "defaults", allowed: Self.defaultsKeys) else { return d }
        for e in entries {
            switch e.key {
            case "flags": d.flags = parseFlags(e.value) ?? d.flags
            case "normalise", "normalize": d.normalise = parseLayers(e.value) ?? d.normalise
            case "confidence": d.confidence = parseConfidence(e.value) ?? d.confidence
            case "min_confidence": d.minConfidence = reader.double(e.value, key: "min_confidence", in: 0...1) ?? d.minConfidence
            default: break
            }
        }
        return d
    }

    func parseFlags(_ node: Node) -> Set<PatternFlag>? {
        guard let names = reader.strings(node, key: "flags") else { return nil }
        var out: Set<PatternFlag> = []
        for n in names {
            if let f = PatternFlag(rawValue: n.lowercased()) { out.insert(f) } else {
                reader.error(.badValue, node, "unknown flag `\(n)`",
                             help: "flags are: \(PatternFlag.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        return out.subtracting([.utf])
    }

    func parseLayers(_ node: Node) -> [NormaliseLayer]? {
        guard let names = reader.strings(node, key: "normalise") else { return nil }
        var out: [NormaliseLayer] = []
        for n in names {
            let key = n.lowercased().replacingAll("-", with: "_")
            if let l = NormaliseLayer(rawValue: key) { if !out.contains(l) { out.append(l) } } else {
                reader.error(.badValue, node, "unknown normalisation layer `\(n)`",
                             help: "layers are: \(NormaliseLayer.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        return out.sorted()
    }

    func parseConfidence(_ node: Node) -> Double? {
        if case .scalar(let s) = node, let v = RuleDefaults.confidenceWords[s.string.lowercased()] { return v }
        if case .scalar(let s) = node, Double(s.string) == nil {
            reader.error(.badValue, node, "confidence must be a number in 0...1 or high|medium|low, found `\(s.string)`")
            return nil
        }
        return reader.double(node, key: "confidence", in: 0...1)
    }

    func parseSeverity(_ node: Node) -> Severity? {
        guard let s = reader.string(node, key: "severity") else { return nil }
        if let v = Severity(rawValue: s.lowercased()) { return v }
        reader.error(.badValue, node, "unknown severity `\(s)`", help: "severity is one of info, low, medium, high, critical")
        return nil
    }
}

extension String {
    func replacingAll(_ a: String, with b: String) -> String {
        split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
    }
}
