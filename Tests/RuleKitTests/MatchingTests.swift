import Testing
import ChatModel
@testable import RuleKit

@Suite struct MatchingTests {
    @Test func normalisedRuleReportsSpanInOriginalBytesAndSteps() throws {
        let set = try RuleLoader.load(paths: [Fixtures.path("good")])
        let c = try CompiledRuleSet(set)
        let text = "lol happily, I'd r4pe u"
        let m = c.matchAll(text: text, scratch: c.makeScratch()).filter(\.isHit)
        #expect(m.count == 1)
        #expect(String(decoding: Array(text.utf8)[m[0].range], as: UTF8.self) == "I'd r4pe u")
        #expect(m[0].normalisedSteps == ["leet"])
        #expect(m[0].severity == .critical && m[0].pattern == "p_would")
        #expect(abs(m[0].score - 0.95) < 1e-9)   // 0.9 + 0.05 (happily)
    }

    @Test func beforeMatchExceptionSuppresses() throws {
        let c = try CompiledRuleSet(RuleLoader.load(paths: [Fixtures.path("good")]))
        #expect(c.spans("she said i'd rape you") == [])
    }

    @Test func afterMatchExceptionDowngradesSeverity() throws {
        let c = try CompiledRuleSet(RuleLoader.load(paths: [Fixtures.path("good")]))
        let m = c.matchAll(text: "i'd rape you at fifa", scratch: c.makeScratch())
        #expect(m.count == 1 && m[0].severity == .medium)
    }

