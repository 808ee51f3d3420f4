import ChatModel
import Foundation
import RuleKit

/// Masks matched words for readers who need the finding but not the slur: every word of a matched span keeps its
/// first character and the rest becomes `*`. Each masked Unicode scalar becomes as many `*` as it has UTF-8 bytes,
/// so a redacted text has exactly the byte layout of the original and every byte offset (`text_start`,
/// `byte_start`, ...) still points at the same place.
public struct Redactor: Sendable {
    /// Matched strings seen anywhere in the run (lowercased); also masked where they occur in other messages
    /// (context texts), as whole words, case-insensitively.
    public private(set) var terms: [String]

    /// One case-insensitive alternation of all terms, bounded by non-letters/digits on both sides, as PCRE2 JIT
    /// (Unicode properties and case folding) with ICU's regex as the fallback should PCRE2 stop at a limit.
    private let termMatcher: TermMatcher?

    public init(terms: some Sequence<String> = []) {
        var seen = Set<String>()
        var list: [String] = []
        for t in terms {
            let l = t.lowercased()
            if !l.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, seen.insert(l).inserted { list.append(l) }
        }
        // Longest first, so that a longer term wins over a shorter one inside it.
        self.terms = list.sorted { $0.utf8.count != $1.utf8.count ? $0.utf8.count > $1.utf8.count : $0 < $1 }
        termMatcher = self.terms.isEmpty ? nil : TermMatcher(terms: self.terms)
    }

    /// `chink of light` -> `c**** o* l****`: per word, first character kept, the rest masked byte for byte.
    public static func mask(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var atWordStart = true
        for ch in s {
            if ch.isWhitespace {
                out.append(ch)
                atWordStart = true
            } else if atWordStart {
                out.append(ch)
                atWordStart = false
            } else {
                for scalar in ch.unicodeScalars {
                    out.append(String(repeating: "*", count: String(scalar).utf8.count))
                }
            }
        }
        return out
    }

    /// Byte ranges of `text` to mask: the given spans (hit offsets) plus every whole-word occurrence of a known term.
    public func maskRanges(in text: String, spans: [Range<Int>]) -> [Range<Int>] {
        let bytes = Array(text.utf8)
        var ranges = spans.map { Self.snap($0, in: bytes) }
        if let termMatcher { ranges += termMatcher.ranges(in: text, bytes: bytes) }
        return Self.merge(ranges)
    }

    /// The text with the given spans and all known terms masked.
    public func redact(_ text: String, spans: [Range<Int>] = []) -> String {
        Self.apply(maskRanges(in: text, spans: spans), to: text)
    }

    /// Masks the byte ranges (sorted, non-overlapping) of `text`.
    public static func apply(_ ranges: [Range<Int>], to text: String) -> String {
        guard !ranges.isEmpty else { return text }
        let bytes = Array(text.utf8)
        var out = ""
        var pos = 0
        for r in ranges where r.lowerBound >= pos && r.upperBound <= bytes.count {
            out += String(decoding: bytes[pos..<r.lowerBound], as: UTF8.self)
            out += mask(String(decoding: bytes[r], as: UTF8.self))
            pos = r.upperBound
        }
        out += String(decoding: bytes[pos...], as: UTF8.self)
        return out
    }

    /// Widens a byte range to whole UTF-8 scalars and clamps it to the text.
    static func snap(_ r: Range<Int>, in bytes: [UInt8]) -> Range<Int> {
        var lo = min(max(0, r.lowerBound), bytes.count)
        var hi = min(max(lo, r.upperBound), bytes.count)
        while lo > 0, lo < bytes.count, bytes[lo] & 0xC0 == 0x80 { lo -= 1 }
        while hi < bytes.count, bytes[hi] & 0xC0 == 0x80 { hi += 1 }
        return lo..<hi
    }

