import ChatModel
import Foundation

/// A JSON chat export over its mapped bytes: `JSONScanner` checks the structure and locates every value, and
/// Foundation's `JSONSerialization` decodes the values that are needed **one at a time** (each message object,
/// the chat's name), so memory stays bounded by one message however large the export is. Problems become one
/// `InputError` naming the file, the line and the reason.
struct JSONDocument {
    let bytes: UnsafeRawBufferPointer
    let scanner: JSONScanner
    let rootStart: Int
    let file: String
    var lines: LineCounter

    static func load(_ bytes: UnsafeRawBufferPointer, file: String) throws -> JSONDocument {
        try ChatReader.checkText(bytes, file: file)
        let scanner = JSONScanner(bytes)
        var lines = LineCounter(bytes)
        let start: Int
        do { start = try scanner.validateTopLevel() } catch let e as JSONScanError {
            throw InputError(file: file, line: lines.line(at: e.offset), reason: "invalid JSON: \(e.reason)")
        }
        guard bytes[start] == 0x7B else {
            throw InputError(file: file, line: lines.line(at: start), reason: "top level is not an object: not a chat export")
        }
        return JSONDocument(bytes: bytes, scanner: scanner, rootStart: start, file: file, lines: LineCounter(bytes))
    }

    /// Wraps a scanner error found while navigating, with its line.
    mutating func error(_ e: Error) -> InputError {
        if let s = e as? JSONScanError {
            return InputError(file: file, line: lines.line(at: s.offset), reason: "invalid JSON: \(s.reason)")
        }
        if let i = e as? InputError { return i }
        return InputError(file: file, reason: "\(e)")
    }

    /// Members of the object at `start`, with errors named by file and line.
    mutating func members(ofObjectAt start: Int) throws -> [JSONScanner.Member] {
        do { return try scanner.members(ofObjectAt: start) } catch { throw self.error(error) }
    }

    /// Element ranges of the array at `start`, with errors named by file and line.
    mutating func elements(ofArrayAt start: Int) throws -> [Range<Int>] {
        do { return try scanner.elements(ofArrayAt: start) } catch { throw self.error(error) }
    }

    /// Decodes one value with `JSONSerialization` (no copy of the bytes).
    mutating func decode(_ r: Range<Int>) throws -> Any {
        do {
            let data = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: bytes.baseAddress! + r.lowerBound),
                            count: r.count, deallocator: .none)
            return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            var detail = (error as NSError).userInfo["NSDebugDescription"] as? String ?? "\(error)"
            // JSONSerialization counts from the start of the slice: report the file offset and its line instead
            var at = r.lowerBound
            if let m = detail.range(of: #"around (line \d+, column \d+|character \d+)"#, options: .regularExpression),
               let n = Int(detail[m].split(separator: " ").last ?? ""), detail[m].contains("character") {
                at = r.lowerBound + n
                detail.replaceSubrange(m, with: "at byte offset \(at)")
            }
            throw InputError(file: file, line: lines.line(at: at), reason: "invalid JSON: \(detail)")
        }
    }

    /// Decodes one object with `JSONSerialization`.
    mutating func object(_ r: Range<Int>, what: String) throws -> [String: Any] {
        guard let o = try decode(r) as? [String: Any] else {
            throw InputError(file: file, line: lines.line(at: r.lowerBound), reason: "\(what) is not an object")
        }
        return o
    }

    /// The string value of member `key`, decoded, if it is a string.
    mutating func string(_ key: StaticString, in members: [JSONScanner.Member]) throws -> String? {
        guard let r = scanner.value(of: key, in: members), scanner.isString(r) else { return nil }
        return try decode(r) as? String
    }

    /// The element ranges of the `messages` array of an object, or nil when it has none.
    mutating func messageRanges(in members: [JSONScanner.Member]) throws -> [Range<Int>]? {
        guard let r = scanner.value(of: "messages", in: members), scanner.isArray(r) else { return nil }
        return try elements(ofArrayAt: r.lowerBound)
    }
}

/// Reads numbers from `JSONSerialization` values, which come as NSNumber, Int, Double or numeric strings.
enum JSONValue {
    static func int64(_ v: Any?) -> Int64? {
        switch v {
        case let n as Int: return Int64(n)
        case let n as Int64: return n
        case let n as Double: return n.isFinite ? Int64(n) : nil
        case let n as NSNumber: return n.int64Value
        case let s as String: return Int64(s)
        default: return nil
        }
    }

    static func isPresent(_ v: Any?) -> Bool {
        switch v {
        case nil: return false
        case is NSNull: return false
        case let a as [Any]: return !a.isEmpty
        case let d as [String: Any]: return !d.isEmpty
        default: return true
        }
    }
}
