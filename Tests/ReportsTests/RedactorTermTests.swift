import Foundation
import Testing
@testable import Reports

/// The redactor's PCRE2 term search against ICU's regex engine (which it replaced and still falls back to).
@Suite struct RedactorTermTests {
    static let terms = ["idiot", "kill yourself", "n1gg3r", "müll", "straße", "c.u.n.t", "bell-end", "ass", "😂 lol",
                        "ÉCOLE", "f*ck", "(file)", "a|b", "x+y", "[x]", "what?", "50p", "_under_"]
    static let pieces = ["idiot", "IDIOT", "Idiots", "kill yourself", "KILL  yourself", "n1gg3r", "N1GG3R", "müll", "MÜLL",
                         "straße", "STRASSE", "STRAẞE", "ﬁne", "FINE", "İdiot", "c.u.n.t", "bell-end", "bellend", "ass", "class", "ass1", "😂 lol", "école",
                         "École", "f*ck", "(file)", "a|b", "x+y", "[x]", "what?", "50p", "150p", "_under_", " ", " ", ", ",
                         ".", "-", "'", "’", "\n", "é", "2", "x", "ok"]

    @Test func pcre2TermSearchFindsWhatICUFindsOnRandomTexts() throws {
        var rng = SystemRandomNumberGenerator()
        var found = 0
        // Once with every term (one holds ß, so ICU does all the work), once without the terms that expand under
        // case mapping (PCRE2 does the work except on texts holding such a character).
        for terms in [Self.terms, Self.terms.filter { !$0.unicodeScalars.contains(where: TermMatcher.expandsUnderCaseMapping) }] {
        let matcher = TermMatcher(terms: Redactor(terms: terms).terms)
        #expect(matcher.usesPCRE2 == (terms.count < Self.terms.count))
        for round in 0..<3000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...12, using: &rng) { text += Self.pieces[Int.random(in: 0..<Self.pieces.count, using: &rng)] }
            let got = matcher.ranges(in: text, bytes: Array(text.utf8))
            let want = matcher.icuRanges(in: text)
            #expect(got == want, "round \(round): \(text)")
            found += got.count
        }
        }
        #expect(found > 2000)
    }

    @Test func termsWithRegexSyntaxAreMatchedLiterally() {
        let r = Redactor(terms: ["a|b", "x+y", "f*ck"])
        #expect(r.redact("a|b and ab and x+y and xxy and f*ck") == "a** and ab and x** and xxy and f***")
    }
}
