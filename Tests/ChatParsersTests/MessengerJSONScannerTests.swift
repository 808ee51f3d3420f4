import ChatModel
@testable import ChatParsers
import Foundation
import Testing

@Suite struct MessengerJSONScannerTests {
    func withScanner<T>(_ text: String, _ body: (JSONScanner) throws -> T) rethrows -> T {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBytes { try body(JSONScanner($0)) }
    }

    @Test func elementsRespectStringsWithBracketsQuotesAndBackslashes() throws {
        let json = #"{"messages": [{"a": "]}\"{["}, {"b": "\\"}, 3, "x,y"], "z": null}"#
        try withScanner(json) { s in
            let top = try s.members(ofObjectAt: 0)
            #expect(top.count == 2)
            let arr = try #require(s.value(of: "messages", in: top))
            let elements = try s.elements(ofArrayAt: arr.lowerBound)
            let texts = elements.map { r in String(decoding: Array(json.utf8)[r], as: UTF8.self) }
            #expect(texts == [#"{"a": "]}\"{["}"#, #"{"b": "\\"}"#, "3", #""x,y""#])
        }
    }

    @Test func truncatedDocumentsReportWhereTheOpenValueStarted() {
        withScanner("{\n  \"messages\": [\n    {\"a\": 1},\n    {\"b\": \"unterminated") { s in
            #expect(throws: JSONScanError.self) { try s.validateTopLevel() }
            do { _ = try s.validateTopLevel() } catch let e as JSONScanError {
                #expect(e.reason.contains("unterminated string"))
                #expect(e.offset == 42)   // the opening quote
            } catch {}
        }
        withScanner("{\"messages\": [{\"a\": 1}") { s in
            do { _ = try s.validateTopLevel() } catch let e as JSONScanError {
                #expect(e.reason.contains("never closed"))
                #expect(e.offset == 13)
            } catch {}
        }
        withScanner("{\"a\": 1} trailing") { s in
            #expect(throws: JSONScanError.self) { try s.validateTopLevel() }
        }
    }

    @Test func escapesMapToTheirEscapeSequences() throws {
        let json = #""a\nb \"q\" \u00e9 \ud83d\ude00 😀""#
        try withScanner(json) { s in
            let (t, outcome) = try s.mappedText(0..<json.utf8.count, repairMojibake: false)
            #expect(outcome == .unchanged)
            #expect(t.string == "a\nb \"q\" é 😀 😀")
            #expect(t.table.count == t.bytes.count + 1)
            let file = Array(json.utf8)
            func slice(_ r: Range<Int>) -> String {
                String(decoding: file[t.table[r.lowerBound]..<t.table[r.upperBound]], as: UTF8.self)
            }
            #expect(slice(1..<2) == #"\n"#)
            #expect(slice(4..<7) == #"\"q\""#)
            #expect(slice(8..<10) == #"\u00e9"#)               // é is two text bytes from one escape
            #expect(slice(11..<15) == #"\ud83d\ude00"#)        // surrogate pair: four bytes from one escape pair
            #expect(slice(16..<20) == "😀")                     // raw emoji maps byte for byte
            #expect(t.table.last == json.utf8.count - 1)       // closing quote
        }
    }

    @Test func mojibakeRepairMapsEachRepairedByteToOneEscape() throws {
        let json = #""Gr\u00c3\u00bc\u00c3\u009fe \u00f0\u009f\u0091\u008b!""#
        try withScanner(json) { s in
            let (t, outcome) = try s.mappedText(0..<json.utf8.count, repairMojibake: true)
            #expect(outcome == .fixed)
            #expect(t.string == "Grüße 👋!")
            #expect(t.table.count == t.bytes.count + 1)
            #expect(t.table[2] == 3)            // ü first byte -> \u00c3 at offset 3
            #expect(t.table[3] == 9)            // ü second byte -> \u00bc
            #expect(t.table[9] - t.table[8] == 6)
        }
        let notMojibake = #""\u201chi\u201d é""#
        try withScanner(notMojibake) { s in
            let (t, outcome) = try s.mappedText(0..<notMojibake.utf8.count, repairMojibake: true)
            #expect(outcome == .notFixable)
            #expect(t.string == "\u{201C}hi\u{201D} é")
        }
        let lone = #""caf\u00e9""#   // Latin-1 é alone is not UTF-8 after the repair
        try withScanner(lone) { s in
            let outcome = try s.mappedText(0..<lone.utf8.count, repairMojibake: true).1
            #expect(outcome == .notFixable)
        }
    }

    @Test func mojibakeRepairOnPlainStringsIsGuarded() {
        #expect(Mojibake.repaired("J\u{00C3}\u{00B6}rg") == "Jörg")
        #expect(Mojibake.repaired("plain ascii") == "plain ascii")
        #expect(Mojibake.repaired("already “fine”") == nil)
        #expect(Mojibake.repaired("\u{00F0}\u{009F}\u{0098}\u{00A2}") == "😢")
    }

    @Test func utf8ValidatorRejectsOverlongsSurrogatesAndTruncation() {
        func bad(_ b: [UInt8]) -> Int? { b.withUnsafeBytes { Mojibake.firstInvalidUTF8Offset($0) } }
        #expect(bad(Array("ok äöü 😀 plain ascii text longer than eight".utf8)) == nil)
        #expect(bad([0x41, 0xC0, 0xAF]) == 1)          // overlong '/'
        #expect(bad([0x41, 0x42, 0xED, 0xA0, 0x80]) == 2) // surrogate
        #expect(bad([0xF0, 0x9F, 0x98]) == 0)          // cut emoji
        #expect(bad([0xF4, 0x90, 0x80, 0x80]) == 0)    // above U+10FFFF
    }

    @Test func utcTimesFromEpochValues() {
        #expect(UTCTime.iso(milliseconds: 1_668_628_203_612) == "2022-11-16T19:50:03.612Z")
        #expect(UTCTime.iso(milliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(UTCTime.iso(milliseconds: -1) == "1969-12-31T23:59:59.999Z")
        #expect(UTCTime.iso(seconds: 951_782_400) == "2000-02-29T00:00:00Z")
        #expect(UTCTime.iso(seconds: 1_605_185_650) == "2020-11-12T12:54:10Z")
    }
}
