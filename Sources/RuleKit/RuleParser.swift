import ChatModel
import Yams

extension RuleFileParser {
    /// Reads one rule mapping. Returns nil only when the node is not a mapping or has no usable id.
    func parseRule(_ node: Node, defaults: FileDefaults) -> Rule? {
        reader.currentRule = nil
        guard case .mapping = node else {
            reader.error(.wrongType, node, "each item of `rules` must be a mapping, found \(YAMLNodeReader.kind(node))")
            return nil
        }
        // Find the id first so every later diagnostic names the rule.
        if case .mapping(let m) = node, let idNode = m["id"], case .scalar(let s) = idNode { reader.currentRule = s.string }
        guard let entries = reader.mapping(node, what: "rule", allowed: Self.ruleKeys) else { return nil }
        let loc = reader.location(node)
        var rule = Rule(id: reader.currentRule ?? "", title: "", category: "", severity: .medium,
                        confidence: defaults.confidence, minConfidence: defaults.minConfidence,
                        normalise: defaults.normalise, patterns: [], pack: "", location: loc)
        var flags = defaults.flags
        var patternNodes: Node?
        var keywordNode: Node?
        var exceptionNodes: Node?
        var have: Set<String> = []
        for e in entries {
            have.insert(e.key)
            switch e.key {
            case "id":
                let id = reader.string(e.value, key: "id") ?? ""
                if id.wholeMatch(of: Self.idPattern) == nil {
                    reader.error(.badId, e.value, "rule id `\(id)` must look like ABC-0123 (category code, dash, four digits)")
                }
            case "title": rule.title = reader.string(e.value, key: "title") ?? ""
            case "description": rule.description = reader.string(e.value, key: "description")
            case "category":
                let name = reader.string(e.value, key: "category") ?? ""
                if let cat = taxonomy.category(named: name) {
                    rule.category = cat.name
                    if !rule.id.isEmpty, !rule.id.hasPrefix(cat.code + "-") {
                        reader.error(.badId, e.value, "rule id `\(rule.id)` does not start with the category code `\(cat.code)`",
                                     help: "rename the rule to \(cat.code)-NNNN or change its category")
                    }
                } else {
                    reader.error(.badCategory, e.value, "category `\(name)` is not in the taxonomy",
                                 help: YAMLNodeReader.closest(name, in: taxonomy.names).map { "did you mean `\($0)`?" }
                                    ?? "categories: \(taxonomy.names.joined(separator: ", "))")
                }
            case "subcategory": rule.subcategory = reader.string(e.value, key: "subcategory")
            case "severity": rule.severity = parseSeverity(e.value) ?? .medium
            case "confidence": rule.confidence = parseConfidence(e.value) ?? rule.confidence
            case "min_confidence": rule.minConfidence = reader.double(e.value, key: "min_confidence", in: 0...1) ?? rule.minConfidence
            case "version": rule.version = reader.int(e.value, key: "version", in: 1...1_000_000) ?? 1
            case "references": rule.references = reader.strings(e.value, key: "references") ?? []
            case "tags": rule.tags = reader.strings(e.value, key: "tags") ?? []
            case "normalise", "normalize": rule.normalise = parseLayers(e.value) ?? rule.normalise
            case "patterns": patternNodes = e.value
            case "keywords": keywordNode = e.value
            case "exceptions": exceptionNodes = e.value
            case "context": rule.context = parseContext(e.value)
            case "tests": rule.tests = parseTests(e.value)
            case "status", "author", "notes", "rationale": _ = reader.string(e.value, key: e.key)
            case "falsepositives": _ = reader.strings(e.value, key: e.key)
            default: break
            }
        }
        if case .mapping(let m) = node, let f = m["flags"] { flags = parseFlags(f) ?? flags }
        for required in ["id", "title", "category", "severity"] where !have.contains(required) {
            reader.error(.missingKey, node, "missing required key `\(required)`")
        }
        if let patternNodes { rule.patterns = parsePatterns(patternNodes, flags: flags) }
        if let keywordNode, let words = reader.strings(keywordNode, key: "keywords") {
            if words.isEmpty { reader.error(.badValue, keywordNode, "`keywords` is empty") } else {
                var p = RulePattern(id: "keywords", regex: KeywordPattern.alternation(words), flags: flags.union([.caseless]),
                                    location: reader.location(keywordNode))
                p.compiled = compileCheck(p.regex, flags: p.flags, node: keywordNode, what: "keywords")
                rule.patterns.append(p)
            }
        }
        if rule.patterns.isEmpty && patternNodes == nil && keywordNode == nil {
            reader.error(.missingKey, node, "a rule needs `patterns` or `keywords`")
        }
        if let exceptionNodes { rule.exceptions = parseExceptions(exceptionNodes, flags: flags) }
        if !have.contains("tests") {
            reader.error(.missingTests, node, "missing `tests`", help: "add `tests: {match: [...], no_match: [...]}` with real examples")
        } else if rule.tests.match.isEmpty {
            reader.error(.missingTests, node, "`tests.match` has no examples", help: "add at least one text the rule must match")
        }
        reader.currentRule = nil
        return rule
    }

