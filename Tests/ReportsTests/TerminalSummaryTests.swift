import ChatModel
import Foundation
import Testing
@testable import Reports

@Suite struct TerminalSummaryTests {
    let s = Aggregator.summarise(Fixture.items, totals: Fixture.totals, rules: Fixture.run.rules,
                                 endorsements: Fixture.items.flatMap { EndorsementDetector.detect(in: $0) })

    @Test func plainSummaryHasNoEscapeCodesAndListsSendersChatsAndRules() {
        let text = TerminalSummary.render(s, colour: false)
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("Per sender"))
        #expect(text.contains("Per chat"))
        #expect(text.contains("Top rules"))
        #expect(text.contains("Endorsements"))
        let bob = text.split(separator: "\n").first { $0.hasPrefix("  Bob ") }!
        #expect(bob.contains("66.7%"))
        #expect(text.contains("5 hit(s) in 4 message(s)"))
    }

    @Test("fixed-point text agrees with printf except where the scaled value is a tie only after rounding")
    func fixedDecimalsAgreeWithPrintf() {
        #expect(DecimalText.fixed(66.66666, digits: 1) == "66.7")
        #expect(DecimalText.fixed(0, digits: 2) == "0.00")
        #expect(DecimalText.fixed(0.004, digits: 2) == "0.00")
        #expect(DecimalText.fixed(-0.004, digits: 2) == "0.00")
        #expect(DecimalText.fixed(-1.25, digits: 1) == "-1.2")
        #expect(DecimalText.fixed(1234567.5, digits: 0) == "1234568")
        #expect(DecimalText.fixed(0.05, digits: 3) == "0.050")
        #expect(DecimalText.fixed(.nan, digits: 1) == "nan" && DecimalText.fixed(-.infinity, digits: 1) == "-inf")
        var rng = SystemRandomNumberGenerator()
        var differing = 0
        for _ in 0..<20_000 {
            let digits = Int.random(in: 0...3, using: &rng)
            let x = Double.random(in: -5_000...5_000, using: &rng) / Double([1, 10, 1000][Int.random(in: 0...2, using: &rng)])
            let printf = String(format: "%.\(digits)f", x)
            let ours = DecimalText.fixed(x, digits: digits)
            guard ours != printf else { continue }
            // Only a value within floating-point rounding of a tie may come out one unit apart (and "-0.0" for tiny
            // negatives, which printf writes with its sign).
            var scale = 1.0
            for _ in 0..<digits { scale *= 10 }
            let scaled = x.magnitude * scale
            let nearTie = abs(scaled - scaled.rounded(.down) - 0.5) < 1e-9 * max(1, scaled)
            #expect(nearTie || printf == "-" + ours, "\(x) digits \(digits): \(ours) vs \(printf)")
            differing += 1
        }
        #expect(differing < 200)
    }

    @Test func tableLinesCarryNoTrailingPadding() {
        let text = TerminalSummary.render(s, colour: false)
        for line in text.split(separator: "\n") { #expect(line.last.map { !$0.isWhitespace } ?? true, "\(line)") }
        #expect(TerminalSummary.trimmingTrailingWhitespace("  a b \t\u{A0}\u{3000}") == "  a b")
        #expect(TerminalSummary.trimmingTrailingWhitespace("   ") == "")
        #expect(TerminalSummary.trimmingTrailingWhitespace("e\u{301} ") == "e\u{301}")
    }

    @Test func printableASCIIShortcutGivesTheWidthAndTextOfTheCharacterWalk() {
        func walkedWidth(_ t: String) -> Int {
            t.reduce(0) { acc, ch in
                guard let f = ch.unicodeScalars.first else { return acc }
                let wide = f.properties.isEmojiPresentation || (0x1100...0x115F).contains(f.value)
                    || (0x2E80...0xA4CF).contains(f.value) || (0xAC00...0xD7A3).contains(f.value)
                    || (0xF900...0xFAFF).contains(f.value) || (0xFF00...0xFF60).contains(f.value)
                return acc + (wide ? 2 : 1)
            }
        }
        let printable = String(decoding: (0x20..<0x7F).map { UInt8($0) }, as: UTF8.self)
        let samples = [printable, "Dave Mitchell", "12.5%", "", "a\r\nb", "tab\there", "\u{1B}[31m", "Kev 🍺", "Chloë", "中文",
                       "e\u{301}", "del\u{7F}"]
        for t in samples {
            #expect(TerminalSummary.displayWidth(t) == walkedWidth(t), "\(t.debugDescription)")
            #expect(TerminalSummary.isPrintableASCII(t) == t.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F })
        }
        #expect(TerminalSummary.displayWidth("a\r\nb") == 3)   // CR LF is one character
        #expect(TerminalSummary.sanitise(printable) == printable)
        #expect(TerminalSummary.sanitise("a\u{1B}b\nc") == "a\u{FFFD}b c")
    }

    @Test func colourSummaryUsesANSIForSeverities() {
        let text = TerminalSummary.render(s, colour: true)
        #expect(text.contains("\u{1B}[1;31m"))
        #expect(text.contains("\u{1B}[0m"))
    }

    @Test func controlCharactersInNamesCannotDriveTheTerminal() {
        var items = Fixture.items
        items[0].message.sender = "Eve\u{1B}[2J\u{1B}]0;pwned\u{7}\u{202E}evE"
        let t = Aggregator.summarise(items, totals: Fixture.totals)
        let text = TerminalSummary.render(t, colour: false)
        #expect(!text.contains("\u{1B}"))
        #expect(!text.contains("\u{202E}"))
    }


    @Test func writerSendsTheSummaryToItsTerminalOutput() throws {
        var captured = ""
        var o = ReportOptions(colour: false, run: Fixture.run)
        o.printSummary = true
        let w = try ReportWriter(options: o)
        w.terminalOutput = { captured += $0 }
        for i in Fixture.items { try w.consume(i) }
        try w.finish(totals: Fixture.totals)
        #expect(captured.contains("Per sender"))
    }
}

@Suite struct ColourDecisionTests {
    @Test func colourOnATerminalUnlessNO_COLORorDumbTerminal() {
        #expect(TerminalSummary.colour(isTerminal: true, environment: ["TERM": "xterm"]))
        #expect(TerminalSummary.colour(isTerminal: true, environment: ["NO_COLOR": ""]))
        #expect(!TerminalSummary.colour(isTerminal: true, environment: ["TERM": "xterm", "NO_COLOR": "1"]))
        #expect(!TerminalSummary.colour(isTerminal: true, environment: ["TERM": "dumb"]))
        #expect(!TerminalSummary.colour(isTerminal: false, environment: ["TERM": "xterm"]))
    }

    @Test func noColourWhenPiped() {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        #expect(!TerminalSummary.shouldColour(fd: fds[1], environment: ["TERM": "xterm"]))
    }
}

@Suite struct OutputPathTests {
    @Test func theSameFileForTwoOutputsIsRefused() {
        #expect(throws: ReportError.self) {
            try ReportWriter(options: ReportOptions(csv: "/tmp/x/out.txt", html: "/tmp/x/../x/out.txt", printSummary: false, run: Fixture.run))
        }
    }
}
