import ChatModel
import Foundation
import Testing
@testable import Reports

/// The byte-level JSON/CSV writers against the String renderers they replace on the streaming path.
@Suite struct RecordBytesTests {
    /// Strings that exercise every escaping branch and every UTF-8 length.
    static let tricky: [String] = {
        var list = [
            "", "plain ascii", "quote \" and backslash \\ and slash /", "\"", "\\", "\"\"", "a\"b\\c",
            "line\nbreak", "crlf\r\nend", "\r", "\t", "tab\tin", "\u{7F}del", "\u{8}\u{C}\u{1B}\u{1F}",
            "\u{2028}", "\u{2029}", "x\u{2028}y\u{2029}z", "end with \u{2029}", "\u{2027}\u{202A}\u{2030}",
            "€ … — ‘quotes’ “double” • ™", "\u{E2}", "é e\u{301} ñ ß Ł ø", "日本語のテキスト", "😂🤣💀 👍🏽 👨‍👩‍👧 🏳️‍🌈",
            "emoji then quote 😂\"", "\u{10FFFF}\u{FFFD}\u{FEFF}", "mixed \u{1}😂\u{2028}\"é\\\n",
            "=SUM(A1)", "+1", "-2", "@x", "\tx", "\rx", "\r\nstarts with crlf", "=\u{301} combining after equals",
            "-\u{200D}joined", "a,b", "say \"hi\", ok", "\"\u{301}quote with combining mark", "é\"é", "\u{600}\"x",
            "x\"\u{200D}", "😂\",😂", "'already", "\u{0}nul",
        ]
        list.append(String(repeating: "long run without escapes ", count: 200) + "\u{2028}" + String(repeating: "é", count: 300))
        for c in 0..<0x20 { list.append("c\(c):" + String(UnicodeScalar(UInt8(c))) + ":end") }
        // Seeded pseudo-random mixes of the interesting scalars.
        let pool: [Unicode.Scalar] = ["a", "Z", " ", ",", "\"", "\\", "\n", "\r", "\t", "\u{1}", "\u{7F}", "\u{2028}",
                                      "\u{2029}", "\u{2026}", "\u{301}", "\u{200D}", "é", "€", "😂", "=", "-", "@", "\u{600}"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<400 {
            var s = String.UnicodeScalarView()
            state = state &* 6364136223846793005 &+ 1442695040888963407
            for _ in 0..<Int(state >> 60) + 1 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                s.append(pool[Int(state >> 33) % pool.count])
            }
            list.append(String(s))
        }
        return list
    }()

    static func bytes(_ body: (inout [UInt8]) -> Void) -> [UInt8] {
        var out: [UInt8] = []
        body(&out)
        return out
    }

    @Test func jsonStringBytesMatchJSONStringForEveryEscapeCase() {
        for s in Self.tricky {
            #expect(Self.bytes { RecordBytes.jsonString(s, to: &$0) } == Array(LegacyJSON.string(s).utf8), "\(s.debugDescription)")
        }
        #expect(Self.bytes { RecordBytes.jsonString(nil, to: &$0) } == Array("null".utf8))
    }

    @Test func jsonStringBytesEscapeControlCharactersAsLowerCaseUnicodeEscapes() {
        #expect(String(decoding: Self.bytes { RecordBytes.jsonString("\u{1B}\u{7F}\u{C}\u{2028}", to: &$0) }, as: UTF8.self)
                == #""\u001b\u007f\u000c\u2028""#)
    }

    @Test func jsonStringBytesWorkOnBridgedAndSubstringBackedStrings() {
        let bridged = NSString(string: "é \"x\" \u{2029}") as String
        let sliced = String("prefix é\u{2028}\"tail".dropFirst(7))
        for s in [bridged, sliced] {
            #expect(Self.bytes { RecordBytes.jsonString(s, to: &$0) } == Array(LegacyJSON.string(s).utf8))
        }
    }

