import ChatModel
import Foundation

/// A keyword list inside a pack folder (`*.txt`): `# key: value` header lines, then one word or phrase per line.
/// The whole file is one rule; each line becomes a bounded, escaped, caseless pattern (`k<line>`).
///
///     # id: PRO-0100
///     # title: General profanity
///     # category: profanity
///     # severity: low
///     # normalise: leet, collapse_repeats     (optional; also subcategory, confidence, min_confidence, tags)
///     # no_match: a benign example             (optional, repeatable; every keyword is also a match example)
enum KeywordListFile {
    static let headerKeys: Set<String> = ["id", "title", "category", "subcategory", "severity", "confidence",
                                          "min_confidence", "normalise", "normalize", "tags", "no_match", "description"]

    static func load(_ path: String, pack: PackInfo?, taxonomy: Taxonomy) -> (rules: [Rule], diagnostics: [Diagnostic]) {
        var diags: [Diagnostic] = []
        func err(_ code: DiagnosticCode, _ line: Int?, _ rule: String?, _ msg: String, help: String? = nil) {
            diags.append(Diagnostic(.error, code, at: line.map { SourceLocation(file: path, line: $0, column: 1) }, file: path,
                                    rule: rule, msg, help: help))
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            err(.unreadable, nil, nil, "cannot read the keyword list as UTF-8 text"); return ([], diags)
        }
        var header: [String: (String, Int)] = [:]
        var noMatch: [RuleExample] = []
        var words: [(String, Int)] = []
        for (i, raw) in TextLines.split(text).enumerated() {
            let line = raw.trimmingSpaces
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let body = line.dropFirst().trimmingPrefixSpaces
                guard let colon = body.firstIndex(of: ":") else { continue }   // a plain comment
                let key = String(body[..<colon]).trimmingSpaces.lowercased()
                guard !key.isEmpty, key.allSatisfy({ $0 == "_" || ($0.isASCII && $0.isLetter) }) else { continue }   // a comment
                let value = String(body[body.index(after: colon)...]).trimmingSpaces
                guard headerKeys.contains(key) else {
                    err(.unknownKey, i + 1, header["id"]?.0, "unknown header key `\(key)` in keyword list",
                        help: "header keys: \(headerKeys.sorted().joined(separator: ", "))"); continue
                }
                if key == "no_match" { noMatch.append(RuleExample(text: value, location: SourceLocation(file: path, line: i + 1, column: 1))) }
                else { header[key] = (value, i + 1) }
                continue
            }
            words.append((line, i + 1))
        }
        let id = header["id"]?.0
        for k in ["id", "title", "category", "severity"] where header[k] == nil {
            err(.missingKey, 1, id, "keyword list needs a `# \(k): ...` header line")
        }
        guard let id, let title = header["title"]?.0, let catName = header["category"], let sevName = header["severity"] else {
            return ([], diags)
        }
        if id.wholeMatch(of: RuleFileParser.idPattern) == nil { err(.badId, header["id"]!.1, id, "rule id must look like ABC-0123") }
        guard let cat = taxonomy.category(named: catName.0) else {
            err(.badCategory, catName.1, id, "category `\(catName.0)` is not in the taxonomy"); return ([], diags)
        }
        if !id.hasPrefix(cat.code + "-") { err(.badId, header["id"]!.1, id, "rule id does not start with the category code `\(cat.code)`") }
        guard let severity = Severity(rawValue: sevName.0.lowercased()) else {
            err(.badValue, sevName.1, id, "unknown severity `\(sevName.0)`"); return ([], diags)
        }
        var rule = Rule(id: id, title: title, description: header["description"]?.0, category: cat.name,
                        subcategory: header["subcategory"]?.0, severity: severity, patterns: [],
                        pack: pack?.id ?? RuleLoader.folderName(of: path), packVersion: pack?.version,
                        location: SourceLocation(file: path, line: 1, column: 1))
        if let c = header["confidence"] {
            if let v = RuleDefaults.confidenceWords[c.0.lowercased()] ?? Double(c.0), (0...1).contains(v) { rule.confidence = v }
            else { err(.badValue, c.1, id, "confidence must be in 0...1 or high|medium|low") }
        }
        if let c = header["min_confidence"] {
            if let v = Double(c.0), (0...1).contains(v) { rule.minConfidence = v } else { err(.badValue, c.1, id, "min_confidence must be in 0...1") }
        }
        if let n = header["normalise"] ?? header["normalize"] {
            for name in n.0.split(separator: ",").map({ String($0).trimmingSpaces }) where !name.isEmpty {
                if let l = NormaliseLayer(rawValue: name) { if !rule.normalise.contains(l) { rule.normalise.append(l) } }
                else { err(.badValue, n.1, id, "unknown normalisation layer `\(name)`") }
            }
            rule.normalise.sort()
        }
        if let t = header["tags"] { rule.tags = t.0.split(separator: ",").map { String($0).trimmingSpaces } }
        if words.isEmpty { err(.missingKey, nil, id, "keyword list has no keywords") }
        for (w, line) in words {
            var p = RulePattern(id: "k\(line)", regex: KeywordPattern.bounded(w), flags: [.caseless],
                                location: SourceLocation(file: path, line: line, column: 1))
            do { p.compiled = try PCRE2Regex(p.regex, flags: p.flags) } catch {
                err(.patternCompileError, line, id, "keyword does not compile: \(error.message)")
            }
            rule.patterns.append(p)
            rule.tests.match.append(RuleExample(text: w, span: w, location: p.location))
        }
        rule.tests.noMatch = noMatch
        return ([rule], diags)
    }
}

extension StringProtocol {
    var trimmingPrefixSpaces: String { String(drop { $0 == " " || $0 == "\t" }) }
}