    /// The compiled pattern (JIT made on its first match), or nil after recording why it does not compile.
    /// `expanded` says the regex had `{{fragment}}` uses replaced, so PCRE2's offset is not a source column.
    func compileCheck(_ regex: String, flags: Set<PatternFlag>, node: Node, what: String, expanded: Bool = false) -> PCRE2Regex? {
        do { return try PCRE2Regex(regex, flags: flags) } catch {
            var loc = reader.location(node)
            if !expanded, let column = Self.column(of: error.offset, in: regex, node: node) { loc?.column = column }
            reader.diagnostics.append(Diagnostic(.error, .patternCompileError, at: loc, file: reader.file, rule: reader.currentRule,
                                                 "\(what) does not compile: \(error.message) at offset \(error.offset)"
                                                    + (expanded ? " of the pattern with its fragments expanded" : ""),
                                                 help: PatternAnalysis.pointer(regex, at: error.offset)))
            return nil
        }
    }

    /// `source` with its `{{fragment}}` uses expanded and compiled to check it (`compiled` nil after recording why
    /// it does not compile), or nil after reporting the names no fragment defines.
    func expandAndCompile(_ source: String, flags: Set<PatternFlag>, node: Node,
                          what: String) -> (regex: String, usesFragments: Bool, compiled: PCRE2Regex?)? {
        let (regex, unknown) = fragments.expand(source)
        guard unknown.isEmpty else {
            let (msg, help) = fragments.unknownMessage(what, unknown)
            reader.error(.unknownFragment, node, msg, help: help)
            return nil
        }
        let usesFragments = regex != source
        return (regex, usesFragments, compileCheck(regex, flags: flags, node: node, what: what, expanded: usesFragments))
    }

    /// The source column of byte `offset` of a one-line plain or single-quoted scalar (where PCRE2 stopped).
    static func column(of offset: Int, in regex: String, node: Node) -> Int? {
        guard case .scalar(let s) = node, let mark = s.mark, !regex.contains("\n") else { return nil }
        let prefix = String(decoding: Array(regex.utf8).prefix(offset), as: UTF8.self)
        let chars = prefix.unicodeScalars.count
        switch s.style {
        case .plain: return mark.column + chars
        case .singleQuoted: return mark.column + 1 + chars + prefix.unicodeScalars.filter { $0 == "'" }.count
        default: return nil
        }
    }

    func parsePatterns(_ node: Node, flags: Set<PatternFlag>) -> [RulePattern] {
        guard let items = reader.sequence(node, key: "patterns") else { return [] }
        if items.isEmpty { reader.error(.badValue, node, "`patterns` is empty") }
        var out: [RulePattern] = []
        var ids: Set<String> = []
        for (i, item) in items.enumerated() {
            var p = RulePattern(id: "p\(i + 1)", regex: "", flags: flags, location: reader.location(item))
            var regexNode = item
            if case .scalar(let s) = item { p.regex = s.string } else {
                guard let entries = reader.mapping(item, what: "pattern", allowed: Self.patternKeys) else { continue }
                var hasRegex = false
                for e in entries {
                    switch e.key {
                    case "id": p.id = reader.string(e.value, key: "id") ?? p.id
                    case "regex": p.regex = reader.string(e.value, key: "regex") ?? ""; regexNode = e.value; hasRegex = true
                    case "flags": p.flags = parseFlags(e.value) ?? flags
                    case "score": p.score = reader.double(e.value, key: "score", in: 0...1)
                    default: break
                    }
                }
                if !hasRegex { reader.error(.missingKey, item, "pattern needs a `regex`"); continue }
            }
            if !ids.insert(p.id).inserted { reader.error(.duplicateId, item, "duplicate pattern id `\(p.id)`") }
            if p.regex.isEmpty { reader.error(.badValue, regexNode, "empty pattern"); continue }
            guard let checked = expandAndCompile(p.regex, flags: p.flags, node: regexNode, what: "pattern `\(p.id)`") else { continue }
            (p.regex, p.usesFragments, p.compiled) = checked
            p.location = reader.location(regexNode)
            out.append(p)
        }
        return out
    }

