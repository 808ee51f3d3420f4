import Yams

/// Typed access to a composed YAML tree that records a diagnostic (with the node's line and column) for every
/// wrong type or unknown key instead of throwing, so one pass reports every problem of a file.
final class YAMLNodeReader {
    let file: String
    var diagnostics: [Diagnostic] = []
    /// Rule id that diagnostics are attributed to, while a rule is being read.
    var currentRule: String?

    init(file: String) { self.file = file }

    var hasErrors: Bool { diagnostics.contains { $0.level == .error } }

    func location(_ node: Node?) -> SourceLocation? {
        guard let mark = node?.mark else { return nil }
        return SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    func error(_ code: DiagnosticCode, _ node: Node?, _ message: String, help: String? = nil) {
        diagnostics.append(Diagnostic(.error, code, at: location(node), file: file, rule: currentRule, message, help: help))
    }

    func warning(_ code: DiagnosticCode, _ node: Node?, _ message: String, help: String? = nil) {
        diagnostics.append(Diagnostic(.warning, code, at: location(node), file: file, rule: currentRule, message, help: help))
    }

    static func kind(_ node: Node) -> String {
        switch node {
        case .scalar: "a scalar"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// The entries of a mapping node as (key, key node, value node); reports unknown keys when `allowed` is given.
    func mapping(_ node: Node, what: String, allowed: Set<String>? = nil) -> [(key: String, keyNode: Node, value: Node)]? {
        guard case .mapping(let m) = node else {
            error(.wrongType, node, "\(what) must be a mapping, found \(Self.kind(node))")
            return nil
        }
        var out: [(key: String, keyNode: Node, value: Node)] = []
        for (k, v) in m {
            guard case .scalar(let s) = k else { error(.wrongType, k, "keys in \(what) must be plain strings"); continue }
            if let allowed, !allowed.contains(s.string) {
                let near = Self.closest(s.string, in: allowed)
                error(.unknownKey, k, "unknown key `\(s.string)` in \(what)",
                      help: near.map { "did you mean `\($0)`?" } ?? "allowed keys: \(allowed.sorted().joined(separator: ", "))")
                continue
            }
            out.append((s.string, k, v))
        }
        return out
    }

    func string(_ node: Node, key: String) -> String? {
        guard case .scalar(let s) = node else {
            error(.wrongType, node, "`\(key)` must be a string, found \(Self.kind(node))")
            return nil
        }
        return s.string
    }

    func strings(_ node: Node, key: String, allowScalar: Bool = false) -> [String]? {
        if allowScalar, case .scalar(let s) = node { return [s.string] }
        guard case .sequence(let seq) = node else {
            error(.wrongType, node, "`\(key)` must be a list of strings, found \(Self.kind(node))")
            return nil
        }
        var out: [String] = []
        for item in seq {
            guard case .scalar(let s) = item else {
                error(.wrongType, item, "items of `\(key)` must be strings, found \(Self.kind(item))"); continue
            }
            out.append(s.string)
        }
        return out
    }

    func sequence(_ node: Node, key: String) -> [Node]? {
        guard case .sequence(let seq) = node else {
            error(.wrongType, node, "`\(key)` must be a list, found \(Self.kind(node))")
            return nil
        }
        return Array(seq)
    }

    func double(_ node: Node, key: String, in range: ClosedRange<Double>) -> Double? {
        guard case .scalar(let s) = node, let v = Double(s.string.trimmingSpaces) else {
            error(.wrongType, node, "`\(key)` must be a number"); return nil
        }
        guard range.contains(v) else {
            error(.badValue, node, "`\(key)` must be in \(range.lowerBound)...\(range.upperBound), found \(v)"); return nil
        }
        return v
    }

    func int(_ node: Node, key: String, in range: ClosedRange<Int>) -> Int? {
        guard case .scalar(let s) = node, let v = Int(s.string.trimmingSpaces) else {
            error(.wrongType, node, "`\(key)` must be an integer"); return nil
        }
        guard range.contains(v) else {
            error(.badValue, node, "`\(key)` must be in \(range.lowerBound)...\(range.upperBound), found \(v)"); return nil
        }
        return v
    }

    /// Closest allowed word by edit distance (for `did you mean` hints), if it is close enough.
    static func closest(_ word: String, in candidates: some Collection<String>) -> String? {
        var best: (String, Int)?
        for c in candidates {
            let d = editDistance(Array(word), Array(c))
            if d <= max(2, word.count / 3), best == nil || d < best!.1 { best = (c, d) }
        }
        return best?.0
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        var prev = Array(0...b.count)
        for i in 1...a.count {
            var cur = [i] + Array(repeating: 0, count: b.count)
            if !b.isEmpty {
                for j in 1...b.count {
                    cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                }
            }
            prev = cur
        }
        return prev[b.count]
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