    static func merge(_ ranges: [Range<Int>]) -> [Range<Int>] {
        let sorted = ranges.filter { !$0.isEmpty }.sorted { $0.lowerBound < $1.lowerBound }
        var out: [Range<Int>] = []
        for r in sorted {
            if let last = out.last, r.lowerBound <= last.upperBound {
                out[out.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        return out
    }
}

extension Hit {
    /// `textStart..<textEnd`, never trapping on a reversed or negative range from a faulty producer.
    var safeTextRange: Range<Int> {
        let lo = max(0, min(textStart, textEnd))
        return lo..<max(lo, textEnd)
    }
}

/// Finds whole-word, case-insensitive occurrences of any of a list of terms, as byte ranges, with ICU's semantics
/// (the original engine): PCRE2 JIT where the two agree, ICU where they may not. ICU compares with full case
/// folding (`straße` matches `STRASSE`), PCRE2 with simple folding, so a term or text holding a character whose case
/// mapping expands (ß, ligatures, İ, ...) goes to ICU; so does any text PCRE2 stops on at a limit.
final class TermMatcher: @unchecked Sendable {
    /// `(?<![\p{L}\p{N}])(?:t1|t2|...)(?![\p{L}\p{N}])`, terms escaped, longest first.
    let pattern: String
    private let pcre2: PCRE2Regex?
    private let scratch = MatchScratch()
    private let lock = NSLock()
    /// ICU's regex for the same pattern: used when PCRE2 could not compile or stopped at a limit.
    private lazy var icu: NSRegularExpression? = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive])

    init(terms: [String]) {
        pattern = "(?<![\\p{L}\\p{N}])(?:" + terms.map(Self.escaped).joined(separator: "|") + ")(?![\\p{L}\\p{N}])"
        let simple = !terms.contains { $0.unicodeScalars.contains(where: Self.expandsUnderCaseMapping) }
        pcre2 = simple ? try? PCRE2Regex(pattern, flags: [.caseless, .ucp]) : nil
    }

    /// True when PCRE2 does the searching (no term expands under case mapping).
    var usesPCRE2: Bool { pcre2 != nil }

    /// True for a character whose upper- or lower-case form is more than one character (`ß` -> `SS`).
    static func expandsUnderCaseMapping(_ c: Unicode.Scalar) -> Bool {
        c.value >= 0x80 && (c.properties.uppercaseMapping.unicodeScalars.count > 1
            || c.properties.lowercaseMapping.unicodeScalars.count > 1)
    }

    /// True when `bytes` hold a character PCRE2 and ICU may fold differently.
    static func needsFullFolding(_ text: String, _ bytes: [UInt8]) -> Bool {
        guard bytes.contains(where: { $0 >= 0x80 }) else { return false }
        return text.unicodeScalars.contains(where: expandsUnderCaseMapping)
    }

    /// Each ASCII character that is not a letter or digit gets a backslash; everything else stands for itself
    /// (valid in both PCRE2 and ICU).
    static func escaped(_ term: String) -> String {
        var out = ""
        for ch in term.unicodeScalars {
            if ch.isASCII && !(ch.properties.isAlphabetic || ("0"..."9").contains(ch)) && ch != " " {
                out += "\\" + String(ch)
            } else {
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    func ranges(in text: String, bytes: [UInt8]) -> [Range<Int>] {
        if let pcre2, !Self.needsFullFolding(text, bytes) {
            lock.lock()
            let (found, stop) = bytes.withUnsafeBufferPointer { pcre2.allMatches(in: $0, scratch: scratch) }
            lock.unlock()
            if stop == nil { return found }
        }
        return icuRanges(in: text)
    }

    /// The same search with ICU's regex engine.
    func icuRanges(in text: String) -> [Range<Int>] {
        lock.lock()
        let regex = icu
        lock.unlock()
        guard let regex else { return [] }
        var out: [Range<Int>] = []
        let ns = NSRange(text.startIndex..<text.endIndex, in: text)
        for m in regex.matches(in: text, range: ns) {
            guard let r = Range(m.range, in: text) else { continue }
            let lo = text.utf8.distance(from: text.utf8.startIndex, to: r.lowerBound)
            out.append(lo..<(lo + text[r].utf8.count))
        }
        return out
    }
}
