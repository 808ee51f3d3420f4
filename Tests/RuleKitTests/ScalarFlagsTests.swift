import Dispatch
import Testing
@testable import RuleKit

/// The normaliser's memo of Unicode properties, confusables and base letters against the functions themselves.
@Suite struct ScalarFlagsTests {
    @Test func memoisedAnswersEqualThePropertiesNFKCStabilityConfusablesBasesAndLowercasesForEveryScalarBelowTheLimitEvenWhenFilledConcurrently() {
        // Eight lanes ask for every scalar at once, in different orders, so blocks are filled while others read.
        let count = Int(ScalarFlags.limit)
        let mismatches = UnsafeMutableBufferPointer<Int>.allocate(capacity: 8)
        mismatches.initialize(repeating: 0)
        defer { mismatches.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 8) { lane in
            var bad = 0
            for k in 0..<count {
                let v = UInt32(lane % 2 == 0 ? (k * 7919 + lane * 4099) % count : count - 1 - k)
                guard let s = Unicode.Scalar(v) else { continue }
                let p = s.properties
                let f = ScalarFlags.memo.flags(s)
                let lower = p.lowercaseMapping.unicodeScalars
                let want = (p.canonicalCombiningClass.rawValue != 0, p.changesWhenNFKCCaseFolded, p.isAlphabetic,
                            p.generalCategory == .nonspacingMark, lower.count == 1 && lower.first == s)
                let got = (f & ScalarFlags.combining != 0, f & ScalarFlags.nfkcCaseFoldChanges != 0,
                           f & ScalarFlags.alphabetic != 0, f & ScalarFlags.nonspacingMark != 0,
                           f & ScalarFlags.ownLowercase != 0)
                if want != got { bad += 1 }
                let memo = ScalarFlags.memo
                if memo.confusable(s) != Confusables.map(s)?.unicodeScalars.first || memo.base(s) != UnicodeTables.base(s) { bad += 1 }
                if memo.lowercase(s) != (lower.count == 1 ? lower.first : nil) { bad += 1 }
                // One lane also checks the NFKC-stable bit (a Foundation call per scalar).
                if lane == 0 && (f & ScalarFlags.nfkcStable != 0) != (UnicodeTables.nfkc([s]) == [s]) { bad += 1 }
            }
            mismatches[lane] = bad
        }
        #expect(Array(mismatches) == [Int](repeating: 0, count: 8))
        // Above the memo's limit the flags are computed.
        #expect(ScalarFlags.memo.flags("\u{E0041}") & ScalarFlags.alphabetic == 0)
        #expect(ScalarFlags.memo.flags("\u{30000}") & ScalarFlags.alphabetic != 0)
    }