    @Test func aMessageExceptionAppliesAlikeToEveryCandidateOfTheTextAndEachTextIsJudgedApart() throws {
        let rule = Fixtures.rule(patterns: [#"\bslap\b"#, #"\bpunch\b"#], exceptions: [
            RuleException(id: "x_film", regex: #"\bfilm\b"#, flags: [.caseless], scope: .message, action: .downgrade(to: .low)),
            RuleException(id: "x_game", regex: #"\bgame\b"#, flags: [.caseless], scope: .message, action: .suppress)])
        let c = try Fixtures.compile(rule)
        let scratch = c.makeScratch()
        let film = c.matchAll(text: "slap him, punch him, slap him again, it's for the film", scratch: scratch)
        #expect(film.map(\.severity) == [.low, .low, .low])
        #expect(c.matchAll(text: "slap him, punch him, slap him again", scratch: scratch).map(\.severity) == [.high, .high, .high])
        #expect(c.matchAll(text: "slap and punch in the game, slap again", scratch: scratch).isEmpty)
        // `explain` still lists the exception, matched, under every candidate.
        let e = c.explain(text: "slap slap film", includeNearMisses: true)
        #expect(e.rules.first?.candidates.allSatisfy { $0.exceptions.contains { $0.id == "x_film" && $0.matched } } == true)
    }

    @Test func dampenWordsDropAHitBelowMinConfidence() throws {
        let c = try CompiledRuleSet(RuleLoader.load(paths: [Fixtures.path("good")]))
        #expect(c.spans("victim statement: i'd rape you") == [])   // 0.9 - 0.3 = 0.6 < 0.7
        let e = c.explain(text: "victim statement: i'd rape you", includeNearMisses: true)
        let cand = try #require(e.rules.first?.candidates.first)
        #expect(cand.status == .belowMinConfidence && cand.arithmetic == "0.90 - 0.30 (statement, before) = 0.60")
    }

    @Test func contextWindowCountsWordsAndPhrasesWithPrefixes() throws {
        let ctx = RuleContext(wordsBefore: 2, wordsAfter: 1,
                              boost: [ContextWords(words: ["happ*"], delta: 0.1)],
                              dampen: [ContextWords(words: ["court case"], delta: -0.5)])
        let c = try Fixtures.compile(Fixtures.rule(patterns: [#"\bslap\b"#], context: ctx, confidence: 0.6, minConfidence: 0))
        let s = c.makeScratch()
        #expect(c.matchAll(text: "happily slap", scratch: s)[0].score == 0.7)
        #expect(c.matchAll(text: "happily one two slap", scratch: s)[0].score == 0.6)   // outside the 2-word window
        #expect(c.matchAll(text: "court case slap", scratch: s)[0].score == 0.1)
    }

    @Test func pathologicalPatternHitsTheMatchLimitAndIsReported() throws {
        let rule = Fixtures.rule(patterns: [#"(a+)+$"#, #"\bok\b"#], flags: [])
        let c = try Fixtures.compile(rule, limits: MatchLimits(matchLimit: 5_000))
        let text = String(repeating: "a", count: 40) + "b ok"
        let m = c.matchAll(text: text, scratch: c.makeScratch())
        let limit = try #require(m.first { !$0.isHit }?.limitExceeded)
        #expect(limit.ruleId == "HAR-0001" && limit.pattern == "p1" && !limit.inException)
        #expect(limit.message.contains("limit"))
        #expect(m.filter(\.isHit).map(\.pattern) == ["p2"])   // the scan went on
    }

    @Test func emptyMatchesAdvanceByWholeCharactersAndAreNotHits() throws {
        let c = try Fixtures.compile(Fixtures.rule(patterns: ["x*"]))
        #expect(c.spans("ééxx€x") == ["xx", "x"])
    }

    @Test func overlappingMatchesOfTwoPatternsCountOnce() throws {
        let c = try Fixtures.compile(Fixtures.rule(patterns: [#"\bslap her\b"#, #"\bslap\b"#]))
        #expect(c.spans("slap her, slap") == ["slap her", "slap"])
    }

    @Test func rulesRunOnBothReadingsOfASpelledOutWordAfterASingleAOrI() throws {
        let layers: [NormaliseLayer] = [.casefold, .separators]
        let c = try Fixtures.compile(Fixtures.rule(patterns: [#"\bfag\b"#, #"\barse\b"#, #"\bsuch a fag\b"#, #"rape"#], normalise: layers))
        // The second reading finds `fag`; the first, `arse`; a match in both readings is reported once.
        #expect(c.spans("stop being such a f a g") == ["f a g"])   // `such a fag` overlaps it: not reported again
        #expect(c.spans("what a f a g") == ["f a g"])
        #expect(c.spans("a r s e") == ["a r s e"])
        #expect(c.spans("i r a p e") == ["r a p e"])
        // Without the separators layer there is no second reading.
        let plain = try Fixtures.compile(Fixtures.rule(patterns: [#"\bfag\b"#], normalise: [.casefold]))
        #expect(plain.spans("what a f a g") == [])
        // `match` (the engine's confirmation) agrees with `matchAll`, and `explain` shows the second reading.
        let s = c.makeScratch()
        for text in ["stop being such a f a g", "a r s e", "i r a p e"] {
            #expect(c.match(rule: 0, text: text, shadow: nil, scratch: s) == c.matchAll(text: text, scratch: s), "\(text)")
        }
        let e = c.explain(text: "what a f a g")
        #expect(e.rules.first?.steps.last == NormalisationStep(layer: "second reading", text: "what a fag"))
    }

    @Test func matchOneRuleEqualsMatchAllForThatRule() throws {
        let set = try RuleLoader.load(paths: [Fixtures.path("good"), Fixtures.path("keywords")])
        let c = try CompiledRuleSet(set)
        let s = c.makeScratch()
        for text in ["I'D H4PPILY R4PE U", "b0ll0cks", "she said i'd rape u", "plain text"] {
            let all = c.matchAll(text: text, scratch: s)
            var one: [RuleMatch] = []
            for i in c.rules.indices {
                let shadow = c.rules[i].normaliser?.normalise(text)
                one += c.match(rule: i, text: text, shadow: shadow, scratch: s)
            }
            #expect(all == one, "\(text)")
        }
    }

    @Test func prefilterPatternsDescribeEveryPatternAndItsShadow() throws {
        let c = try CompiledRuleSet(RuleLoader.load(paths: [Fixtures.path("good"), Fixtures.path("keywords")]))
        let p = c.prefilterPatterns()
        #expect(p.count == 3)
        #expect(p[0].ruleIndex == 0 && p[0].patternId == "p_would" && p[0].caseless && p[0].onShadow)
        #expect(p[0].normaliserIndex == 0 && p[1].normaliserIndex == 1)
        #expect(c.normalisers.count == 2)
    }

    @Test func hitConversionUsesMessageFileOffsets() throws {
        let c = try CompiledRuleSet(RuleLoader.load(paths: [Fixtures.path("good")]))
        let msg = Message(file: "chat.txt", chat: "G", sender: "Bob", timestamp: "2020-01-01T10:00:00",
                          text: "I'd r4pe u", kind: .text, line: 3, lineEnd: 3, byteStart: 100, byteEnd: 140,
                          messageIndex: 2, format: .whatsapp, textOrigin: .verbatim(120))
        let m = try #require(c.matchAll(text: msg.text, scratch: c.makeScratch()).first)
        let h = c.hit(for: m, in: msg)
        #expect(h.match == "I'd r4pe u" && h.byteStart == 120 && h.byteEnd == 130 && h.textStart == 0)
        #expect(h.rule == "SVX-0001" && h.category == "sexual_violence" && h.normalised == ["leet"] && h.line == 3)
    }
}

@Suite struct ExplainTests {
    @Test func explanationShowsEachNormalisationStepExceptionsAndArithmetic() throws {
        let c = try CompiledRuleSet(RuleLoader.load(paths: [Fixtures.path("good")]))
        let e = c.explain(text: "happily I'D R\u{200B}4PE U")
        let r = try #require(e.rules.first)
        #expect(r.ruleId == "SVX-0001" && r.fired)
        #expect(r.steps.map(\.layer) == ["strip_invisible", "casefold", "leet"])
        #expect(r.steps.map(\.text) == ["happily I'D R4PE U", "happily i'd r4pe u", "happily i'd rape u"])
        let cand = try #require(r.candidates.first)
        #expect(cand.matchedText == "I'D R\u{200B}4PE U" && cand.shadowMatch == "i'd rape u")
        #expect(cand.stepsUsed == ["strip_invisible", "leet"])
        #expect(cand.exceptions.map(\.id) == ["x_reported", "x_game"] && cand.exceptions.allSatisfy { !$0.matched })
        #expect(cand.context.map(\.word) == ["happily"])
        let text = ExplanationText.render(e, nearMisses: false)
        #expect(text.contains("after leet              \"happily i'd rape u\""))
        #expect(text.contains("exception x_reported (before_match, suppress): no match on \"happily \""))
        #expect(text.contains("score: 0.90 + 0.05 (happily, before) = 0.95"))
        #expect(text.contains("=> reported, severity critical"))
    }

    @Test func nearMissesAppearOnlyWhenAsked() throws {
        let c = try CompiledRuleSet(RuleLoader.load(paths: [Fixtures.path("good")]))
        #expect(c.explain(text: "she said i'd rape you").rules.isEmpty)
        let e = c.explain(text: "she said i'd rape you", includeNearMisses: true)
        let cand = try #require(e.rules.first?.candidates.first)
        #expect(cand.status == .suppressed && cand.suppressedBy == "x_reported")
        #expect(cand.exceptions.first?.matched == true && cand.exceptions.first?.checkedText == "she said ")
        #expect(ExplanationText.render(e, nearMisses: true).contains("=> suppressed by x_reported"))
    }
}

@Suite struct ShadowCacheTests {
    @Test func shadowIsReusedOnlyForTheSameBytes() throws {
        let set = try RuleLoader.load(paths: [Fixtures.path("good")])
        let c = try CompiledRuleSet(set)
        let s = c.makeScratch()
        var a = "I'D R4PE U", b = "I'D R4PE YOU"
        let sa = a.withUTF8 { c.shadow(normaliser: 0, bytes: UnsafeRawBufferPointer($0), scratch: s) }
        let sb = b.withUTF8 { c.shadow(normaliser: 0, bytes: UnsafeRawBufferPointer($0), scratch: s) }
        #expect(sa?.text == "i'd rape u" && sb?.text == "i'd rape you")
        let again = a.withUTF8 { c.match(rule: 0, bytes: UnsafeRawBufferPointer($0), shadow: nil, scratch: s) }
        #expect(again.map(\.range) == [0..<10])
        var plain = "nothing here"
        #expect(plain.withUTF8 { c.shadow(normaliser: 0, bytes: UnsafeRawBufferPointer($0), scratch: s) } == nil)
    }
}
