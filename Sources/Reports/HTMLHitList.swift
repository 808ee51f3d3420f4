import ChatModel
import Foundation

extension HTMLReport {
    /// The filter form (hidden without JavaScript) and one card per hit message: context before, the message with
    /// its matched spans highlighted, context after (endorsement replies tagged), and the hits' rules.
    func hitList() -> String {
        let shown = items.prefix(options.htmlHitLimit)
        var h = "<section id=\"hits\"><h2>Hits (\(summary.overall.hits) in \(hitMessages) messages)</h2>"
        if hitMessages > shown.count {
            h += "<div class=\"banner\">Only the first \(shown.count) of \(hitMessages) hit messages are listed here; the CSV and JSON Lines outputs hold every hit.</div>"
        }
        h += "<form id=\"filters\">"
        h += select("category", "Category", summary.categories)
        h += select("severity", "Minimum severity", Severity.allCases.reversed().map(\.rawValue))
        h += select("sender", "Sender", senderLabels)
        h += select("chat", "Chat", chatLabels)
        h += "<button type=\"reset\">Reset</button><span id=\"shown\"></span></form>\n"
        let endorsementReplies = Set(summary.endorsements.map { Message.runKey(file: $0.replyFile, index: $0.replyMessageIndex) })
        for item in shown { h += card(item, endorsementReplies: endorsementReplies) }
        return h + "</section>\n"
    }

    private func select(_ name: String, _ label: String, _ values: [String]) -> String {
        var h = "<label>\(label)<select name=\"\(name)\"><option value=\"\">(all)</option>"
        for v in values { h += "<option value=\"\(HTML.esc(v))\">\(HTML.esc(HTML.short(v, 60)))</option>" }
        return h + "</select></label>"
    }

    private func card(_ item: MessageHits, endorsementReplies: Set<String>) -> String {
        let m = item.message
        let top = item.hits.map(\.severity).max() ?? .info
        let cats = Array(Set(item.hits.map(\.category))).sorted()
        let sender = Aggregator.senderLabel(m.sender), chat = Aggregator.chatLabel(m)
        var h = "<article class=\"hit top-\(top.rawValue)\" id=\"\(HTML.anchor(m.file, m.messageIndex))\" data-severity=\"\(top.rawValue)\" "
        h += "data-categories=\"|\(HTML.esc(cats.joined(separator: "|")))|\" data-sender=\"\(HTML.esc(sender))\" data-chat=\"\(HTML.esc(chat))\">"
        h += "<div class=\"hh\"><span class=\"sev sev-\(top.rawValue)\">\(top.rawValue)</span> <b>\(HTML.esc(sender))</b> in <b>\(HTML.esc(chat))</b>"
        h += " · \(HTML.esc(m.timestamp ?? "no time")) · \(HTML.esc(m.file))\(m.line.map { ":\($0)" } ?? "") · message \(m.messageIndex)</div>"
        let rows = HitRecords.contextRows(item, context: options.context)
        let before = rows.filter { $0.offset < 0 }, after = rows.filter { $0.offset > 0 }
        if !before.isEmpty { h += contextList(before.map(\.message), endorsementReplies: endorsementReplies) }
        h += "<div class=\"msg\">" + highlighted(m.text, hits: item.hits) + "</div>"
        if !after.isEmpty { h += contextList(after.map(\.message), endorsementReplies: endorsementReplies) }
        h += "<ul class=\"rules\">"
        for hit in item.hits {
            h += "<li><span class=\"sev sev-\(hit.severity.rawValue)\">\(hit.severity.rawValue)</span> <code>\(HTML.esc(hit.rule))</code> · \(HTML.esc(hit.category))"
            if let sub = hit.subcategory { h += "/\(HTML.esc(sub))" }
            h += " · “\(HTML.esc(hit.match))” bytes \(hit.byteStart.map(String.init) ?? "?")–\(hit.byteEnd.map(String.init) ?? "?")"
            if let p = hit.pattern { h += " · pattern <code>\(HTML.esc(p))</code>" }
            if let s = hit.score { h += " · score \(JSON.double(s))" }
            if !hit.normalised.isEmpty { h += " · normalised: \(HTML.esc(hit.normalised.joined(separator: ", ")))" }
            h += "</li>"
        }
        return h + "</ul></article>\n"
    }

    private func contextList(_ messages: [Message], endorsementReplies: Set<String>) -> String {
        var h = "<ol class=\"ctx\">"
        for c in messages {
            let tag = endorsementReplies.contains(c.runKey) ? " <span class=\"endorse\">endorsement</span>" : ""
            h += "<li><span class=\"who\">\(HTML.esc(c.sender ?? "system"))</span> <span>\(HTML.esc(c.timestamp ?? ""))</span>\(tag): \(HTML.esc(c.text))</li>"
        }
        return h + "</ol>"
    }

    /// The message text, escaped, with each matched byte span (overlaps merged) in a `<mark>` coloured by the
    /// highest severity among the hits covering it.
    func highlighted(_ text: String, hits: [Hit]) -> String {
        let bytes = Array(text.utf8)
        struct Span { var range: Range<Int>; var severity: Severity; var rules: [String] }
        var spans: [Span] = []
        for hit in hits.sorted(by: { $0.textStart < $1.textStart }) {
            let r = Redactor.snap(hit.safeTextRange, in: bytes)
            guard !r.isEmpty else { continue }
            if let last = spans.last, r.lowerBound < last.range.upperBound {
                spans[spans.count - 1].range = last.range.lowerBound..<max(last.range.upperBound, r.upperBound)
                spans[spans.count - 1].severity = max(last.severity, hit.severity)
                if !last.rules.contains(hit.rule) { spans[spans.count - 1].rules.append(hit.rule) }
            } else {
                spans.append(Span(range: r, severity: hit.severity, rules: [hit.rule]))
            }
        }
        var out = ""
        var pos = 0
        for s in spans {
            out += HTML.esc(String(decoding: bytes[pos..<s.range.lowerBound], as: UTF8.self))
            out += "<mark class=\"m-\(s.severity.rawValue)\" title=\"\(HTML.esc(s.rules.joined(separator: ", ")))\">"
            out += HTML.esc(String(decoding: bytes[s.range], as: UTF8.self)) + "</mark>"
            pos = s.range.upperBound
        }
        return out + HTML.esc(String(decoding: bytes[pos...], as: UTF8.self))
    }
}
