import Foundation
import TestScratch
@testable import CorpusKit

/// A fresh temporary folder per test.
func makeTempDir(_ name: String = #function) throws -> URL {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    return try TestScratch.directory("corpuskit-\(safe)")
}

/// Generates a small corpus into a temp folder.
func generateSmall(_ format: CorpusFormat, bytes: Int = 300_000, seed: UInt64 = 7, files: Int = 1,
                   name: String = #function) throws -> (URL, CorpusSummary) {
    let dir = try makeTempDir(name + format.rawValue)
    let s = try CorpusGenerator.generate(CorpusSpec(format: format, bytes: bytes, seed: seed, files: files, outDir: dir,
                                                    messagesPerJSONFile: 500))
    return (dir, s)
}

/// Lines of a text file split on LF only (as written), 1-based access through `[line - 1]`.
func lines(of url: URL) throws -> [Substring] {
    let text = try String(contentsOf: url, encoding: .utf8)
    return text.split(separator: "\n", omittingEmptySubsequences: false)
}

/// Messenger's mojibake repair: every scalar <= U+00FF becomes one byte, decoded as UTF-8.
func repairMojibake(_ s: String) -> String {
    let scalars = s.unicodeScalars
    guard scalars.allSatisfy({ $0.value <= 0xFF }) else { return s }
    return String(decoding: scalars.map { UInt8($0.value) }, as: UTF8.self)
}

/// Telegram's `text`: a string, or an array of strings and `{type, text}` objects joined with nothing between.
func flattenTelegramText(_ value: Any?) -> String {
    if let s = value as? String { return s }
    guard let parts = value as? [Any] else { return "" }
    return parts.map { part in
        if let s = part as? String { return s }
        return (part as? [String: Any])?["text"] as? String ?? ""
    }.joined()
}

let androidHeader = try! NSRegularExpression(pattern: #"^\d{2}/\d{2}/\d{4}, \d{2}:\d{2} - "#)
let iosHeader = try! NSRegularExpression(pattern: "^\u{200E}?\\[\\d{2}/\\d{2}/\\d{4}, \\d{2}:\\d{2}:\\d{2}\\] ")

func matches(_ re: NSRegularExpression, _ s: Substring) -> Bool {
    let str = String(s)
    return re.firstMatch(in: str, range: NSRange(str.startIndex..., in: str)) != nil
}
