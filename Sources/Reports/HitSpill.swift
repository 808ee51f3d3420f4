import ChatModel
import Foundation

/// Hit messages parked in a temporary file while a redacted or pseudonymised run goes on (their disclosure depends on
/// the whole run), so the writer's memory does not grow with the number of hits. A compact binary record per hit
/// message (every field of `Message`, including `textOrigin`, and of `Hit`), read back in the order written. The file
/// is created exclusively (mode 0600, in the temporary directory) and unlinked at once: only the open descriptor
/// reaches it, so nothing is left behind however the run ends (finished, failed or killed).
final class HitSpill {
    let path: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private(set) var count = 0

    init() throws {
        let dir = FileManager.default.temporaryDirectory
        path = dir.appendingPathComponent("chatsieve-spill-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).bin").path
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw ReportError(path: path, reason: "cannot create the temporary file for held hit messages: \(reason)")
        }
        unlink(path)
        handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    func append(_ item: MessageHits) throws {
        var w = SpillWriter(out: buffer)
        buffer = []
        let lengthAt = w.out.count
        w.int(0)  // record length, patched below
        w.message(item.message)
        w.int(item.hits.count); for h in item.hits { w.hit(h) }
        w.int(item.before.count); for m in item.before { w.message(m) }
        w.int(item.after.count); for m in item.after { w.message(m) }
        let length = w.out.count - lengthAt - 8
        withUnsafeBytes(of: Int64(length).littleEndian) { for (k, b) in $0.enumerated() { w.out[lengthAt + k] = b } }
        buffer = w.out
        count += 1
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        do { try handle.write(contentsOf: buffer) } catch {
            throw ReportError(path: path, reason: "write failed: \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Calls `body` with every item, in the order appended.
    func forEach(_ body: (MessageHits) throws -> Void) throws {
        try flush()
        try handle.seek(toOffset: 0)
        var pending: [UInt8] = []
        var start = 0
        while true {
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if start > 0 { pending.removeFirst(start); start = 0 }
            pending.append(contentsOf: chunk)
            while pending.count - start >= 8 {
                var r = SpillReader(bytes: pending, at: start)
                let length = r.int()
                guard pending.count - r.at >= length else { break }
                let m = r.message()
                var hits: [Hit] = []
                for _ in 0..<r.int() { hits.append(r.hit()) }
                var before: [Message] = [], after: [Message] = []
                for _ in 0..<r.int() { before.append(r.message()) }
                for _ in 0..<r.int() { after.append(r.message()) }
                guard r.at == start + 8 + length else {
                    throw ReportError(path: path, reason: "temporary file of held hit messages is corrupt")
                }
                start = r.at
                try body(MessageHits(message: m, hits: hits, before: before, after: after))
            }
            if chunk.isEmpty { break }
        }
        if start != pending.count { throw ReportError(path: path, reason: "temporary file of held hit messages is truncated") }
    }
}

/// Appends fields as little-endian 8-byte integers and length-prefixed UTF-8.
struct SpillWriter {
    var out: [UInt8]

    mutating func int(_ v: Int) { withUnsafeBytes(of: Int64(v).littleEndian) { out.append(contentsOf: $0) } }
    mutating func optInt(_ v: Int?) { out.append(v == nil ? 0 : 1); if let v { int(v) } }
    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { int($0.count); out.append(contentsOf: $0) }
    }
    mutating func optString(_ s: String?) { out.append(s == nil ? 0 : 1); if let s { string(s) } }
    mutating func strings(_ a: [String]) { int(a.count); for s in a { string(s) } }
    mutating func ints(_ a: [Int]) { int(a.count); for v in a { int(v) } }

    mutating func message(_ m: Message) {
        string(m.file); optString(m.chat); optString(m.sender); optString(m.timestamp); string(m.text)
        string(m.kind.rawValue); optInt(m.line); optInt(m.lineEnd); int(m.byteStart); int(m.byteEnd)
        int(m.messageIndex); string(m.format.rawValue); strings(m.warnings)
        switch m.textOrigin {
        case .unknown: out.append(0)
        case .verbatim(let at): out.append(1); int(at)
        case .mapped(let table): out.append(2); ints(table)
        }
    }

    mutating func hit(_ h: Hit) {
        string(h.file); optString(h.chat); optString(h.sender); optString(h.timestamp); optInt(h.line)
        int(h.messageIndex); string(h.rule); string(h.category); optString(h.subcategory); string(h.severity.rawValue)
        string(h.match); optInt(h.byteStart); optInt(h.byteEnd); int(h.textStart); int(h.textEnd)
        optString(h.pattern); strings(h.normalised)
        out.append(h.score == nil ? 0 : 1)
        if let s = h.score { int(Int(bitPattern: UInt(s.bitPattern))) }
    }
}

/// Reads what `SpillWriter` wrote (the caller has checked that the whole record is there).
struct SpillReader {
    let bytes: [UInt8]
    var at: Int

    init(bytes: [UInt8], at: Int) { self.bytes = bytes; self.at = at }

    mutating func int() -> Int {
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[at + k]) << (8 * UInt64(k)) }
        at += 8
        return Int(Int64(bitPattern: v))
    }
    mutating func flag() -> Bool { let b = bytes[at]; at += 1; return b != 0 }
    mutating func optInt() -> Int? { flag() ? int() : nil }
    mutating func string() -> String {
        let n = int()
        let s = String(decoding: bytes[at..<(at + n)], as: UTF8.self)
        at += n
        return s
    }
    mutating func optString() -> String? { flag() ? string() : nil }
    mutating func strings() -> [String] { (0..<int()).map { _ in string() } }
    mutating func ints() -> [Int] { (0..<int()).map { _ in int() } }

    mutating func message() -> Message {
        let file = string(), chat = optString(), sender = optString(), timestamp = optString(), text = string()
        let kind = MessageKind(rawValue: string()) ?? .text
        let line = optInt(), lineEnd = optInt(), byteStart = int(), byteEnd = int(), index = int()
        let format = SourceFormat(rawValue: string()) ?? .whatsapp
        let warnings = strings()
        let tag = bytes[at]; at += 1
        let origin: TextOrigin = tag == 1 ? .verbatim(int()) : tag == 2 ? .mapped(ints()) : .unknown
        return Message(file: file, chat: chat, sender: sender, timestamp: timestamp, text: text, kind: kind, line: line,
                       lineEnd: lineEnd, byteStart: byteStart, byteEnd: byteEnd, messageIndex: index, format: format,
                       warnings: warnings, textOrigin: origin)
    }

    mutating func hit() -> Hit {
        let file = string(), chat = optString(), sender = optString(), timestamp = optString(), line = optInt()
        let index = int(), rule = string(), category = string(), subcategory = optString()
        let severity = Severity(rawValue: string()) ?? .info
        let match = string(), byteStart = optInt(), byteEnd = optInt(), textStart = int(), textEnd = int()
        let pattern = optString(), normalised = strings()
        let score: Double? = flag() ? Double(bitPattern: UInt64(UInt(bitPattern: int()))) : nil
        return Hit(file: file, chat: chat, sender: sender, timestamp: timestamp, line: line, messageIndex: index, rule: rule,
                   category: category, subcategory: subcategory, severity: severity, match: match, byteStart: byteStart,
                   byteEnd: byteEnd, textStart: textStart, textEnd: textEnd, pattern: pattern, normalised: normalised,
                   score: score)
    }
}
