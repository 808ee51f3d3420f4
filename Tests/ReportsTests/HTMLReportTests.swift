import ChatModel
import Foundation
import TestScratch
import Testing
@testable import Reports

@Suite struct HTMLReportTests {
    static let hostile = "<script>document.body.setAttribute('data-pwned','1')</script><img src=x onerror=alert(1)> I will hurt you tonight"

    func report(_ configure: (inout ReportOptions) -> Void = { _ in }, items: [MessageHits] = Fixture.items) throws -> (URL, String) {
        let dir = try Fixture.tempDir()
        let path = dir.appendingPathComponent("report.html")
        try Fixture.write({ $0.html = path.path; $0.context = 2; configure(&$0) }, items: items)
        return (path, try Fixture.read(path))
    }

    static var hostileItems: [MessageHits] {
        var items = Fixture.items
        let m = Fixture.message(Fixture.file, "Unit A <b>", "Bob\"><script>x()</script>", 3, hostile)
        items[1] = MessageHits(message: m, hits: [Fixture.hit(m, "threat.hurt", "threat", .critical, "hurt you")],
                               before: items[1].before, after: items[1].after)
        return items
    }

    @Test func htmlIsSelfContainedWithoutExternalResources() throws {
        let (_, html) = try report()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.range(of: #"(src|href|action)\s*=\s*["']?\s*(https?:)?//"#, options: .regularExpression) == nil)
        #expect(!html.contains("<link"))
        #expect(!html.contains("@import"))
        #expect(!html.contains("url("))
        #expect(html.contains("default-src 'none'"))
        #expect(html.contains("<svg"))
    }

    @Test func htmlEscapesScriptsAndMarkupFromMessagesSendersAndChats() throws {
        let (_, html) = try report(items: Self.hostileItems)
        #expect(html.contains("&lt;script&gt;document.body.setAttribute(&#39;data-pwned&#39;,&#39;1&#39;)&lt;/script&gt;"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(!html.contains("<img"))
        #expect(html.contains("Bob&quot;&gt;&lt;script&gt;x()&lt;/script&gt;"))
        #expect(html.contains("Unit A &lt;b&gt;"))
        #expect(html.components(separatedBy: "<script").count == 2)   // only the report's own script
    }

    @Test func htmlHighlightsTheMatchedSpanInTheMessage() throws {
        let (_, html) = try report()
        #expect(html.contains("what an <mark class=\"m-medium\" title=\"insult.idiot\">idiot</mark>, total <mark class=\"m-medium\" title=\"insult.moron\">moron</mark>"))
        #expect(html.contains("I will <mark class=\"m-critical\" title=\"threat.hurt\">hurt you</mark> tonight"))
    }

    @Test func overlappingSpansMergeIntoOneMarkWithTheWorstSeverity() throws {
        let m = Fixture.message(Fixture.file, "c", "s", 0, "a bad word here")
        var wide = Fixture.hit(m, "r.wide", "x", .low, "bad word")
        wide.textStart = 2
        let r = HTMLReport(summary: ReportSummary(), items: [], options: ReportOptions(run: Fixture.run), run: Fixture.run)
        let out = r.highlighted(m.text, hits: [wide, Fixture.hit(m, "r.word", "x", .high, "word here")])
        #expect(out == "a <mark class=\"m-high\" title=\"r.wide, r.word\">bad word here</mark>")
    }

    @Test func htmlHasOverviewTablesChartsContextAndFilters() throws {
        let (_, html) = try report()
        for id in ["overview", "inputs", "charts", "senders", "chats", "sender-chat", "rules", "endorsements", "issues", "hits"] {
            #expect(html.contains("<section id=\"\(id)\""), "missing section \(id)")
        }
        #expect(html.contains(String(repeating: "a", count: 64)))          // input SHA-256
        #expect(html.contains("<form id=\"filters\">"))
        #expect(html.contains("data-sender=\"Dave\""))
        #expect(html.contains("<span class=\"endorse\">endorsement</span>"))
        #expect(html.contains("lmao 😂"))
        #expect(html.components(separatedBy: "<article class=\"hit").count == 5)
    }

    @Test func htmlSaysWhenTheHitListIsCut() throws {
        let (_, html) = try report { $0.htmlHitLimit = 2 }
        #expect(html.components(separatedBy: "<article class=\"hit").count == 3)
        #expect(html.contains("Only the first 2 of 4 hit messages are listed here"))
    }

    // MARK: headless Chromium

    @Test func chromiumRendersAScreenshotOfTheReport() throws {
        let (path, _) = try report()
        let png = path.deletingLastPathComponent().appendingPathComponent("report.png")
        _ = try Chromium.run(["--screenshot=\(png.path)", "--window-size=1400,2000", path.absoluteString])
        let data = try Data(contentsOf: png)
        #expect(Array(data.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let width = data[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = data[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 1400 && height == 2000)
        #expect(data.count > 40_000, "screenshot looks blank: \(data.count) bytes")
        try? FileManager.default.removeItem(atPath: "/tmp/chatsieve-report-screenshot.png")
        try? FileManager.default.copyItem(atPath: png.path, toPath: "/tmp/chatsieve-report-screenshot.png")
    }

    @Test func filterScriptRunsWithoutErrorInChromium() throws {
        let (path, _) = try report()
        let dom = try Chromium.run(["--dump-dom", path.absoluteString])
        #expect(dom.contains("data-filters-ready=\"1\""))
        #expect(!dom.contains("data-filters-error=\""))
        #expect(dom.contains("data-visible-hits=\"4\""))
        #expect(dom.contains("4 of 4 hit messages shown"))
    }

    @Test func filtersFromTheURLFragmentHideOtherHitsInChromium() throws {
        let (path, _) = try report()
        let critical = try Chromium.run(["--dump-dom", path.absoluteString + "#severity=high"])
        #expect(critical.contains("data-visible-hits=\"2\""))
        let dave = try Chromium.run(["--dump-dom", path.absoluteString + "#sender=Dave&category=harassment"])
        #expect(dave.contains("data-visible-hits=\"1\""))
        let insultInB = try Chromium.run(["--dump-dom", path.absoluteString + "#chat=Unit%20B&category=insult"])
        #expect(insultInB.contains("data-visible-hits=\"0\""))
    }

    @Test func withoutJavaScriptEveryHitIsShownAndTheFiltersStayHidden() throws {
        let (_, html) = try report()
        // Only the script hides hits (via the hidden attribute) and shows the form (via body.js).
        #expect(!html.contains(" hidden"))
        #expect(html.contains("form#filters{display:none;"))
        #expect(html.contains("body.js form#filters{display:flex}"))
        #expect(html.components(separatedBy: "<article class=\"hit").count == 5)
    }

    @Test func hostileMessagesDoNotRunScriptsInChromium() throws {
        let (path, _) = try report(items: Self.hostileItems)
        let dom = try Chromium.run(["--dump-dom", path.absoluteString])
        #expect(dom.contains("data-filters-ready=\"1\""))
        #expect(!dom.contains("data-pwned=\"1\""))
    }
}

/// Headless Chromium (Debian package `chromium`, installed by `make test`). Missing Chromium fails the test.
enum Chromium {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func executable() throws -> String {
        if let env = ProcessInfo.processInfo.environment["CHROMIUM"], !env.isEmpty { return env }
        for p in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/snap/bin/chromium"]
        where FileManager.default.isExecutableFile(atPath: p) { return p }
        throw Failure(description: "chromium not found: install the Debian package `chromium` (make test does)")
    }

