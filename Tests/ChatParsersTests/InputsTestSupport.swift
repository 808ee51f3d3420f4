import ChatModel
@testable import ChatParsers
import Foundation
import TestScratch
import Testing

/// Paths of the committed samples (next to this file, so they work from a fresh clone without the bundle).
enum Samples {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Samples").path
    static func path(_ relative: String) -> String { root + "/" + relative }

    static let messengerThread = path("messenger/your_facebook_activity/messages/inbox/wochenende_10158312345678901")
    static let e2ee = path("messenger/e2ee/anna_schmidt_1.json")
    static let instagramThread = path("instagram/your_instagram_activity/messages/inbox/jane.doe_17841400000000000")
    static let telegramSingle = path("telegram/single/result.json")
    static let telegramAccount = path("telegram/account/result.json")
    static let linesCRLF = path("lines/terms_crlf.txt")
}

/// A fresh temporary folder, removed when the value goes away.
final class TempDir {
    let path: String

    init() {
        path = try! TestScratch.directory("inputs").path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ relative: String, _ bytes: [UInt8]) -> String {
        let full = path + "/" + relative
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: full, contents: Data(bytes))
        return full
    }

    @discardableResult
    func write(_ relative: String, _ text: String) -> String { write(relative, Array(text.utf8)) }

    @discardableResult
    func copy(_ from: String, to relative: String) -> String {
        write(relative, Array(try! Data(contentsOf: URL(fileURLWithPath: from))))
    }
}

func fileBytes(_ path: String) -> [UInt8] { Array(try! Data(contentsOf: URL(fileURLWithPath: path))) }

/// The file bytes (as text) that the first occurrence of `needle` in the message text maps to.
func fileSlice(of needle: String, in message: Message, file: [UInt8]) -> String? {
    let text = Array(message.text.utf8)
    let n = Array(needle.utf8)
    guard n.count <= text.count else { return nil }
    for start in 0...(text.count - n.count) where Array(text[start..<(start + n.count)]) == n {
        guard let r = message.fileRange(ofTextBytes: start..<(start + n.count)) else { return nil }
        return String(decoding: file[r], as: UTF8.self)
    }
    return nil
}

/// 1-based line of a byte offset, counted independently of the parsers.
func lineOf(_ offset: Int, in bytes: [UInt8]) -> Int { bytes[0..<offset].filter { $0 == 0x0A }.count + 1 }

/// Reads a single file or folder through the public API; fails the test when there is not exactly one source.
func readOnly(_ path: String, options: ParseOptions = ParseOptions()) throws -> (ChatSource, ParsedChat) {
    let (sources, _) = InputCollector.collect(paths: [path], options: options)
    try #require(sources.count == 1, "expected one source in \(path), got \(sources.map(\.displayPath))")
    return (sources[0], try ChatReader.read(sources[0], options: options))
}

/// Offset of the first occurrence of `needle` in `bytes` at or after `from`.
func indexOf(_ needle: String, in bytes: [UInt8], from: Int = 0) -> Int? {
    let n = Array(needle.utf8)
    guard bytes.count >= n.count, from <= bytes.count - n.count else { return nil }
    for i in from...(bytes.count - n.count) where bytes[i] == n[0] && Array(bytes[i..<(i + n.count)]) == n { return i }
    return nil
}
