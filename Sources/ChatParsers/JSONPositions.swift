import ChatModel

/// A JSON syntax problem found by `JSONScanner`, with the byte offset where it was noticed.
struct JSONScanError: Error {
    var offset: Int
    var reason: String
}

/// Byte-level scanner over a JSON document that finds where values are, without building them.
///
/// It respects strings and escapes, matches brackets, and reports byte ranges of object members and array elements,
/// so that each message object (and the string token of its text) can be cited by exact file offsets. Values
/// themselves are decoded with Foundation's `JSONSerialization`; this scanner only locates them.
struct JSONScanner {
    let bytes: UnsafeRawBufferPointer

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    @inline(__always) func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

    /// First non-whitespace offset at or after `i` (a UTF-8 BOM at offset 0 is skipped too).
    func skipSpace(_ from: Int) -> Int {
        var i = from
        if i == 0, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        while i < bytes.count, isSpace(bytes[i]) { i += 1 }
        return i
    }

    /// Offset just past the string token that starts with the quote at `i`.
    func stringEnd(at start: Int) throws -> Int {
        var i = start + 1
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x22 { return i + 1 }
            if b == 0x5C { i += 2; continue }
            i += 1
        }
        throw JSONScanError(offset: start, reason: "unterminated string (file ends inside it; truncated?)")
    }

    /// Offset just past the value that starts at `i` (object, array, string, number or literal).
    /// Brackets are matched with an explicit stack, so deep nesting cannot overflow the call stack.
    func valueEnd(at start: Int) throws -> Int {
        guard start < bytes.count else {
            throw JSONScanError(offset: start, reason: "unexpected end of file where a value was expected (truncated?)")
        }
        let first = bytes[start]
        if first == 0x22 { return try stringEnd(at: start) }
        if first != 0x7B && first != 0x5B {
            // number or literal: runs until a delimiter
            var i = start
            while i < bytes.count {
                let b = bytes[i]
                if b == 0x2C || b == 0x7D || b == 0x5D || isSpace(b) { break }
                if b == 0x22 || b == 0x7B || b == 0x5B || b == 0x3A {
                    throw JSONScanError(offset: i, reason: "unexpected character '\(Character(Unicode.Scalar(b)))'")
                }
                i += 1
            }
            if i == start { throw JSONScanError(offset: start, reason: "unexpected character '\(Character(Unicode.Scalar(first)))'") }
            return i
        }
        var stack: [(UInt8, Int)] = []
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case 0x22:
                i = try stringEnd(at: i)
                continue
            case 0x7B, 0x5B:
                stack.append((b, i))
            case 0x7D, 0x5D:
                guard let (open, _) = stack.popLast() else {
                    throw JSONScanError(offset: i, reason: "unexpected '\(b == 0x7D ? "}" : "]")'")
                }
                if (open == 0x7B) != (b == 0x7D) {
                    throw JSONScanError(offset: i, reason: "'\(b == 0x7D ? "}" : "]")' does not close the '\(open == 0x7B ? "{" : "[")' before it")
                }
                if stack.isEmpty { return i + 1 }
            default:
                break
            }
            i += 1
        }
        let (open, at) = stack.last!
        throw JSONScanError(offset: at, reason: "unexpected end of file: the \(open == 0x7B ? "object" : "array") opened here is never closed (truncated?)")
    }

    /// Checks that the document is one value followed only by whitespace.
    func validateTopLevel() throws -> Int {
        let s = skipSpace(0)
        let end = try valueEnd(at: s)
        let after = skipSpace(end)
        if after < bytes.count {
            throw JSONScanError(offset: after, reason: "extra data after the end of the JSON document")
        }
        return s
    }

    /// One member of an object: the key token range (quotes included) and the value's byte range.
    struct Member {
        var key: Range<Int>
        var value: Range<Int>
    }

    /// Members of the object starting at `start` (which must be `{`), in file order.
    func members(ofObjectAt start: Int) throws -> [Member] {
        guard start < bytes.count, bytes[start] == 0x7B else { throw JSONScanError(offset: start, reason: "expected an object") }
        var out: [Member] = []
        var i = skipSpace(start + 1)
        if i < bytes.count, bytes[i] == 0x7D { return out }
        while true {
            guard i < bytes.count, bytes[i] == 0x22 else { throw JSONScanError(offset: i, reason: "expected a key string") }
            let keyEnd = try stringEnd(at: i)
            var j = skipSpace(keyEnd)
            guard j < bytes.count, bytes[j] == 0x3A else { throw JSONScanError(offset: j, reason: "expected ':' after a key") }
            j = skipSpace(j + 1)
            let vEnd = try valueEnd(at: j)
            out.append(Member(key: i..<keyEnd, value: j..<vEnd))
            i = skipSpace(vEnd)
            guard i < bytes.count else { throw JSONScanError(offset: start, reason: "unexpected end of file inside an object (truncated?)") }
            if bytes[i] == 0x7D { return out }
            guard bytes[i] == 0x2C else { throw JSONScanError(offset: i, reason: "expected ',' or '}' in an object") }
            i = skipSpace(i + 1)
        }
    }

    /// Byte ranges of the elements of the array starting at `start` (which must be `[`), in file order.
    func elements(ofArrayAt start: Int) throws -> [Range<Int>] {
        guard start < bytes.count, bytes[start] == 0x5B else { throw JSONScanError(offset: start, reason: "expected an array") }
        var out: [Range<Int>] = []
        var i = skipSpace(start + 1)
        if i < bytes.count, bytes[i] == 0x5D { return out }
        while true {
            let vEnd = try valueEnd(at: i)
            out.append(i..<vEnd)
            i = skipSpace(vEnd)
            guard i < bytes.count else { throw JSONScanError(offset: start, reason: "unexpected end of file inside an array (truncated?)") }
            if bytes[i] == 0x5D { return out }
            guard bytes[i] == 0x2C else { throw JSONScanError(offset: i, reason: "expected ',' or ']' in an array") }
            i = skipSpace(i + 1)
        }
    }

    /// True when the key token (quotes included) spells `name` with no escapes.
    func key(_ token: Range<Int>, is name: StaticString) -> Bool {
        let n = name.utf8CodeUnitCount
        guard token.count == n + 2 else { return false }
        let p = name.utf8Start
        for k in 0..<n where bytes[token.lowerBound + 1 + k] != p[k] { return false }
        return true
    }

    /// The value range of member `name` in a member list, if present.
    func value(of name: StaticString, in members: [Member]) -> Range<Int>? {
        members.first(where: { key($0.key, is: name) })?.value
    }

    func isString(_ r: Range<Int>) -> Bool { !r.isEmpty && bytes[r.lowerBound] == 0x22 }
    func isArray(_ r: Range<Int>) -> Bool { !r.isEmpty && bytes[r.lowerBound] == 0x5B }
    func isObject(_ r: Range<Int>) -> Bool { !r.isEmpty && bytes[r.lowerBound] == 0x7B }
}

/// Counts lines up to increasing byte offsets without building a table of every line start.
struct LineCounter {
    let bytes: UnsafeRawBufferPointer
    private var offset = 0
    private var line = 1

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// 1-based line of the byte at `target`.
    mutating func line(at target: Int) -> Int {
        if target < offset { offset = 0; line = 1 }
        let end = min(target, bytes.count)
        var i = offset
        var l = line
        while i < end {
            if bytes[i] == 0x0A { l += 1 }
            i += 1
        }
        offset = end; line = l
        return l
    }
}
