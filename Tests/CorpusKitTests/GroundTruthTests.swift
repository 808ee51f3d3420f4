import Foundation
import Testing
import ZIPFoundation
@testable import CorpusKit

/// Ground truth must point at the message that carries the planted phrase, in every format.
@Suite struct GroundTruthTests {
    @Test func androidTruthLinesAreHeadersHoldingThePlantedText() throws {
        let (dir, s) = try generateSmall(.whatsapp)
        let truth = try GroundTruthRecord.load(from: dir.appendingPathComponent("ground-truth.jsonl"))
        #expect(truth.count == s.planted + s.nearMisses)
        #expect(truth.contains { $0.kind == "planted" } && truth.contains { $0.kind == "near_miss" })
        let text = try lines(of: dir.appendingPathComponent(s.files[0]))
        // message index = number of header lines before the message's line
        var headerLines: [Int] = []
        for (i, l) in text.enumerated() where matches(androidHeader, l) { headerLines.append(i + 1) }
        #expect(headerLines.count == s.messages)
        for r in truth {
            let line = text[r.line - 1]
            #expect(matches(androidHeader, line), "line \(r.line) is not a header")
            #expect(line.contains(r.planted), "line \(r.line) lacks \(r.planted)")
            #expect(line.contains(r.sender), "line \(r.line) lacks sender \(r.sender)")
            #expect(headerLines[r.messageIndex] == r.line)
        }
    }

    @Test func iosZipHoldsChatTxtWithBracketHeadersAndLRMMarks() throws {
        let (dir, s) = try generateSmall(.whatsappIOS)
        #expect(s.files == ["WhatsApp Chat - Sunday League Lads.zip"])
        let archive = try Archive(url: dir.appendingPathComponent(s.files[0]), accessMode: .read)
        let entries = Array(archive)
        #expect(entries.map(\.path) == ["_chat.txt"])
        var data = Data()
        _ = try archive.extract(entries[0]) { data.append($0) }
        #expect(data.count == s.bytesWritten)
        let text = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(text.contains { $0.hasPrefix("\u{200E}[") && $0.contains("\u{200E}image omitted") })
        #expect(text.contains { $0.contains("This message was deleted.") })
        let truth = try GroundTruthRecord.load(from: dir.appendingPathComponent("ground-truth.jsonl"))
        #expect(!truth.isEmpty)
        for r in truth {
            #expect(r.file == "WhatsApp Chat - Sunday League Lads.zip!/_chat.txt")
            #expect(matches(iosHeader, text[r.line - 1]))
            #expect(text[r.line - 1].contains(r.planted))
        }
    }

    @Test(arguments: [CorpusFormat.messenger, .instagram])
    func messengerFamilyIsNewestFirstMojibakeAndTruthIndexesTheMessagesArray(_ format: CorpusFormat) throws {
        let (dir, s) = try generateSmall(format, bytes: 400_000)
        #expect(s.files.count >= 2, "500 messages per file should split 400 KB")
        #expect(s.files[0].hasSuffix("message_1.json") && s.files[1].hasSuffix("message_2.json"))
        let truth = try GroundTruthRecord.load(from: dir.appendingPathComponent("ground-truth.jsonl"))
        var lastTimestamp = Int.max
        var sawMojibake = false
        for f in s.files {
            let url = dir.appendingPathComponent(f)
            let raw = try String(contentsOf: url, encoding: .utf8)
            #expect(raw.allSatisfy { $0.isASCII }, "Facebook escapes every non-ASCII byte")
            sawMojibake = sawMojibake || raw.contains("\\u00c3") || raw.contains("\\u00f0")
            let json = try JSONSerialization.jsonObject(with: Data(raw.utf8)) as! [String: Any]
            let messages = json["messages"] as! [[String: Any]]
            for m in messages {
                let ts = m["timestamp_ms"] as! Int
                #expect(ts <= lastTimestamp, "messages must be newest first")
                lastTimestamp = ts
            }
            let textLines = raw.split(separator: "\n", omittingEmptySubsequences: false)
            for r in truth where r.file == f {
                let m = messages[r.messageIndex]
                #expect(repairMojibake(m["content"] as! String).contains(r.planted))
                #expect(repairMojibake(m["sender_name"] as! String) == r.sender)
                #expect(textLines[r.line - 1] == "    {")
            }
        }
        #expect(sawMojibake)
        #expect(truth.allSatisfy { s.files.contains($0.file) })
    }

    @Test func telegramTextFlattensToThePlantedPhraseAndIDsIncrease() throws {
        let (dir, s) = try generateSmall(.telegram, bytes: 600_000)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent(s.files[0]))) as! [String: Any]
        let messages = json["messages"] as! [[String: Any]]
        #expect(messages.count == s.messages)
        #expect(messages.map { $0["id"] as! Int } == Array(1...messages.count))
        #expect(messages.contains { $0["text"] is [Any] }, "some messages use the array form")
        #expect(messages.contains { ($0["type"] as? String) == "service" })
        for m in messages where m["text"] is [Any] {
            let entities = (m["text_entities"] as! [[String: Any]]).map { $0["text"] as! String }.joined()
            #expect(entities == flattenTelegramText(m["text"]))
        }
        let raw = try lines(of: dir.appendingPathComponent(s.files[0]))
        let truth = try GroundTruthRecord.load(from: dir.appendingPathComponent("ground-truth.jsonl"))
        #expect(!truth.isEmpty)
        for r in truth {
            #expect(flattenTelegramText(messages[r.messageIndex]["text"]).contains(r.planted))
            #expect(messages[r.messageIndex]["from"] as? String == r.sender)
            #expect(raw[r.line - 1] == "  {")
        }
    }

    @Test func linesFormatHasOneMessagePerLineAndTruthNamesTheLine() throws {
        let (dir, s) = try generateSmall(.lines)
        let text = try lines(of: dir.appendingPathComponent("messages.txt"))
        #expect(text.count == s.messages + 1)  // final newline
        let truth = try GroundTruthRecord.load(from: dir.appendingPathComponent("ground-truth.jsonl"))
        for r in truth {
            #expect(r.line == r.messageIndex + 1)
            #expect(text[r.line - 1].contains(r.planted))
        }
    }

    @Test func obfuscatedFormsArePlantedAlongsidePlainOnes() throws {
        let (dir, _) = try generateSmall(.whatsapp, bytes: 3_000_000, name: "obf")
        let truth = try GroundTruthRecord.load(from: dir.appendingPathComponent("ground-truth.jsonl"))
        let forms = Set(truth.filter { $0.kind == "planted" }.map(\.form))
        #expect(forms == Set(Obfuscation.allCases.map(\.rawValue)))
        #expect(truth.contains { $0.planted.contains("\u{200B}") })
        #expect(truth.contains { $0.phrase == "kill the lights" && $0.kind == "near_miss" })
    }
}