    @Test func normalisingTextInOtherScriptsGivesTheSameTextAsBeforeTheMemo() {
        let n = Normaliser(layers: [.nfkc, .stripInvisible, .confusables, .casefold, .separators, .leet, .collapseRepeats])
        func norm(_ t: String) -> String { String(decoding: Array(t.utf8).withUnsafeBytes { n.normalise($0).bytes }, as: UTF8.self) }
        // Outputs of the normaliser before its property lookups were memoised and its NFKC step stopped copying each
        // cluster (the same for these texts): other scripts, compatibility forms, combining sequences, case specials.
        let expected: [(String, String)] = [
            ("\u{414}\u{420}\u{423}\u{413}\u{20}\u{434}\u{440}\u{443}\u{433}", "\u{434}\u{70}\u{79}\u{433}\u{20}\u{434}\u{70}\u{79}\u{72}"),
            ("\u{39a}\u{391}\u{39b}\u{397}\u{39c}\u{395}\u{3a1}\u{391}", "\u{6b}\u{61}\u{3bb}\u{68}\u{6d}\u{65}\u{70}\u{61}"),
            ("\u{645}\u{631}\u{62d}\u{628}\u{627}\u{20}\u{628}\u{643}", "\u{645}\u{631}\u{62d}\u{628}\u{627}\u{20}\u{628}\u{643}"),
            ("\u{ff2b}\u{ff49}\u{ff4c}\u{ff4c}", "\u{6b}\u{69}\u{6c}\u{6c}"),
            ("\u{6b}\u{69}\u{301}\u{6c}\u{6c}", "\u{6b}\u{69}\u{6c}\u{6c}"),
            ("\u{1e30}\u{308}\u{26a}\u{29f}\u{29f}\u{20}\u{455}\u{2113}\u{3c5}\u{442}", "\u{6b}\u{308}\u{69}\u{6c}\u{6c}\u{20}\u{73}\u{6c}\u{75}\u{74}"),
            ("\u{1c4}\u{65}\u{6d}\u{61}\u{6c}\u{20}\u{1c5}\u{20}\u{1c6}", "\u{64}\u{7a}\u{65}\u{6d}\u{61}\u{6c}\u{20}\u{64}\u{7a}\u{20}\u{64}\u{7a}"),
            ("\u{130}\u{73}\u{74}\u{61}\u{6e}\u{62}\u{75}\u{6c}\u{20}\u{131}\u{69}", "\u{69}\u{73}\u{74}\u{61}\u{6e}\u{62}\u{75}\u{6c}\u{20}\u{69}\u{69}"),
            ("\u{df}\u{20}\u{1e9e}\u{20}\u{fb01}", "\u{df}\u{20}\u{df}\u{20}\u{66}\u{69}"),
            ("\u{43a}\u{20}\u{438}\u{20}\u{43b}\u{20}\u{43b}", "\u{6b}\u{438}\u{43b}\u{43b}"),
            ("\u{6b}\u{69}\u{69}\u{69}\u{69}\u{6c}\u{6c}\u{20}\u{33}\u{4cf}", "\u{6b}\u{69}\u{69}\u{6c}\u{6c}\u{20}\u{33}\u{6c}"),
            ("\u{65e5}\u{672c}\u{8a9e}\u{20}\u{ff34}\u{ff25}\u{ff33}\u{ff34}", "\u{65e5}\u{672c}\u{8a9e}\u{20}\u{74}\u{65}\u{73}\u{74}"),
            ("\u{61}\u{200b}\u{62}\u{ad}\u{63}", "\u{61}\u{62}\u{63}"),
            ("\u{438}\u{306}\u{20}\u{439}", "\u{439}\u{20}\u{439}"),
            ("\u{41}\u{30a}\u{6e}\u{67}\u{73}\u{74}\u{72}\u{f6}\u{6d}", "\u{61}\u{6e}\u{67}\u{73}\u{74}\u{72}\u{6f}\u{6d}"),
            ("\u{fb03}\u{20}\u{2460}\u{20}\u{ff76}\u{ff80}\u{ff76}\u{ff85}", "\u{66}\u{66}\u{69}\u{20}\u{31}\u{20}\u{30ab}\u{30bf}\u{30ab}\u{30ca}"),
            ("\u{1100}\u{1161}\u{11a8}", "\u{1100}\u{1161}\u{11a8}"),
            ("\u{1f44d}\u{1f3fd}\u{20}\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}", "\u{1f44d}\u{1f3fd}\u{20}\u{1f468}\u{1f469}\u{1f467}"),
            ("\u{3a9}\u{301}\u{327}\u{20}\u{78}\u{301}\u{301}\u{79}", "\u{3ce}\u{327}\u{20}\u{78}\u{301}\u{79}"),
            ("\u{216b}\u{20}\u{338f}\u{20}\u{210c}", "\u{78}\u{69}\u{69}\u{20}\u{6b}\u{67}\u{20}\u{68}"),
            ("\u{1c9}\u{75}\u{62}\u{61}\u{76}\u{20}\u{1c7}", "\u{6c}\u{6a}\u{75}\u{62}\u{61}\u{76}\u{20}\u{6c}\u{6a}"),
            ("\u{301}\u{73}\u{74}\u{61}\u{72}\u{74}", "\u{301}\u{73}\u{74}\u{61}\u{72}\u{74}"),
            ("\u{6b}\u{131}\u{6c}\u{6c}\u{20}\u{130}", "\u{6b}\u{69}\u{6c}\u{6c}\u{20}\u{69}"),
            ("\u{434}\u{31}\u{434}\u{20}\u{434}\u{21}\u{434}", "\u{434}\u{69}\u{434}\u{20}\u{434}\u{69}\u{434}"),
        ]
        for (text, want) in expected { #expect(norm(text) == want, "\(text)") }
    }
}
