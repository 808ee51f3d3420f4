import ChatModel
import Foundation

/// Masks matched words for readers who need the finding but not the slur: every word of a matched span keeps its
/// first character and the rest becomes `*`. Each masked Unicode scalar becomes as many `*` as it has UTF-8 bytes,
/// so a redacted text has exactly the byte layout of the original and every byte offset (`text_start`,
/// `byte_start`, ...) still points at the same place.
public struct Redactor: Sendable {
    /// Matched strings seen anywhere in the run (lowercased); also masked where they occur in other messages
    /// (context texts), as whole words, case-insensitively.
    public private(set) var terms: [String]

    /// One case-insensitive alternation of all terms, bounded by non-letters/digits on both sides.
    private let termPattern: NSRegularExpression?

    public init(terms: some Sequence<String> = []) {
        var seen = Set<String>()
        var list: [String] = []
        for t in terms {
            let l = t.lowercased()
            if !l.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, seen.insert(l).inserted { list.append(l) }
        }
        // Longest first, so that a longer term wins over a shorter one inside it.
        self.terms = list.sorted { $0.utf8.count != $1.utf8.count ? $0.utf8.count > $1.utf8.count : $0 < $1 }
        termPattern = self.terms.isEmpty ? nil : try? NSRegularExpression(
            pattern: "(?<![\\p{L}\\p{N}])(?:" + self.terms.map(NSRegularExpression.escapedPattern(for:)).joined(separator: "|")
                + ")(?![\\p{L}\\p{N}])",
            options: [.caseInsensitive])
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
        if let termPattern {
            let ns = NSRange(text.startIndex..<text.endIndex, in: text)
            for m in termPattern.matches(in: text, range: ns) {
                guard let r = Range(m.range, in: text) else { continue }
                let lo = text.utf8.distance(from: text.utf8.startIndex, to: r.lowerBound)
                ranges.append(lo..<(lo + text[r].utf8.count))
            }
        }
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
