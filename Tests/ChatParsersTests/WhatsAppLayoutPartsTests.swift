import Foundation
import Testing
import ChatModel
@testable import ChatParsers

/// The layout pass read in parts at once must decide exactly what one pass decides.
@Suite struct WhatsAppLayoutPartsTests {
    /// Every field of a layout, for comparison.
    static func fields(_ l: WhatsAppLayout) -> String {
        "\(String(describing: l.template)) \(l.templateDescription) dayFirst=\(l.dayFirst) \(l.dateOrder) "
            + "ambiguous=\(l.dateOrderAmbiguous) \(l.dateOrderEvidence) \(l.warnings) headers=\(l.headerLines) "
            + "other=\(l.otherTemplateLines) crOnly=\(l.crOnly) bom=\(l.bomLength)"
    }

    static func layouts(_ data: Data, parts: Int, minimumPart: Int) -> (one: String, split: String) {
        data.withUnsafeBytes { buf in
            (fields(WhatsAppParser.analyse(buf, options: ParseOptions())),
             fields(WhatsAppParser.analyse(buf, options: ParseOptions(), parts: parts, minimumPart: minimumPart)))
        }
    }

    /// The samples with every line ending, and a BOM.
    static func variants() throws -> [(String, Data)] {
        var out: [(String, Data)] = []
        for name in WA.sampleNames {
            let text = String(decoding: try WA.sample(name), as: UTF8.self)
            let lf = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            out.append((name, Data(text.utf8)))
            out.append((name + " CRLF", Data(lf.replacingOccurrences(of: "\n", with: "\r\n").utf8)))
            out.append((name + " CR", Data(lf.replacingOccurrences(of: "\n", with: "\r").utf8)))
            out.append((name + " BOM", Data("\u{FEFF}".utf8) + Data(lf.utf8)))
        }
        return out
    }

    @Test func layoutReadInPartsEqualsOnePassOnEverySampleAndEverySplit() throws {
        for (name, data) in try Self.variants() {
            // Parts from two to eight, as small as one byte: the edges fall between every pair of lines.
            for parts in 2...8 {
                for minimumPart in [1, 7, 64] {
                    let (one, split) = Self.layouts(data, parts: parts, minimumPart: minimumPart)
                    #expect(one == split, "\(name), \(parts) parts of at least \(minimumPart) bytes")
                }
            }
        }
    }

    /// Every count of a tally, for comparison.
    static func evidence(_ t: WATemplateTally) -> [String] {
        t.slots.map { e in
            "\(e.signature) n=\(e.count) max=\(e.maxA),\(e.maxB) prev=\(e.prevA),\(e.prevB),\(e.prevY) "
                + "wrap=\(e.wrapDayFirst),\(e.wrapMonthFirst) changes=\(e.changesA),\(e.changesB) "
                + "first=\(e.first.map { "\($0.a),\($0.b),\($0.y)" } ?? "-")"
        } + ["overflow=\(t.overflow)"]
    }

    @Test func tallyJoinedFromPartsEqualsOnePassWithAnEdgeBetweenEveryPairOfLines() throws {
        for (name, data) in try Self.variants() {
            data.withUnsafeBytes { buf in
                let p = buf.baseAddress!.assumingMemoryBound(to: UInt8.self)
                let term: UInt8 = buf.contains(0x0A) ? 0x0A : 0x0D
                let start = buf.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
                var starts = [start]
                for i in start..<buf.count where buf[i] == term && i + 1 < buf.count { starts.append(i + 1) }
                let one = Self.evidence(WhatsAppParser.templateTally(p, cuts: [start, buf.count], terminator: term))
                // Every line its own part, then every second and third line start.
                for step in 1...3 {
                    let cuts = stride(from: 0, to: starts.count, by: step).map { starts[$0] } + [buf.count]
                    let split = Self.evidence(WhatsAppParser.templateTally(p, cuts: cuts, terminator: term))
                    #expect(one == split, "\(name), a part every \(step) lines")
                }
            }
        }
    }

