import Foundation
import Testing
@testable import ChatParsers

/// The header cache must never disagree with the full header scanner: whenever it recognises a line, the scanner
/// recognises it too and reads the same fields.
@Suite struct WhatsAppHeaderCacheTests {
    /// `line` followed by a newline and padding, so the cache may load its 32 bytes.
    static func padded(_ line: [UInt8]) -> [UInt8] { line + [0x0A] + [UInt8](repeating: 0x78, count: 40) }

    /// Stores `a` (when the scanner reads it as a header), then checks `b`; returns true when the cache matched `b`.
    static func agree(_ a: [UInt8], _ b: [UInt8], allowMarker: Bool) -> Bool {
        let pa = padded(a), pb = padded(b)
        var cache = WAHeaderCache()
        var h = WAHeaderFields()
        let stored = pa.withUnsafeBufferPointer { q -> Bool in
            let p = q.baseAddress!
            guard WAHeaderScanner.scan(p, 0, a.count, allowMarker: allowMarker, into: &h) else { return false }
            cache.store(p, start: 0, ce: a.count, count: pa.count, fields: h)
            return true
        }
        guard stored else { return false }
        return pb.withUnsafeBufferPointer { q -> Bool in
            let p = q.baseAddress!
            var fromCache = WAHeaderFields(), scanned = WAHeaderFields()
            guard cache.match(p, start: 0, ce: b.count, count: pb.count, into: &fromCache) else { return false }
            let ok = WAHeaderScanner.scan(p, 0, b.count, allowMarker: allowMarker, into: &scanned)
            #expect(ok, "cache matched a line the scanner rejects: \(String(decoding: b, as: UTF8.self))")
            #expect(fromCache == scanned, "\(String(decoding: a, as: UTF8.self)) -> \(String(decoding: b, as: UTF8.self))")
            return true
        }
    }

    /// Every line of every sample, split on LF or CR.
    static func sampleLines() throws -> [[UInt8]] {
        var lines: [[UInt8]] = []
        for name in WA.sampleNames {
            let data = [UInt8](try WA.sample(name))
            for line in data.split(separator: data.contains(0x0A) ? 0x0A : 0x0D, omittingEmptySubsequences: true) {
                var l = Array(line)
                if l.last == 0x0D { l.removeLast() }
                lines.append(l)
            }
        }
        return lines
    }

    @Test func cachedHeaderAgreesWithTheScannerOnEveryPairOfSampleLines() throws {
        let lines = try Self.sampleLines()
        #expect(lines.count > 60)
        var matched = 0
        for allowMarker in [true, false] {
            for (i, a) in lines.enumerated() {
                // Following lines of the same file are what the parser meets; every 7th line elsewhere adds strangers.
                for b in lines[(i + 1)..<min(lines.count, i + 40)] where Self.agree(a, b, allowMarker: allowMarker) { matched += 1 }
                for b in stride(from: 0, to: lines.count, by: 7).map({ lines[$0] }) where Self.agree(a, b, allowMarker: allowMarker) {
                    matched += 1
                }
            }
        }
        #expect(matched > 200)
    }

    @Test func cachedHeaderAgreesWithTheScannerOnEverySingleByteChange() throws {
        let headers = try Self.sampleLines().filter { l in
            var h = WAHeaderFields()
            let pl = Self.padded(l)
            return pl.withUnsafeBufferPointer { WAHeaderScanner.scan($0.baseAddress!, 0, l.count, allowMarker: true, into: &h) }
        }
        #expect(headers.count > 50)
        let replacements: [UInt8] = Array("0123456789 .:/-,]a".utf8) + [0xE2, 0xC2, 0x0D]
        var matched = 0
        for a in headers {
            for at in 0..<min(a.count, 34) {
                for r in replacements where r != a[at] {
                    var b = a
                    b[at] = r
                    if Self.agree(a, b, allowMarker: true) { matched += 1 }
                }
            }
            // Shorter and longer lines: the header alone, one byte after it, inserted and deleted bytes.
            for cut in stride(from: 1, to: min(a.count, 34), by: 1) {
                _ = Self.agree(a, Array(a[..<cut]), allowMarker: true)
                var ins = a; ins.insert(0x31, at: cut); _ = Self.agree(a, ins, allowMarker: true)
                var del = a; del.remove(at: cut); _ = Self.agree(a, del, allowMarker: true)
            }
        }
        #expect(matched > 500)
    }