    func parseExceptions(_ node: Node, flags: Set<PatternFlag>) -> [RuleException] {
        guard let items = reader.sequence(node, key: "exceptions") else { return [] }
        var out: [RuleException] = []
        var ids: Set<String> = []
        for (i, item) in items.enumerated() {
            guard let entries = reader.mapping(item, what: "exception", allowed: Self.exceptionKeys) else { continue }
            var x = RuleException(id: "x\(i + 1)", regex: "", flags: flags, scope: .message, action: .suppress,
                                  location: reader.location(item))
            var regexNode: Node?
            for e in entries {
                switch e.key {
                case "id": x.id = reader.string(e.value, key: "id") ?? x.id
                case "regex": x.regex = reader.string(e.value, key: "regex") ?? ""; regexNode = e.value
                case "flags": x.flags = parseFlags(e.value) ?? flags
                case "scope":
                    let s = reader.string(e.value, key: "scope") ?? ""
                    if let scope = ExceptionScope(rawValue: s) { x.scope = scope } else {
                        reader.error(.badValue, e.value, "unknown exception scope `\(s)`", help: "scope is before_match, after_match or message")
                    }
                case "action": x.action = parseAction(e.value) ?? .suppress
                default: break
                }
            }
            // Explanations, near misses and `suppressed by` name exceptions by id, so two of one rule must differ.
            if !ids.insert(x.id).inserted { reader.error(.duplicateId, item, "duplicate exception id `\(x.id)`") }
            guard let regexNode, !x.regex.isEmpty else { reader.error(.missingKey, item, "exception needs a `regex`"); continue }
            guard let checked = expandAndCompile(x.regex, flags: x.flags, node: regexNode, what: "exception `\(x.id)`") else { continue }
            (x.regex, x.usesFragments, x.compiled) = checked
            x.location = reader.location(regexNode)
            out.append(x)
        }
        return out
    }

    func parseAction(_ node: Node) -> ExceptionAction? {
        if case .scalar(let s) = node {
            if s.string == "suppress" { return .suppress }
            reader.error(.badValue, node, "unknown exception action `\(s.string)`", help: "use `suppress` or `{downgrade_to: medium}`")
            return nil
        }
        guard let entries = reader.mapping(node, what: "action", allowed: ["downgrade_to"]), let e = entries.first else {
            return nil
        }
        return parseSeverity(e.value).map { .downgrade(to: $0) }
    }

    func parseContext(_ node: Node) -> RuleContext? {
        guard let entries = reader.mapping(node, what: "context", allowed: Self.contextKeys) else { return nil }
        var c = RuleContext(wordsBefore: RuleDefaults.wordsBefore, wordsAfter: RuleDefaults.wordsAfter)
        for e in entries {
            switch e.key {
            case "words_before": c.wordsBefore = reader.int(e.value, key: "words_before", in: 0...100) ?? c.wordsBefore
            case "words_after": c.wordsAfter = reader.int(e.value, key: "words_after", in: 0...100) ?? c.wordsAfter
            case "boost": c.boost = parseWordLists(e.value, key: "boost", sign: 1)
            case "dampen": c.dampen = parseWordLists(e.value, key: "dampen", sign: -1)
            default: break
            }
        }
        return c
    }