    @Test func wordScanFlagsEveryByteThatMayNeedEscapingAtEveryPosition() {
        let special: [UInt8] = Array(0..<0x20) + [0x22, 0x5C, 0x7F, 0xE2]
        let clean: [UInt8] = [0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7E, 0x80, 0xC3, 0xE1, 0xE3, 0xFF, 0x41]
        var state: UInt64 = 12345
        for _ in 0..<20_000 {
            var bytes = [UInt8](repeating: 0, count: 8)
            for i in 0..<8 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let r = Int(state >> 33)
                bytes[i] = r % 5 == 0 ? special[r / 5 % special.count] : (r % 5 == 1 ? UInt8(r / 5 % 256) : clean[r / 5 % clean.count])
            }
            let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            if bytes.contains(where: { special.contains($0) }) { #expect(RecordBytes.mayNeedEscape(word), "\(bytes)") }
            if bytes.allSatisfy({ clean.contains($0) }) { #expect(!RecordBytes.mayNeedEscape(word), "\(bytes)") }
        }
    }

    @Test func numberBytesMatchJSONIntAndDouble() {
        for n in [0, 1, 9, 10, 99, 100, 12345, -1, -10, -987654321, Int.max, Int.min] {
            #expect(Self.bytes { RecordBytes.jsonInt(n, to: &$0) } == Array(LegacyJSON.int(n).utf8))
        }
        #expect(Self.bytes { RecordBytes.jsonInt(nil, to: &$0) } == Array("null".utf8))
        let doubles: [Double?] = [nil, 0, -0.0, 1, -3, 0.5, 0.1 + 0.2, 1e15, 1e15 - 1, -1e15, 1e16, 123456789.125,
                                  .nan, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        for d in doubles {
            #expect(Self.bytes { RecordBytes.jsonDouble(d, to: &$0) } == Array(LegacyJSON.double(d).utf8), "\(String(describing: d))")
        }
    }

    @Test func csvTextBytesMatchCSVTextIncludingFormulaGuardAndQuoting() {
        for s in Self.tricky {
            #expect(Self.bytes { RecordBytes.csvText(s, to: &$0) } == Array(CSV.text(s).utf8), "\(s.debugDescription)")
        }
    }

    /// Hits with every optional field present and absent, tricky texts, 0-3 context messages.
    static func items() -> [MessageHits] {
        var items: [MessageHits] = []
        for (i, text) in tricky.prefix(120).enumerated() {
            let body = "hit here " + text
            var chat: [Message] = []
            for j in 0..<7 {
                var m = Fixture.message("/e/\(i % 3).txt", i % 4 == 0 ? nil : "Chat \"\(i % 3)\"",
                                        i % 5 == 0 ? nil : tricky[(i + j) % tricky.count], j, j == 3 ? body : tricky[(i * 7 + j) % tricky.count])
                if i % 6 == 0 { m.timestamp = nil }
                if i % 7 == 0 { m.line = nil }
                chat.append(m)
            }
            let m = chat[3]
            var h = Fixture.hit(m, "rule.\(i % 4)", i % 2 == 0 ? "insult" : "threat\u{2028}", Severity.allCases[i % 5], "hit")
            if i % 3 == 0 { h.byteStart = nil; h.byteEnd = nil }
            if i % 4 == 1 { h.subcategory = "sub,\"cat\"" }
            if i % 5 == 2 { h.pattern = nil }
            h.score = [nil, 1.0, 0.25, Double.nan, 3e20][i % 5]
            h.normalised = [[], ["one"], ["a,b", "c\"d", text]][i % 3]
            h.match = i % 9 == 0 ? "=" + text : h.match
            h.timestamp = m.timestamp
            items.append(MessageHits(message: m, hits: [h, h], before: Array(chat[(i % 4)..<3]), after: Array(chat[4..<(4 + i % 4)])))
        }
        return items
    }

    @Test(arguments: [0, 1, 2, 3])
    func jsonLinesAndCSVRowsMatchTheStringRenderers(context: Int) {
        for item in Self.items() {
            for h in item.hits {
                #expect(HitRecords.jsonLine(h, in: item, context: context) == LegacyRecords.jsonLine(h, in: item, context: context))
                #expect(Self.bytes { HitRecords.appendJSONLine(h, in: item, context: context, to: &$0) }
                        == Array(LegacyRecords.jsonLine(h, in: item, context: context).utf8))
                #expect(Self.bytes { HitRecords.appendCSVRow(h, in: item, context: context, to: &$0) }
                        == Array(LegacyRecords.csvRow(h, in: item, context: context).utf8))
            }
        }
    }

    @Test func jsonLinesStayValidJSONWithTrickyFields() throws {
        for item in Self.items() {
            let line = HitRecords.jsonLine(item.hits[0], in: item, context: 2)
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(o["text"] as? String == item.message.text)
        }
    }

    @Test func atomicOutputHashesBufferedBytesOncePerFlushAndStillDigestsEveryByte() throws {
        let dir = try Fixture.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("big.jsonl").path
        let out = try AtomicOutput(path: path)
        let record = Array("{\"text\":\"some record with é and 😂\"}\n".utf8)
        var early = ""
        for i in 0..<60_000 {   // about 2.6 MB: several flushes
            try out.append { $0.append(contentsOf: record) }
            if i % 997 == 0 { try out.write("string \(i)\n") }
            if i % 5003 == 0 { try out.write(Data([0xEF, 0xBB, 0xBF])) }
            if i == 30_000 { early = out.sha256 ?? "" }
        }
        let digest = out.sha256
        let count = out.bytesWritten
        try out.commit()
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(data.count == count)
        #expect(digest == sha256Hex(data))
        #expect(!early.isEmpty && early != digest)
    }
}
