import Foundation
import Testing
import ChatModel
import ChatParsers

/// One header variant of the catalogue (chat-export-formats.md 1.2, rows 1-30 and the issue-only forms), as a
/// small multi-message chat with the timestamps and senders it must give.
struct HeaderVariant: CustomTestStringConvertible, Sendable {
    var row: String
    var lines: [String]
    var senders: [String]
    var timestamps: [String]
    var testDescription: String { row }
}

let headerVariants: [HeaderVariant] = [
    HeaderVariant(row: "1 D/M/YY, 24h, hyphen",
                  lines: ["01/01/19, 11:25 - John Doe: Happy new year", "01/01/19, 11:26 - Jane Roe: Same to you",
                          "13/01/19, 08:00 - John Doe: back at work"],
                  senders: ["John Doe", "Jane Roe", "John Doe"],
                  timestamps: ["2019-01-01T11:25:00", "2019-01-01T11:26:00", "2019-01-13T08:00:00"]),
    HeaderVariant(row: "2 M/D/YY without zero padding",
                  lines: ["1/17/20, 20:49 - Ann: a", "1/17/20, 20:50 - Bo: b", "2/1/20, 9:05 - Ann: c"],
                  senders: ["Ann", "Bo", "Ann"],
                  timestamps: ["2020-01-17T20:49:00", "2020-01-17T20:50:00", "2020-02-01T09:05:00"]),
    HeaderVariant(row: "3 Y/M/D",
                  lines: ["2019/01/01, 11:25 - Ann: a", "2019/01/02, 11:26 - Bo: b", "2019/02/13, 07:00 - Ann: c"],
                  senders: ["Ann", "Bo", "Ann"],
                  timestamps: ["2019-01-01T11:25:00", "2019-01-02T11:26:00", "2019-02-13T07:00:00"]),
    HeaderVariant(row: "4 dot after the time",
                  lines: ["2022/12/14, 13:34. - Ann: a", "2022/12/14, 13:35. - Bo: b", "2022/12/15, 09:00. - Ann: c"],
                  senders: ["Ann", "Bo", "Ann"],
                  timestamps: ["2022-12-14T13:34:00", "2022-12-14T13:35:00", "2022-12-15T09:00:00"]),
    HeaderVariant(row: "5 Spanish a. m. / p. m., 00:08 a. m.",
                  lines: ["01/01/2019, 11:25 a. m. - Ann: a", "01/01/2019, 08:49 p. m. - Bo: b",
                          "01/02/2019, 00:08 a. m. - Ann: c", "01/13/2019, 12:00 p. m. - Bo: d"],
                  senders: ["Ann", "Bo", "Ann", "Bo"],
                  timestamps: ["2019-01-01T11:25:00", "2019-01-01T20:49:00", "2019-01-02T00:08:00", "2019-01-13T12:00:00"]),
    HeaderVariant(row: "6 no comma, p.m. and p. m.",
                  lines: ["9/24/2019 11:30 p.m. - Ann: a", "11/27/2019 9:30 p. m. - Bo: b"],
                  senders: ["Ann", "Bo"], timestamps: ["2019-09-24T23:30:00", "2019-11-27T21:30:00"]),
    HeaderVariant(row: "7 NBSP inside p. m.",
                  lines: ["09/10/22, 10:37 p.\u{A0}m. - Ann: a", "15/10/22, 10:37 a.\u{A0}m. - Bo: b"],
                  senders: ["Ann", "Bo"], timestamps: ["2022-10-09T22:37:00", "2022-10-15T10:37:00"]),
    HeaderVariant(row: "8 narrow NBSP before PM",
                  lines: ["3/6/18, 1:55\u{202F}PM - Ann: a", "3/16/18, 1:56\u{202F}AM - Bo: b"],
                  senders: ["Ann", "Bo"], timestamps: ["2018-03-06T13:55:00", "2018-03-16T01:56:00"]),
    HeaderVariant(row: "9 12 PM and 12 AM",
                  lines: ["1/29/18, 12:24 PM - Ann: a", "1/29/18, 12:24 AM - Bo: b"],
                  senders: ["Ann", "Bo"], timestamps: ["2018-01-29T12:24:00", "2018-01-29T00:24:00"]),
    HeaderVariant(row: "10 German Android D.M.YY",
                  lines: ["29.01.18, 12:24 - Ann: a", "29.01.18, 12:25 - Bo: b"],
                  senders: ["Ann", "Bo"], timestamps: ["2018-01-29T12:24:00", "2018-01-29T12:25:00"]),
    HeaderVariant(row: "11 D.M.YYYY",
                  lines: ["15.04.2016, 15:04 - Ann: a", "16.04.2016, 09:00 - Bo: b"],
                  senders: ["Ann", "Bo"], timestamps: ["2016-04-15T15:04:00", "2016-04-16T09:00:00"]),
    HeaderVariant(row: "12 Y-M-D",
                  lines: ["2019-10-20, 10:16 - Ann: a", "2019-10-21, 10:17 - Bo: b"],
                  senders: ["Ann", "Bo"], timestamps: ["2019-10-20T10:16:00", "2019-10-21T10:17:00"]),
    HeaderVariant(row: "13 dashes and dotted time with PM",
                  lines: ["03-06-2018, 01.55 PM - Ann: a", "13-06-2018, 11.05 AM - Bo: b"],
                  senders: ["Ann", "Bo"], timestamps: ["2018-06-03T13:55:00", "2018-06-13T11:05:00"]),
    HeaderVariant(row: "14 Finnish klo, dotted time with seconds",
                  lines: ["13.6.2018 klo 21.25.15 - Aino: Moi", "14.6.2018 klo 08.00.00 - Eino: Hei"],
                  senders: ["Aino", "Eino"], timestamps: ["2018-06-13T21:25:15", "2018-06-14T08:00:00"]),
    HeaderVariant(row: "15 spaces after dots, trailing dot, no separator",
                  lines: ["13. 6. 2018. 21:25:15 a: m", "14. 6. 2018. 08:00:00 b: n"],
                  senders: ["a", "b"], timestamps: ["2018-06-13T21:25:15", "2018-06-14T08:00:00"]),
    HeaderVariant(row: "16 colon separator",
                  lines: ["13.06.18 21.25.15: a: m", "14.06.18 08.00.00: b: n"],
                  senders: ["a", "b"], timestamps: ["2018-06-13T21:25:15", "2018-06-14T08:00:00"]),
    HeaderVariant(row: "17 en dash separator, AM and lowercase pm",
                  lines: ["09/17/19, 8:30:52 AM \u{2013} John Doe: a", "09/17/19, 8:31:00 pm \u{2013} Jane: b"],
                  senders: ["John Doe", "Jane"], timestamps: ["2019-09-17T08:30:52", "2019-09-17T20:31:00"]),
    HeaderVariant(row: "18 D/M/YYYY without comma",
                  lines: ["30/12/2020 13:00 - Ann: a", "13/1/2021 09:00 - Bo: b"],
                  senders: ["Ann", "Bo"], timestamps: ["2020-12-30T13:00:00", "2021-01-13T09:00:00"]),
    HeaderVariant(row: "19 brackets with seconds",
                  lines: ["[1/29/18, 12:24:03] Ann: a", "[1/30/18, 08:00:00] Bo: b"],
                  senders: ["Ann", "Bo"], timestamps: ["2018-01-29T12:24:03", "2018-01-30T08:00:00"]),
    HeaderVariant(row: "20 brackets with PM",
                  lines: ["[1/29/18, 12:24:03 PM] Ann: a", "[1/30/18, 8:00:00 AM] Bo: b"],
                  senders: ["Ann", "Bo"], timestamps: ["2018-01-29T12:24:03", "2018-01-30T08:00:00"]),
    HeaderVariant(row: "21 German iOS",
                  lines: ["[29.01.18, 12:24:03] Ann: a", "[30.01.18, 08:00:00] Bo: b"],
                  senders: ["Ann", "Bo"], timestamps: ["2018-01-29T12:24:03", "2018-01-30T08:00:00"]),
    HeaderVariant(row: "22 brackets, no comma, no seconds",
                  lines: ["[01/01/19 11:25] Ann: a", "[01/13/19 11:26] Bo: b"],
                  senders: ["Ann", "Bo"], timestamps: ["2019-01-01T11:25:00", "2019-01-13T11:26:00"]),
    HeaderVariant(row: "23 p.m. with hour above 12 ignores the marker",
                  lines: ["[09/10/22 11:37:00 p.m.] Ann: a", "[13/10/22 13:37:00 p.m.] Bo: b"],
                  senders: ["Ann", "Bo"], timestamps: ["2022-10-09T23:37:00", "2022-10-13T13:37:00"]),
    HeaderVariant(row: "24 dotted, month first",
                  lines: ["[10.21.21, 15:21:45] Ann: a", "[10.22.21, 08:00:00] Bo: b"],
                  senders: ["Ann", "Bo"], timestamps: ["2021-10-21T15:21:45", "2021-10-22T08:00:00"]),
    HeaderVariant(row: "25 D-M-YY in brackets",
                  lines: ["[15-01-20 02:22:56] Ann: a", "[16-01-20 08:00:00] Bo: b"],
                  senders: ["Ann", "Bo"], timestamps: ["2020-01-15T02:22:56", "2020-01-16T08:00:00"]),
    HeaderVariant(row: "26 Y/M/D in brackets",
                  lines: ["[2018/06/13, 21:25:15] Ann: a", "[2018/06/14, 08:00:00] Bo: b"],
                  senders: ["Ann", "Bo"], timestamps: ["2018-06-13T21:25:15", "2018-06-14T08:00:00"]),
    HeaderVariant(row: "27 year in the middle",
                  lines: ["[06/2018/13, 21:25:15] Ann: a", "[06/2018/14, 08:00:00] Bo: b"],
                  senders: ["Ann", "Bo"], timestamps: ["2018-06-13T21:25:15", "2018-06-14T08:00:00"]),
    HeaderVariant(row: "28 LRM before the bracket, p. m.",
                  lines: ["\u{200E}[3/6/18 1:55:00 p. m.] Ann: a", "\u{200E}[3/16/18 9:00:00 a. m.] Bo: b"],
                  senders: ["Ann", "Bo"], timestamps: ["2018-03-06T13:55:00", "2018-03-16T09:00:00"]),
    HeaderVariant(row: "issue: German iOS 2026",
                  lines: ["[07.03.26, 21:22:39] Anna: hallo", "[17.03.26, 08:00:00] Ben: hi"],
                  senders: ["Anna", "Ben"], timestamps: ["2026-03-07T21:22:39", "2026-03-17T08:00:00"]),
    HeaderVariant(row: "issue: Spanish Android p. m. with archivo adjunto",
                  lines: ["28/3/2025, 9:29 p. m. - Ana: IMG-20250328-WA0001.jpg (archivo adjunto)", "28/3/2025, 9:30 p. m. - Leo: ok"],
                  senders: ["Ana", "Leo"], timestamps: ["2025-03-28T21:29:00", "2025-03-28T21:30:00"]),
    HeaderVariant(row: "issue: D/M/YYYY with PM in brackets",
                  lines: ["[14/10/2021, 3:34:09 PM] Wei: a", "[15/10/2021, 9:00:00 AM] Li: b"],
                  senders: ["Wei", "Li"], timestamps: ["2021-10-14T15:34:09", "2021-10-15T09:00:00"]),
    HeaderVariant(row: "issue: Chinese iOS year first without comma",
                  lines: ["[2024/10/31 15:50:46] Wei: a", "[2024/11/01 08:00:00] Li: b"],
                  senders: ["Wei", "Li"], timestamps: ["2024-10-31T15:50:46", "2024-11-01T08:00:00"]),
    HeaderVariant(row: "issue: Indonesian dotted time",
                  lines: ["30/08/25 18.00 - Budi: a", "31/08/25 07.15 - Sari: b"],
                  senders: ["Budi", "Sari"], timestamps: ["2025-08-30T18:00:00", "2025-08-31T07:15:00"]),
    HeaderVariant(row: "issue: a.m. in brackets",
                  lines: ["[31/12/2019, 2:14:40 a.m.] Ann: a", "[31/12/2019, 2:15:00 p.m.] Bo: b"],
                  senders: ["Ann", "Bo"], timestamps: ["2019-12-31T02:14:40", "2019-12-31T14:15:00"]),
    HeaderVariant(row: "issue: legacy 12h colon separator",
                  lines: ["3/24/14, 1:59:59 PM: Sender: Message", "3/25/14, 2:00:00 AM: Other: Reply"],
                  senders: ["Sender", "Other"], timestamps: ["2014-03-24T13:59:59", "2014-03-25T02:00:00"]),
    HeaderVariant(row: "issue: legacy 24h colon separator",
                  lines: ["24/3/14, 13:59:59: Sender: Message", "25/3/14, 02:00:00: Other: Reply"],
                  senders: ["Sender", "Other"], timestamps: ["2014-03-24T13:59:59", "2014-03-25T02:00:00"]),
]

