import ChatModel
import Foundation

/// A JSON chat export loaded twice over the same mapped bytes: values through `JSONSerialization`, positions
/// through `JSONScanner`. Loading fails with one `InputError` naming the file, the line and the reason.
struct JSONDocument {
    let scanner: JSONScanner
    let root: Any
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
        let root: Any
        do {
            let data = bytes.isEmpty ? Data() : Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: bytes.baseAddress!),
                                                     count: bytes.count, deallocator: .none)
            root = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            let detail = (error as NSError).userInfo["NSDebugDescription"] as? String ?? "\(error)"
            throw InputError(file: file, reason: "invalid JSON: \(detail)")
        }
        lines = LineCounter(bytes)
        return JSONDocument(scanner: scanner, root: root, rootStart: start, file: file, lines: lines)
    }

    /// Wraps a scanner error found while navigating, with its line.
    mutating func error(_ e: Error) -> InputError {
        if let s = e as? JSONScanError {
            return InputError(file: file, line: lines.line(at: s.offset), reason: "invalid JSON: \(s.reason)")
        }
        if let i = e as? InputError { return i }
        return InputError(file: file, reason: "\(e)")
    }

    /// The `messages` array of the object at `objectStart`: element ranges with their decoded values, checked to
    /// agree in number.
    mutating func messages(inObjectAt objectStart: Int, value: [String: Any], what: String) throws -> [(Range<Int>, [String: Any])] {
        do {
            let members = try scanner.members(ofObjectAt: objectStart)
            guard let r = scanner.value(of: "messages", in: members), scanner.isArray(r),
                  let values = value["messages"] as? [Any] else {
                throw InputError(file: file, line: lines.line(at: objectStart), reason: "\(what) has no \"messages\" array")
            }
            let ranges = try scanner.elements(ofArrayAt: r.lowerBound)
            guard ranges.count == values.count else {
                throw InputError(file: file, line: lines.line(at: r.lowerBound),
                                 reason: "messages array: \(ranges.count) elements located but \(values.count) decoded (duplicate \"messages\" keys?)")
            }
            var out: [(Range<Int>, [String: Any])] = []
            out.reserveCapacity(ranges.count)
            for (k, range) in ranges.enumerated() {
                guard let dict = values[k] as? [String: Any] else {
                    throw InputError(file: file, line: lines.line(at: range.lowerBound), reason: "message \(k) is not an object")
                }
                out.append((range, dict))
            }
            return out
        } catch {
            throw self.error(error)
        }
    }

    /// The string token of member `key` of the object at `objectStart`, if that member is a string.
    func stringToken(_ key: StaticString, inObjectAt objectStart: Int) throws -> Range<Int>? {
        let members = try scanner.members(ofObjectAt: objectStart)
        guard let r = scanner.value(of: key, in: members), scanner.isString(r) else { return nil }
        return r
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
