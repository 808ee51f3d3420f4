import ChatModel
import Foundation
import Testing
@testable import Reports

@Suite struct HitRecordTests {
    @Test func jsonlHasOneHitPerLineWithKeysInTheDocumentedOrder() throws {
        let dir = try Fixture.tempDir()
        let path = dir.appendingPathComponent("hits.jsonl")
        try Fixture.write { $0.jsonl = path.path }
        let lines = try Fixture.read(path).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 6 && lines.last == "")   // 5 hits + final newline
        for line in lines.dropLast() {
            let keys = try orderedKeys(String(line))
            #expect(keys == HitRecords.jsonlKeys)
        }
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        #expect(first["sender"] as? String == "Bob")
        #expect(first["match"] as? String == "idiot")
        #expect(first["text_start"] as? Int == 8 && first["text_end"] as? Int == 13)
        #expect(first["byte_start"] as? Int == 100 + 30 + 8)
        #expect(first["severity"] as? String == "medium")
    }

    @Test func jsonlContextListsNeighboursWithOffsetsWhenAsked() throws {
        let dir = try Fixture.tempDir()
        let path = dir.appendingPathComponent("hits.jsonl")
        try Fixture.write { $0.jsonl = path.path; $0.context = 2 }
        let line = try Fixture.read(path).split(separator: "\n")[2]   // threat.hurt, message 3
        #expect(try orderedKeys(String(line)).last == "context")
        let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
        let ctx = o["context"] as! [[String: Any]]
        #expect(ctx.map { $0["offset"] as! Int } == [-2, -1, 1, 2])
        #expect(ctx.map { $0["text"] as! String } == ["what an idiot, total moron", "Carol joined", "lmao 😂", "no that's not ok"])
        #expect(ctx[1]["sender"] is NSNull)
    }

    @Test func jsonlIsByteIdenticalAcrossRunsAndEscapesControlCharacters() throws {
        let dir = try Fixture.tempDir()
        var items = Fixture.items
        items[0].message.text += "\u{1}\t\"\\\u{2028}"
        let a = dir.appendingPathComponent("a.jsonl"), b = dir.appendingPathComponent("b.jsonl")
        try Fixture.write({ $0.jsonl = a.path; $0.context = 3 }, items: items)
        try Fixture.write({ $0.jsonl = b.path; $0.context = 3; $0.html = dir.appendingPathComponent("r.html").path }, items: items)
        let da = try Data(contentsOf: a), db = try Data(contentsOf: b)
        #expect(da == db)
        let text = String(decoding: da, as: UTF8.self)
        #expect(text.contains(#"\u0001\t\"\\\u2028"#))
        #expect(!text.contains("\u{1}"))
    }

    @Test func csvIsExcelFriendlyWithBOMHeaderAndCRLF() throws {
        let dir = try Fixture.tempDir()
        let path = dir.appendingPathComponent("hits.csv")
        try Fixture.write { $0.csv = path.path }
        let data = try Data(contentsOf: path)
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        let rows = text.components(separatedBy: "\r\n")
        #expect(rows[0] == HitRecords.csvHeader(context: 0).joined(separator: ","))
        #expect(rows.count == 7 && rows.last == "")
        #expect(rows[1].hasPrefix("/evidence/unit-a.txt,Unit A,Bob,2019-01-05T10:01:00,2,1,insult.idiot,insult,,medium,idiot,"))
        #expect(rows[1].hasSuffix(",\"what an idiot, total moron\""))   // comma forces quotes
    }

    @Test func csvQuotesPerRFC4180() {
        #expect(CSV.text("plain") == "plain")
        #expect(CSV.text("a,b") == "\"a,b\"")
        #expect(CSV.text("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSV.text("two\nlines") == "\"two\nlines\"")
        #expect(CSV.text("crlf\r\nend") == "\"crlf\r\nend\"")
    }

    @Test(arguments: ["=HYPERLINK(\"http://x\")", "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx"])
    func csvGuardsCellsThatSpreadsheetsWouldRunAsFormulas(_ cell: String) {
        let out = CSV.text(cell)
        let unquoted = out.hasPrefix("\"") ? String(out.dropFirst()) : out
        #expect(unquoted.hasPrefix("'"))
    }

    @Test func csvInjectionGuardAppliesToMessageTextsAndSenderNames() throws {
        let dir = try Fixture.tempDir()
        var items = Fixture.items
        items[1].message.sender = "=cmd|' /C calc'!A0"
        items[1].message.text = "-I will hurt you tonight"
        items[1].hits[0].textStart += 1; items[1].hits[0].textEnd += 1
        let path = dir.appendingPathComponent("hits.csv")
        try Fixture.write({ $0.csv = path.path }, items: items)
        let text = try Fixture.read(path)
        #expect(text.contains(",'=cmd|' /C calc'!A0,"))
        #expect(text.contains(",'-I will hurt you tonight"))
        #expect(!text.contains(",=cmd"))
    }

    @Test func csvCarriesContextColumnsWhenAsked() throws {
        let dir = try Fixture.tempDir()
        let path = dir.appendingPathComponent("hits.csv")
        try Fixture.write { $0.csv = path.path; $0.context = 1 }
        let rows = try Fixture.read(path).components(separatedBy: "\r\n")
        #expect(rows[0].hasSuffix(",text,context_before,context_after"))
        #expect(rows[3].hasSuffix(",(system) [2019-01-05T10:02:00]: Carol joined,Carol [2019-01-05T10:04:00]: lmao 😂"))
    }

    /// Keys of a flat-or-nested JSON object line in the order they appear at top level.
    func orderedKeys(_ line: String) throws -> [String] {
        var keys: [String] = []
        var depth = 0, inString = false, escaped = false, current = "", expectingKey = false
        for ch in line {
            if inString {
                if escaped { escaped = false; current.append(ch); continue }
                if ch == "\\" { escaped = true; current.append(ch); continue }
                if ch == "\"" { inString = false; if expectingKey { keys.append(current); expectingKey = false }; continue }
                current.append(ch)
                continue
            }
            switch ch {
            case "{", "[": depth += 1; if depth == 1 { expectingKey = true }
            case "}", "]": depth -= 1
            case ",": if depth == 1 { expectingKey = true }
            case ":": if depth == 1 { expectingKey = false }
            case "\"": inString = true; current = ""
            default: break
            }
        }
        return keys
    }
}