@Suite struct WhatsAppHeaderVariantTests {
    @Test(arguments: headerVariants)
    func catalogueHeaderVariantParsesEveryMessage(_ v: HeaderVariant) throws {
        for eol in ["\n", "\r\n"] {
            let chat = try WA.parse(lines: v.lines, eol: eol)
            #expect(chat.messages.count == v.lines.count, "\(v.row)")
            #expect(chat.messages.map(\.sender) == v.senders, "\(v.row)")
            #expect(chat.messages.map(\.timestamp) == v.timestamps.map(Optional.some), "\(v.row)")
            #expect(chat.issues.isEmpty, "\(v.row): \(chat.issues)")
            #expect(chat.unparsedLines == 0)
        }
    }

    @Test func row15And16KeepTheFirstColonSplit() throws {
        let chat = try WA.parse(lines: ["13.06.18 21.25.15: a: m", "14.06.18 08.00.00: b: n: o"])
        #expect(chat.messages.map(\.text) == ["m", "n: o"])
    }

    @Test func row30FakeTwoDigitYearHeaderIsAContinuation() throws {
        let chat = try WA.parse(lines: ["[17.9.2019, 16:37:47] Ann: a", "[17.09.2019, 16:38:00] Bo: b",
                                        "[1.9.19, 00:00:00] Fake: c", "[18.09.2019, 08:00:00] Ann: d"])
        #expect(chat.messages.map(\.sender) == ["Ann", "Bo", "Ann"])
        #expect(chat.messages[1].text == "b\n[1.9.19, 00:00:00] Fake: c")
        #expect(chat.messages[1].warnings == ["header-format-mismatch"])
        #expect(chat.messages[1].timestamp == "2019-09-17T16:38:00")
    }

