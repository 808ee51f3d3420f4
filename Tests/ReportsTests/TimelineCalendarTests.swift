import ChatModel
import Foundation
import Testing
@testable import Reports

/// `Timeline` counts days itself; these compare it with the Foundation calendar code it replaced (`FoundationTimeline`).
@Suite struct TimelineCalendarTests {
    /// A deterministic generator so a failure names a reproducible case.
    struct Mix { var s: UInt64; mutating func next(_ n: Int) -> Int { s = s &* 6364136223846793005 &+ 1442695040888963407; return Int((s >> 33) % UInt64(n)) } }

    static func stamp(_ y: Int, _ m: Int, _ d: Int) -> String {
        CivilDay.pad(y, 4) + "-" + CivilDay.pad(m, 2) + "-" + CivilDay.pad(d, 2) + "T10:00:00"
    }

    @Test func weekAndMonthOfEveryDayMatchFoundationsISOCalendar() {
        // Every day of 1999-2031 (ISO years with 53 weeks, leap days, turns of the year), and day 29-31 of every
        // month, which the calendar rolls over into the next month.
        for y in 1999...2031 {
            for m in 1...12 {
                for d in 1...31 {
                    let ts = Self.stamp(y, m, d)
                    for g in ["week", "month"] {
                        #expect(Timeline.period(of: ts, granularity: g) == FoundationTimeline.period(of: ts, granularity: g),
                                "\(ts) \(g)")
                    }
                }
            }
        }
    }

    @Test func periodsOfRandomTimestampSetsMatchFoundationsISOCalendar() {
        var mix = Mix(s: 7)
        for round in 0..<400 {
            let count = 1 + mix.next(6)
            let baseYear = 1600 + mix.next(8400)
            let spread = [1, 3, 40, 130, 400, 4000][mix.next(6)]
            var stamps: [String] = []
            for _ in 0..<count {
                let day = CivilDay(baseYear, 1, 1).number + mix.next(spread)
                let c = CivilDay(number: day)
                stamps.append(Self.stamp(c.year, c.month, c.day))
            }
            if mix.next(4) == 0 { stamps.append("not a date") }
            let (g, periods) = Timeline.periods(for: stamps)
            let (fg, fperiods) = FoundationTimeline.periods(for: stamps)
            #expect(g == fg && periods == fperiods, "round \(round): \(stamps)")
        }
    }

    @Test func yearsOutsideTheGregorianRangeFallBackToFoundation() {
        let stamps = ["1500-03-01T00:00:00", "1500-03-20T00:00:00"]
        #expect(Timeline.periods(for: stamps) == FoundationTimeline.periods(for: stamps))
        #expect(Timeline.period(of: "1500-03-01", granularity: "week") == FoundationTimeline.period(of: "1500-03-01", granularity: "week"))
    }

    @Test func utcTimestampsReadAsTheISO8601FormatterWritesThem() {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        var mix = Mix(s: 11)
        for _ in 0..<500 {
            let t = Double(mix.next(4_000_000_000)) + Double(mix.next(1000)) / 1000
            #expect(UTCTimestamp.string(secondsSince1970: t) == f.string(from: Date(timeIntervalSince1970: t)), "\(t)")
        }
        #expect(UTCTimestamp.string(secondsSince1970: 0) == "1970-01-01T00:00:00Z")
    }
}

@Suite struct HexTextTests {
    @Test func hexTextMatchesTheFormatSpecifierForEveryByte() {
        let all = (0...255).map { UInt8($0) }
        #expect(Hex.string(all) == all.map { String(format: "%02x", $0) }.joined())
        #expect(Hex.string([UInt8]()) == "")
    }
}
