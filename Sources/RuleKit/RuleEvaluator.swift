import ChatModel

/// Collects what `explain` shows while a rule is evaluated (nil on the fast path).
final class ExplainTrace {
    var candidates: [CandidateExplanation] = []
}

/// A word in a text with its byte range, for context windows.
struct TextWord {
    var range: Range<Int>
    var word: String
}

extension CompiledRuleSet {
    /// The matching semantics for one rule on one text (see rules/SCHEMA.md, "Matching semantics"). `second` is
    /// the text's second reading (`Normaliser.secondReading`), whose matches follow the first reading's; a match
    /// overlapping one already reported is not reported again.
    func evaluate(_ cr: CompiledRule, raw: UnsafeRawBufferPointer, shadow inShadow: NormalisedText?,
                  second: NormalisedText? = nil, scratch: MatchScratch, trace: ExplainTrace?) -> [RuleMatch] {
        let shadow = (inShadow?.isIdentity ?? true) ? nil : inShadow
        var out: [RuleMatch] = []
        var accepted: [Range<Int>] = []
        func limit(_ id: String, _ inException: Bool, _ code: Int32, _ message: String) {
            out.append(RuleMatch(rule: cr.index, ruleId: cr.rule.id, pattern: id, range: 0..<0, shadowRange: nil,
                                 normalisedSteps: [], severity: cr.rule.severity, score: 0,
                                 limitExceeded: LimitEvent(ruleIndex: cr.index, ruleId: cr.rule.id, pattern: id,
                                                           inException: inException, code: code, message: message)))
        }
        let body = { (subject: UnsafeBufferPointer<UInt8>, shadow: NormalisedText?) in
            var words: [TextWord]?
            // A `message` exception sees the same text for every candidate of this text, so its outcome is found
            // once (a long message with many candidates would otherwise be searched whole once per candidate).
            // Only clean outcomes are kept: a limit is met and reported again for each candidate, as before.
            var messageOutcome = [Bool?](repeating: nil, count: cr.exceptions.count)
            for (pi, regex) in cr.patterns.enumerated() {
                // Fields are read through `cr` where needed: copying the whole `RulePattern` per candidate retains
                // and releases every string in it.
                let (ranges, stop) = regex.allMatches(in: subject, scratch: scratch)
                switch stop {
                case .limitExceeded(let code, let msg)?, .error(let code, let msg)?: limit(cr.rule.patterns[pi].id, false, code, msg)
                default: break
                }
                for r in ranges {
                    let original = shadow?.originalRange(ofShadow: r) ?? r
                    var cand = trace.map { _ in CandidateExplanation(pattern: cr.rule.patterns[pi].id, regex: cr.rule.patterns[pi].regex,
                                                                     range: original) }
                    if let shadow {
                        cand?.shadowRange = r
                        cand?.shadowMatch = String(decoding: UnsafeBufferPointer(rebasing: subject[r]), as: UTF8.self)
                        cand?.stepsUsed = self.steps(shadow, r, cr.rule.patterns[pi]).map(\.rawValue)
                    }
                    // Exceptions.
                    var severity = cr.rule.severity
                    var suppressedBy: String?
                    for (xi, xregex) in cr.exceptions.enumerated() {
                        let x = cr.rule.exceptions[xi]
                        let window: UnsafeBufferPointer<UInt8>
                        switch x.scope {
                        case .beforeMatch: window = UnsafeBufferPointer(rebasing: subject[0..<r.lowerBound])
                        case .afterMatch: window = UnsafeBufferPointer(rebasing: subject[r.upperBound..<subject.count])
                        case .message: window = subject
                        }
                        var matched = false
                        if x.scope == .message, let known = messageOutcome[xi] {
                            matched = known
                        } else {
                            switch xregex.firstMatch(in: window, scratch: scratch) {
                            case .match:
                                matched = true
                                if x.scope == .message { messageOutcome[xi] = true }
                            case .noMatch:
                                if x.scope == .message { messageOutcome[xi] = false }
                            case .limitExceeded(let code, let msg), .error(let code, let msg): limit(x.id, true, code, msg)
                            }
                        }
                        if matched {
                            switch x.action {
                            case .suppress: if suppressedBy == nil { suppressedBy = x.id }
                            case .downgrade(let to): if to < severity { severity = to }
                            }
                        }
                        cand?.exceptions.append(ExceptionCheck(id: x.id, scope: x.scope.rawValue, regex: x.regex,
                                                               checkedText: String(decoding: window, as: UTF8.self),
                                                               matched: matched, action: x.action.label))
                    }
                    // Context score.
                    let base = cr.rule.patterns[pi].score ?? cr.rule.confidence
                    var score = base
                    if let ctx = cr.rule.context {
                        if words == nil { words = Self.words(subject) }
                        let found = Self.contextDeltas(ctx, words: words!, match: r)
                        for f in found { score += f.delta }
                        cand?.context = found
                    }
                    score = min(1, max(0, score))
                    score = (score * 1_000_000).rounded() / 1_000_000
                    cand?.base = base; cand?.score = score; cand?.minConfidence = cr.rule.minConfidence; cand?.severity = severity.rawValue
                    let overlaps = accepted.contains { $0.overlaps(original) }
                    let status: CandidateExplanation.Status
                    if let suppressedBy { status = .suppressed; cand?.suppressedBy = suppressedBy }
                    else if score < cr.rule.minConfidence { status = .belowMinConfidence }
                    else if overlaps { status = .overlapsEarlierHit }
                    else {
                        status = .reported
                        accepted.append(original)
                        out.append(RuleMatch(rule: cr.index, ruleId: cr.rule.id, pattern: cr.rule.patterns[pi].id, range: original,
                                             shadowRange: shadow == nil ? nil : r,
                                             normalisedSteps: shadow.map { self.steps($0, r, cr.rule.patterns[pi]).map(\.rawValue) } ?? [],
                                             severity: severity, score: score, limitExceeded: nil))
                    }
                    if var c = cand { c.status = status; trace?.candidates.append(c) }
                }
            }
        }
        if let shadow {
            shadow.bytes.withUnsafeBufferPointer { body($0, shadow) }
        } else {
            body(raw.bindMemory(to: UInt8.self), nil)
        }
        if let second, !second.isIdentity { second.bytes.withUnsafeBufferPointer { body($0, second) } }
        return out
    }

