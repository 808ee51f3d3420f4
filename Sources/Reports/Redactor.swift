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

    public init(terms: some Sequence<String> = []) {
        var seen = Set<String>()
        var list: [String] = []
        for t in terms {
            let l = t.lowercased()
            if !l.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, seen.insert(l).inserted { list.append(l) }
        }
        // Longest first, so that a longer term masks before a shorter one inside it.
        self.terms = list.sorted { $0.utf8.count != $1.utf8.count ? $0.utf8.count > $1.utf8.count : $0 < $1 }
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
        if !terms.isEmpty {
            let lower = text.lowercased()
            // Lowercasing can change byte lengths (rare: e.g. U+0130); only search when the layout is unchanged.
            if lower.utf8.count == bytes.count {
                for term in terms {
                    var searchStart = lower.startIndex
                    while let r = lower.range(of: term, range: searchStart..<lower.endIndex) {
                        let lo = lower.utf8.distance(from: lower.utf8.startIndex, to: r.lowerBound)
                        let hi = lower.utf8.distance(from: lower.utf8.startIndex, to: r.upperBound)
                        if Self.isWordBoundary(before: lo, after: hi, in: lower) { ranges.append(lo..<hi) }
                        searchStart = r.upperBound
                    }
                }
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

    private static func isWordBoundary(before lo: Int, after hi: Int, in text: String) -> Bool {
        let u = text.utf8
        func isWordChar(at byteOffset: Int, backwards: Bool) -> Bool {
            var i = u.index(u.startIndex, offsetBy: byteOffset)
            if backwards {
                guard i > u.startIndex else { return false }
                i = u.index(before: i)
                while i > u.startIndex, u[i] & 0xC0 == 0x80 { i = u.index(before: i) }
            } else {
                guard i < u.endIndex else { return false }
            }
            guard let idx = i.samePosition(in: text.unicodeScalars) else { return false }
            let s = text.unicodeScalars[idx]
            return s.properties.isAlphabetic || s.properties.numericType != nil
        }
        return !isWordChar(at: lo, backwards: true) && !isWordChar(at: hi, backwards: false)
    }
}