    @Test func invisibleMarksAnywhereInTheHeaderAreIgnored() throws {
        let marks = ["\u{200E}", "\u{200F}", "\u{FEFF}", "\u{202A}", "\u{202C}", "\u{202E}", "\u{2066}", "\u{2069}"]
        for mark in marks {
            let chat = try WA.parse(lines: ["\(mark)[13.01.18, \(mark)12:24:03\(mark)] \(mark)Ann\(mark): hi",
                                            "[\(mark)13.01.18, 12:25:00] Bo: yo"])
            #expect(chat.messages.map(\.sender) == ["Ann", "Bo"], "mark U+\(String(mark.unicodeScalars.first!.value, radix: 16))")
            #expect(chat.messages.first?.timestamp == "2018-01-13T12:24:03")
            // A U+FEFF at the very start of the file is a BOM, which is not part of the first message.
            #expect(chat.messages.first?.byteStart == (mark == "\u{FEFF}" ? 3 : 0))
        }
    }

    @Test func tildePrefixOfNonContactsIsRemovedFromTheSender() throws {
        let chat = try WA.parse(lines: ["13/01/19, 11:25 - ~ Zoe Q: hi", "13/01/19, 11:26 - ~\u{202F}Max Mustermann: yo",
                                        "13/01/19, 11:27 - \u{200E}~\u{A0}+49 170 1234567: hey"])
        #expect(chat.messages.map(\.sender) == ["Zoe Q", "Max Mustermann", "+49 170 1234567"])
    }