    /// `{words: [...], delta: 0.1}` or a list of those. Dampen deltas may be written positive or negative:
    /// they always lower the score.
    func parseWordLists(_ node: Node, key: String, sign: Double) -> [ContextWords] {
        let items: [Node]
        if case .sequence(let seq) = node { items = Array(seq) } else { items = [node] }
        var out: [ContextWords] = []
        for item in items {
            guard let entries = reader.mapping(item, what: key, allowed: Self.wordsKeys) else { continue }
            var words: [String]?
            var delta: Double?
            var keys: Set<String> = []
            for e in entries {
                keys.insert(e.key)
                if e.key == "words" { words = reader.strings(e.value, key: "words").map { $0.map { $0.lowercased() } } }
                if e.key == "delta" { delta = reader.double(e.value, key: "delta", in: -1...1) }
            }
            // A key that is present but has a bad value was reported by the reader already.
            if !keys.contains("delta") { reader.error(.missingKey, item, "`\(key)` needs a `delta`") }
            if !keys.contains("words") || words?.isEmpty == true { reader.error(.missingKey, item, "`\(key)` needs `words`") }
            guard let delta, let words, !words.isEmpty else { continue }
            out.append(ContextWords(words: words, delta: sign * abs(delta)))
        }
        return out
    }

    func parseTests(_ node: Node) -> RuleTests {
        var t = RuleTests()
        guard let entries = reader.mapping(node, what: "tests", allowed: Self.testKeys) else { return t }
        for e in entries {
            guard let items = reader.sequence(e.value, key: "tests.\(e.key)") else { continue }
            let examples = items.compactMap { parseExample($0, allowSpan: e.key == "match") }
            if e.key == "match" { t.match = examples } else { t.noMatch = examples }
        }
        return t
    }

    func parseExample(_ node: Node, allowSpan: Bool) -> RuleExample? {
        if case .scalar(let s) = node { return RuleExample(text: s.string, location: reader.location(node)) }
        guard let entries = reader.mapping(node, what: "test example", allowed: allowSpan ? Self.exampleKeys : ["text"]) else {
            return nil
        }
        var ex = RuleExample(text: "", location: reader.location(node))
        var hasText = false
        for e in entries {
            if e.key == "text" { ex.text = reader.string(e.value, key: "text") ?? ""; hasText = true }
            if e.key == "span" { ex.span = reader.string(e.value, key: "span") }
            if e.key == "severity" { ex.severity = parseSeverity(e.value) }
        }
        if !hasText { reader.error(.missingKey, node, "test example needs `text`"); return nil }
        return ex
    }
}

/// Builds the pattern for plain keyword lists: each entry escaped, bounded at ends that are word characters.
/// An all-ASCII keyword gets `\b` (ASCII word characters, as PCRE2 without UCP; `\bslap\b`); a keyword with any
/// non-ASCII character gets Unicode word-character lookarounds instead (`(?<![\p{L}\p{N}_])pédé(?![\p{L}\p{N}_])`),
/// since `\b` would take `é` for a non-word character and the word alone would never match.
public enum KeywordPattern {
    static let unicodeBefore = #"(?<![\p{L}\p{N}_])"#
    static let unicodeAfter = #"(?![\p{L}\p{N}_])"#

    /// The keyword escaped; each run of spaces becomes one `\s+`.
    public static func escape(_ word: String) -> String {
        var out = ""
        var lastWasSpace = false
        for ch in word.unicodeScalars {
            if ch == " " { if !lastWasSpace { out += "\\s+" }; lastWasSpace = true; continue }
            lastWasSpace = false
            if "\\^$.|?*+()[]{}#-/".unicodeScalars.contains(ch) { out += "\\" }
            out.unicodeScalars.append(ch)
        }
        return out
    }

    static func isWordScalar(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        return c == "_" || c.properties.isAlphabetic || c.properties.numericType != nil
    }

    /// One keyword or phrase as a bounded pattern (spaces inside a phrase match any run of whitespace).
    public static func bounded(_ word: String) -> String {
        let w = word.trimmingSpaces
        let ascii = w.unicodeScalars.allSatisfy(\.isASCII)
        let pre = isWordScalar(w.unicodeScalars.first) ? (ascii ? "\\b" : unicodeBefore) : ""
        let post = isWordScalar(w.unicodeScalars.last) ? (ascii ? "\\b" : unicodeAfter) : ""
        return pre + escape(w) + post
    }

    /// `(?:\bw1\b|\bw2\b)`.
    public static func alternation(_ words: [String]) -> String {
        "(?:" + words.map(bounded).joined(separator: "|") + ")"
    }
}