    func steps(_ shadow: NormalisedText, _ r: Range<Int>, _ p: RulePattern) -> [NormaliseLayer] {
        shadow.steps(inShadow: r).filter { !($0 == .casefold && p.flags.contains(.caseless)) }
    }

    /// Words (runs of letters, digits and apostrophes) with their byte ranges, lower-cased.
    static func words(_ bytes: UnsafeBufferPointer<UInt8>) -> [TextWord] {
        var out: [TextWord] = []
        var it = bytes.makeIterator()
        var decoder = UTF8()
        var pos = 0
        var cur = String.UnicodeScalarView()
        var curStart = 0
        func flush() {
            if !cur.isEmpty { out.append(TextWord(range: curStart..<pos, word: String(cur).lowercased())); cur = .init() }
        }
        loop: while true {
            switch decoder.decode(&it) {
            case .scalarValue(let s):
                let isWord = s.properties.isAlphabetic || s.properties.numericType != nil || s == "'" || s == "\u{2019}"
                if isWord { if cur.isEmpty { curStart = pos }; cur.append(s) } else { flush() }
                pos += UTF8.width(s)
            case .emptyInput: break loop
            case .error: flush(); pos += 1
            }
        }
        flush()
        return out
    }

    /// The boost and dampen lists that fire for a match: each list counts once if any of its words or phrases
    /// occurs in the window.
    static func contextDeltas(_ ctx: RuleContext, words: [TextWord], match r: Range<Int>) -> [ContextWordFound] {
        let before = Array(words.filter { $0.range.upperBound <= r.lowerBound }.suffix(ctx.wordsBefore))
        let after = Array(words.filter { $0.range.lowerBound >= r.upperBound }.prefix(ctx.wordsAfter))
        var found: [ContextWordFound] = []
        for list in ctx.boost + ctx.dampen {
            search: for entry in list.words {
                for (side, window) in [("before", before), ("after", after)] {
                    if let w = phraseMatch(entry, in: window.map(\.word)) {
                        found.append(ContextWordFound(word: w, entry: entry, side: side, delta: list.delta))
                        break search
                    }
                }
            }
        }
        return found
    }

    static func phraseMatch(_ entry: String, in window: [String]) -> String? {
        let parts = entry.split(separator: " ").map(String.init)
        guard !parts.isEmpty, window.count >= parts.count else { return nil }
        for i in 0...(window.count - parts.count) {
            var ok = true
            for (k, p) in parts.enumerated() {
                let w = window[i + k]
                if p.hasSuffix("*") ? !w.hasPrefix(String(p.dropLast())) : w != p { ok = false; break }
            }
            if ok { return window[i..<(i + parts.count)].joined(separator: " ") }
        }
        return nil
    }
}

extension ExceptionAction {
    var label: String {
        switch self { case .suppress: "suppress"; case .downgrade(let s): "downgrade_to:\(s.rawValue)" }
    }
}