    @Test func dateOrderDecidedByWrapAroundAcrossPartEdgesEqualsOnePass() {
        // Every day and month at most 12: only the wrap-around (day resets as the month goes up) decides, and
        // most of its evidence sits between lines that land in different parts.
        for monthFirst in [false, true] {
            var lines: [String] = []
            for month in 1...12 {
                for day in stride(from: 1, through: 12, by: 3) {
                    let (a, b) = monthFirst ? (month, day) : (day, month)
                    lines.append("\(a)/\(b)/21, 10:0\(day % 10) - Ann: message on \(day) \(month)")
                }
            }
            let data = Data(lines.joined(separator: "\n").utf8)
            let one = data.withUnsafeBytes { WhatsAppParser.analyse($0, options: ParseOptions()) }
            #expect(one.dateOrderEvidence == "wrap-around")
            #expect(one.dayFirst == !monthFirst)
            for parts in 2...12 {
                let (a, b) = Self.layouts(data, parts: parts, minimumPart: 1)
                #expect(a == b, "\(parts) parts, month first: \(monthFirst)")
            }
        }
    }

    @Test func partWithMoreTemplatesThanATallyKeepsIsReadAgainInOnePass() {
        // Twenty header templates (date separators, brackets, seconds, 12-hour markers) in one short file: a part
        // overflows its tally, and the layout must still be the one-pass layout.
        var lines: [String] = []
        let templates = ["%d/%m/%y, %H:%M - ", "%d.%m.%y, %H:%M - ", "[%d/%m/%y, %H:%M:%S] ", "%d-%m-%y %H:%M - ",
                         "[%d.%m.%y, %H:%M:%S] ", "%m/%d/%y, %H:%M - ", "%d/%m/%Y, %H:%M - ", "%d.%m.%Y, %H:%M - ",
                         "[%d/%m/%Y, %H:%M:%S] ", "%Y-%m-%d, %H:%M - ", "[%d/%m/%y %H:%M:%S] ", "%d/%m/%y %H:%M - ",
                         "[%d.%m.%Y %H:%M:%S] ", "%d.%m.%y %H:%M - ", "%d-%m-%Y, %H:%M - ", "[%Y-%m-%d %H:%M:%S] ",
                         "%d/%m/%Y %H:%M - ", "[%d-%m-%y, %H:%M:%S] ", "%d. %m. %y, %H:%M - ", "%d/%m/%y, %H.%M - "]
        for (k, t) in templates.enumerated() {
            for r in 0..<(k % 3 + 1) {
                let header = t.replacingOccurrences(of: "%d", with: "\(10 + r)").replacingOccurrences(of: "%m", with: "0\(1 + k % 9)")
                    .replacingOccurrences(of: "%y", with: "21").replacingOccurrences(of: "%Y", with: "2021")
                    .replacingOccurrences(of: "%H", with: "09").replacingOccurrences(of: "%M", with: "1\(r)")
                    .replacingOccurrences(of: "%S", with: "05")
                lines.append(header + "Bob: line \(k) \(r)")
            }
        }
        // Then one template only, so that the first of two parts holds every template.
        for r in 0..<120 { lines.append("11/01/21, 10:\(10 + r % 50) - Ann: more \(r)") }
        let data = Data(lines.joined(separator: "\n").utf8)
        let one = data.withUnsafeBytes { WhatsAppParser.analyse($0, options: ParseOptions()) }
        #expect(one.otherTemplateLines > 0)
        data.withUnsafeBytes { buf in
            let p = buf.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let cuts = WhatsAppParser.partCuts(p, from: 0, count: buf.count, terminator: 0x0A, parts: 2, minimumPart: 1)
            #expect(cuts.count == 3)
            #expect(WhatsAppParser.partTally(p, start: cuts[0], end: cuts[1], terminator: 0x0A).overflow > 0,
                    "the first part overflows its tally, so the layout falls back to one pass")
        }
        for parts in 2...4 {
            let (a, b) = Self.layouts(data, parts: parts, minimumPart: 1)
            #expect(a == b, "\(parts) parts")
        }
    }
}