    @Test func headerEndingInABareSpaceIsNeverCached() {
        // `12.03.23 14:05 Anna: hi`: the scanner looks past such a header (`- `, a sender called `Am`), so the cache
        // must not stand in for it.
        let a = Array("12.03.23 14:05 Anna: hi".utf8)
        #expect(!Self.agree(a, Array("12.03.23 14:06 Anna: hi".utf8), allowMarker: true))
        #expect(!Self.agree(a, Array("12.03.23 14:06 - x".utf8), allowMarker: true))
        let b = Array("12/03/2023, 14:05 - Anna: hi".utf8)
        #expect(Self.agree(b, Array("12/03/2023, 23:59 - Bob: ok".utf8), allowMarker: true))
        #expect(!Self.agree(b, Array("12/03/2023, 24:00 - Bob: ok".utf8), allowMarker: true))
        #expect(!Self.agree(b, Array("12/03/2023, 14:60 - Bob: ok".utf8), allowMarker: true))
        #expect(!Self.agree(b, Array("13/03/2023, 14:05 - Bob: ok".utf8), allowMarker: true))
    }

    /// The C line walk (`skipRun`) must stop exactly where a line-by-line walk with `match` stops, on every sample
    /// (LF, CRLF and CR line ends) and at the end of the buffer (last line with and without a terminator).
    @Test func runOfCachedHeadersEndsWhereLineByLineMatchingEnds() throws {
        var checked = 0, skipped = 0
        for name in WA.sampleNames {
            let sample = [UInt8](try WA.sample(name))
            let term: UInt8 = sample.contains(0x0A) ? 0x0A : 0x0D
            for data in [sample, sample + Array("12/03/2023, 14:05 - Anna: hi".utf8), Array(sample.dropLast())] {
                let (c, k) = Self.compareRuns(data, terminator: term, context: name)
                checked += c; skipped += k
            }
        }
        #expect(checked > 100 && skipped > 50)
    }

    /// The same over long runs of one day's messages (lines of 0 to 1,500 bytes, some continuation lines), so the walk
    /// refills its window of terminator masks many times, at every offset within a 64-byte block.
    @Test func longRunsOfCachedHeadersEndWhereLineByLineMatchingEnds() {
        var rng = SplitMix64(state: 7)
        for lineEnd in ["\n", "\r\n"] {
            var text = ""
            for k in 0..<600 {
                let length = rng.next() % 9 == 0 ? Int(rng.next() % 1500) : Int(rng.next() % 90)
                let body = String(repeating: "abcdefghij klmnop,", count: length / 18 + 1).prefix(length)
                text += "12/03/2023, \(10 + k % 10):\(10 + k % 50) - Anna: \(body)\(lineEnd)"
                if rng.next() % 13 == 0 { text += "a continuation line\(lineEnd)" }
            }
            let data = Array(text.utf8)
            let (checked, skipped) = Self.compareRuns(data, terminator: 0x0A, context: "long runs \(lineEnd.count)")
            #expect(checked > 600 && skipped > 2_000)
            _ = Self.compareRuns(Array(data.dropLast()), terminator: 0x0A, context: "long runs, no final terminator")
        }
    }

    /// From every line start, compares `skipRun` with a line-by-line walk using `match`; returns the number of
    /// comparisons and of lines skipped in all.
    static func compareRuns(_ data: [UInt8], terminator term: UInt8, context: String) -> (checked: Int, skipped: Int) {
        var checked = 0, skipped = 0
        data.withUnsafeBufferPointer { q in
            let p = q.baseAddress!, n = q.count
            func lineEnd(_ i: Int) -> (ce: Int, next: Int) {
                var e = i
                while e < n && p[e] != term { e += 1 }
                return ((e > i && p[e - 1] == 0x0D) ? e - 1 : e, e + 1)
            }
            var i = 0
            var cache = WAHeaderCache()
            var h = WAHeaderFields()
            while i < n {
                let (ce, next) = lineEnd(i)
                if WAHeaderScanner.scan(p, i, ce, allowMarker: true, into: &h) {
                    cache.store(p, start: i, ce: ce, count: n, fields: h)
                }
                guard next < n else { break }
                // Line by line from the next line while the cache matches.
                var j = next, lines = 0
                while j < n {
                    let (cj, nj) = lineEnd(j)
                    guard cache.match(p, start: j, ce: cj, count: n, into: &h) else { break }
                    lines += 1
                    j = nj
                }
                let run = cache.skipRun(p, start: next, count: n, terminator: term)
                #expect(run.next == min(j, n) && run.lines == lines, "\(context) at byte \(next)")
                checked += 1; skipped += lines
                i = next
            }
        }
        return (checked, skipped)
    }
}