    /// Runs headless Chromium with a throw-away profile and returns its stdout; fails after 90 s.
    static func run(_ args: [String]) throws -> String {
        let profile = TestScratch.path("chromium")
        defer { try? FileManager.default.removeItem(at: profile) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try executable())
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
                       "--user-data-dir=\(profile.path)"] + args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let done = DispatchSemaphore(value: 0)
        final class Box: @unchecked Sendable { var data = Data() }
        let stdout = Box()
        DispatchQueue.global().async { stdout.data = out.fileHandleForReading.readDataToEndOfFile(); done.signal() }
        DispatchQueue.global().async { _ = err.fileHandleForReading.readDataToEndOfFile() }
        if done.wait(timeout: .now() + 90) == .timedOut {
            p.terminate()
            throw Failure(description: "chromium timed out: \(args)")
        }
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw Failure(description: "chromium exited with \(p.terminationStatus)") }
        return String(decoding: stdout.data, as: UTF8.self)
    }
}

@Suite struct FaultyInputTests {
    @Test func reversedOrOutOfRangeSpansDoNotCrashAnyOutput() throws {
        var items = Fixture.items
        items[0].hits[0].textStart = 20; items[0].hits[0].textEnd = 3
        items[0].hits[1].textStart = 500; items[0].hits[1].textEnd = 900
        let dir = try Fixture.tempDir()
        let w = try Fixture.write({ $0.html = dir.appendingPathComponent("r.html").path; $0.csv = dir.appendingPathComponent("h.csv").path
            $0.redact = true }, items: items)
        #expect(w.manifest?.totals.hits == 5)
    }
}
