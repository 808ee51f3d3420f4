/// The people who appear in generated chats: 24 senders with ordinary UK names, some with non-ASCII letters, an
/// emoji, a phone number, and WhatsApp's `~ ` prefix for members not in the exporter's contacts.
struct Roster: Sendable {
    /// As written in a WhatsApp header (may carry the `~ ` or `~\u{202F}` prefix).
    var whatsAppNames: [[UInt8]]
    /// As a JSON export names them (no `~` prefix).
    var plainNames: [String]
    /// Relative activity: a few people talk most.
    var weights: [Int]
    /// `whatsAppNames` packed for the hot loop.
    var flatWhatsAppNames: FlatStrings
    /// Index of `You` (the person who exported the chat), if present.
    var youIndex: Int?

    static let names: [String] = [
        "Dave Mitchell", "Sarah Khan", "Tom Hughes", "Priya Patel", "~ Big Steve", "Chloë Brennan",
        "Siobhán O'Neill", "José García", "Mark T", "Kev 🍺", "Rachel Green", "Björn Larsen",
        "Aoife Byrne", "~\u{202F}Jamie", "Connor Walsh", "Fatima Ali", "Łukasz Nowak", "Gemma",
        "You", "+44 7700 900123", "Ravi Sharma", "Nia Williams", "Zoë Clarke", "Ben O'Connor",
    ]

    static let standard = Roster(names: names)

    init(names: [String]) {
        whatsAppNames = names.map { Array($0.utf8) }
        flatWhatsAppNames = FlatStrings(names)
        youIndex = names.firstIndex(of: "You")
        plainNames = names.map { name in
            var n = Substring(name)
            if n.hasPrefix("~ ") || n.hasPrefix("~\u{202F}") { n = n.dropFirst(2) }
            return String(n)
        }
        // Zipf-like activity: sender k talks about 1/(k+2) as often as the busiest.
        weights = (0..<names.count).map { 1200 / ($0 + 2) + 5 }
    }

    var count: Int { plainNames.count }

    /// Cumulative weights for sampling.
    func sampler() -> WeightedSampler { WeightedSampler(weights: weights) }
}

/// Picks an index with probability proportional to its weight (cumulative table + binary search).
struct WeightedSampler: Sendable {
    private let cumulative: [Int]
    init(weights: [Int]) {
        var c: [Int] = []
        var sum = 0
        for w in weights { sum += w; c.append(sum) }
        cumulative = c
    }
    func sample(_ rng: inout CorpusRandom) -> Int {
        let r = rng.below(cumulative.last!)
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > r { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}

/// Samples vocabulary ranks with Zipf weights (s = 1) from a 2^15-entry lookup table (64 KB, stays in cache):
/// one random number per word.
struct ZipfSampler: Sendable {
    private let table: [UInt16]
    static let bits = 15

    init(count: Int) {
        let size = 1 << ZipfSampler.bits
        var weights = (1...count).map { 1.0 / Double($0) }
        let total = weights.reduce(0, +)
        weights = weights.map { $0 / total }
        var t = [UInt16](repeating: 0, count: size)
        var acc = 0.0
        var rank = 0
        for i in 0..<size {
            let u = (Double(i) + 0.5) / Double(size)
            while rank < count - 1 && acc + weights[rank] < u { acc += weights[rank]; rank += 1 }
            t[i] = UInt16(rank)
        }
        table = t
    }

    @inline(__always)
    func sample(_ rng: inout CorpusRandom) -> Int { sample(bits: rng.next()) }

    /// Uses the top bits of an already drawn random number.
    @inline(__always)
    func sample(bits r: UInt64) -> Int {
        Int(table[Int(truncatingIfNeeded: r >> UInt64(64 - ZipfSampler.bits))])
    }
}

/// A fixed list of byte strings packed into one immortal buffer, so the hot loop can copy words without
/// reference-counting traffic (an `[[UInt8]]` retains and releases the inner array on every access).
struct FlatStrings: @unchecked Sendable {
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    private let starts: UnsafeMutableBufferPointer<Int>
    let count: Int

    init(_ strings: [String]) {
        let all = strings.map { Array($0.utf8) }
        let total = all.reduce(0) { $0 + $1.count }
        bytes = .allocate(capacity: max(total, 1))
        starts = .allocate(capacity: all.count + 1)
        var at = 0
        for (i, s) in all.enumerated() {
            starts[i] = at
            for b in s { bytes[at] = b; at += 1 }
        }
        starts[all.count] = at
        count = all.count
    }

    /// The bytes of string `i` (valid for the life of the process: these tables are never freed).
    @inline(__always)
    subscript(i: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: UnsafeBufferPointer(bytes)[starts[i]..<starts[i + 1]])
    }
}

/// Short strings (at most 15 UTF-8 bytes) in fixed 16-byte slots — length byte, then the bytes — so a word is
/// copied with one 16-byte move. Used for the vocabulary in the generator's hot loop.
struct PackedWords: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<UInt8>
    let count: Int

    init(_ words: [String]) {
        count = words.count
        slots = .allocate(capacity: (words.count + 2) * 16)
        slots.initialize(repeating: 0, count: (words.count + 2) * 16)
        for (i, w) in words.enumerated() {
            let bytes = Array(w.utf8)
            precondition(bytes.count <= 15, "vocabulary word too long for a 16-byte slot: \(w)")
            slots[i * 16] = UInt8(bytes.count)
            for (k, b) in bytes.enumerated() { slots[i * 16 + 1 + k] = b }
        }
    }

    /// Copies word `i` to `dest` (which must have 16 writable bytes) and returns its length.
    @inline(__always)
    func copy(_ i: Int, to dest: UnsafeMutablePointer<UInt8>) -> Int {
        let slot = slots + i * 16
        UnsafeMutableRawPointer(dest).copyMemory(from: slot + 1, byteCount: 16)
        return Int(slot[0])
    }
}