    @Test func senderIsNormalisedToNFC() throws {
        // "José" written with a combining acute accent.
        let chat = try WA.parse(lines: ["13/01/19, 11:25 - Jose\u{301}: hola"])
        #expect(chat.messages.first?.sender?.unicodeScalars.count == 4)
        #expect(chat.messages.first?.sender == "Jos\u{E9}")
    }

    @Test func dateOrderFromWrapAroundBeatsChangeFrequency() throws {
        // 11 Jan, 1 Feb, 1 Mar: the first field falls while the second rises, so it is the day.
        let chat = try WA.parse(lines: ["11/1/20, 10:00 - Ann: a", "1/2/20, 10:00 - Bo: b", "1/3/20, 10:00 - Ann: c"])
        #expect(chat.messages.map(\.timestamp) == ["2020-01-11T10:00:00", "2020-02-01T10:00:00", "2020-03-01T10:00:00"])
        #expect(chat.issues.isEmpty)
    }

    @Test func dateOrderFromChangeFrequency() throws {
        let monthFirst = try WA.parse(lines: ["6/3/18, 10:00 - Ann: a", "6/4/18, 10:00 - Bo: b", "6/5/18, 10:00 - Ann: c"])
        #expect(monthFirst.messages.map(\.timestamp) == ["2018-06-03T10:00:00", "2018-06-04T10:00:00", "2018-06-05T10:00:00"])
        let dayFirst = try WA.parse(lines: ["3/6/18, 10:00 - Ann: a", "4/6/18, 10:00 - Bo: b", "5/6/18, 10:00 - Ann: c"])
        #expect(dayFirst.messages.map(\.timestamp) == ["2018-06-03T10:00:00", "2018-06-04T10:00:00", "2018-06-05T10:00:00"])
        #expect(monthFirst.issues.isEmpty && dayFirst.issues.isEmpty)
    }

    @Test func dottedDatesWithoutOtherEvidenceReadDayFirstWithoutWarning() throws {
        let chat = try WA.parse(lines: ["3.6.18, 10:00 - Ann: a", "3.6.18, 10:01 - Bo: b"])
        #expect(chat.messages.first?.timestamp == "2018-06-03T10:00:00")
        #expect(chat.issues.isEmpty)
    }

    @Test func twelveHourSlashDatesWithoutEvidenceAreAmbiguous() throws {
        let data = Data(["3/6/18, 1:55 PM - Ann: a", "3/6/18, 1:56 PM - Bo: b"].joined(separator: "\n").utf8)
        let layout = WA.layout(data)
        #expect(layout.dateOrderAmbiguous && layout.dayFirst && layout.warnings == ["ambiguous-date-order"])
    }
}
