import CScanKernels
import ChatModel
import Foundation
import RuleKit

/// Adapts RuleKit's `CompiledRuleSet` (the reference rule semantics: patterns, exceptions, context, normalisation)
/// to the engine: its patterns feed the prefilter, and `match(rule:...)` confirms candidates.
public final class RuleKitRules: ConfirmingRules, @unchecked Sendable {
    public let compiled: CompiledRuleSet
    let metas: [RuleMeta]
    /// One bytes-only shadow writer per normaliser of `compiled` (same index).
    let shadowWriters: [ShadowWriter]

    /// `cacheDirectory`: where the shadow writers' scalar tables are cached between runs (nil: built every run).
    public init(_ compiled: CompiledRuleSet, cacheDirectory: URL? = nil) {
        self.compiled = compiled
        shadowWriters = ShadowWriter.writers(for: compiled.normalisers, cacheDirectory: cacheDirectory)
        metas = compiled.rules.map { RuleMeta(id: $0.rule.id, category: $0.rule.category, subcategory: $0.rule.subcategory, severity: $0.rule.severity) }
    }

    public var ruleCount: Int { metas.count }
    public func meta(_ rule: Int) -> RuleMeta { metas[rule] }

    public func prefilterSpecs() -> [PrefilterSpec] {
        compiled.prefilterPatterns().map {
            PrefilterSpec(rule: $0.ruleIndex, source: $0.source, caseless: $0.caseless, dotAll: $0.dotall,
                          multiline: $0.multiline, extended: $0.extended, ucp: $0.ucp,
                          normaliser: $0.onShadow ? $0.normaliserIndex : nil)
        }
    }

    public func makeConfirmScratch() -> AnyObject { compiled.makeScratch() }

    /// Appends the shadow bytes the prefilter scans: from the bytes-only writer, straight into `out`, or from the
    /// reference normaliser for texts the writer does not handle. Both give `Normaliser.normalise(text).bytes`.
    public func appendShadow(normaliser: Int, text: UnsafeRawBufferPointer, to out: inout [UInt8]) -> Bool {
        var second = false
        if shadowWriters[normaliser].append(text, to: &out, secondReading: &second) { return second }
        let (s, hasSecond) = referenceShadowAndSecondReading(normaliser: normaliser, text: text)
        if let s { out.append(contentsOf: s) } else { out.append(contentsOf: text) }
        return hasSecond
    }

    public func appendSecondReading(normaliser: Int, text: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        if shadowWriters[normaliser].appendSecondReading(text, to: &out) { return }
        out.append(contentsOf: compiled.normalisers[normaliser].secondReading(text)?.bytes ?? Array(text))
    }

    /// The shadow bytes from RuleKit's normaliser, nil when identical to `text`.
    public func referenceShadow(normaliser: Int, text: UnsafeRawBufferPointer) -> [UInt8]? {
        referenceShadowAndSecondReading(normaliser: normaliser, text: text).bytes
    }

    /// `referenceShadow`, and whether the text has a second reading (`NormalisedText.hasSecondReading`).
    private func referenceShadowAndSecondReading(normaliser: Int, text: UnsafeRawBufferPointer) -> (bytes: [UInt8]?, hasSecondReading: Bool) {
        let n = compiled.normalisers[normaliser]
        guard n.mayChange(text) else { return (nil, false) }
        return n.shadowBytesAndSecondReading(text)
    }

    public func prepare(rule: Int) { compiled.rules[rule].prepareJIT() }

    public func confirm(rule: Int, text: UnsafeRawBufferPointer, scratch: AnyObject) -> ConfirmOutcome {
        let ms = compiled.match(rule: rule, bytes: text, shadow: nil, scratch: scratch as! MatchScratch)
        var out: [ConfirmedMatch] = []
        var limit: String?
        for m in ms {
            if let e = m.limitExceeded {
                if limit == nil { limit = "\(e.inException ? "exception" : "pattern") \(e.pattern): \(e.message)" }
                continue
            }
            out.append(ConfirmedMatch(textStart: m.range.lowerBound, textEnd: m.range.upperBound, pattern: m.pattern,
                                      normalised: m.normalisedSteps, score: m.score, severity: m.severity))
        }
        return ConfirmOutcome(matches: out, limitEvent: limit)
    }
}
