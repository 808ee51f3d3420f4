import CHyperscan
import Foundation
@testable import ScanEngine
import Testing

/// Databases deserialised into one shared huge-page block (`HyperscanDatabase.deserialise(_:arenaMinimum:)`) must
/// match exactly as the databases Hyperscan deserialises into memory of its own.
@Suite struct DatabaseArenaTests {
    /// Every (id, end offset) a database reports on `text`, in report order.
    func matches(_ db: HyperscanDatabase, _ text: String) -> [[UInt64]] {
        final class Box { var hits: [[UInt64]] = [] }
        let box = Box()
        let scratch = db.makeScratch()
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { raw in
            db.scan(raw, scratch: scratch, context: Unmanaged.passUnretained(box).toOpaque()) { id, _, to, _, ctx in
                Unmanaged<Box>.fromOpaque(ctx!).takeUnretainedValue().hits.append([UInt64(id), to])
                return 0
            }
        }
        return box.hits
    }

    @Test func databasesInOneArenaMatchAsHyperscansOwnCopies() throws {
        let sets: [[String]] = [["slap", "k[i1]ll"], ["b+itch", "\\bpunch\\b", "rap(e|ist)"], ["x"]]
        let originals = try sets.map { exprs in
            try HyperscanDatabase.compile(exprs.enumerated().map {
                HyperscanExpression(expression: $0.element, flags: UInt32(HS_FLAG_CASELESS), id: UInt32($0.offset)) })
        }
        let serialised = originals.map { $0.serialise()! }
        let text = "I'll SLAP you, k1ll him; bbbitch! a punch, rapist and rape. x"
        try serialised.withBuffers { blobs in
            let arena = try #require(HyperscanDatabase.deserialise(blobs, arenaMinimum: 0))
            let own = try #require(HyperscanDatabase.deserialise(blobs, arenaMinimum: .max))
            #expect(arena.count == 3 && own.count == 3)
            for k in 0..<3 {
                let expected = matches(originals[k], text)
                #expect(!expected.isEmpty)
                #expect(matches(arena[k], text) == expected)
                #expect(matches(own[k], text) == expected)
            }
        }
    }

    @Test func aTruncatedOrEmptyBlobRejectsTheWholeSet() throws {
        let db = try HyperscanDatabase.compile([HyperscanExpression(expression: "slap", flags: 0, id: 0)])
        let good = db.serialise()!
        for minimum in [0, Int.max] {
            [good, Array(good.prefix(good.count / 2))].withBuffers { #expect(HyperscanDatabase.deserialise($0, arenaMinimum: minimum) == nil) }
            [good, []].withBuffers { #expect(HyperscanDatabase.deserialise($0, arenaMinimum: minimum) == nil) }
            [good, good].withBuffers { #expect(HyperscanDatabase.deserialise($0, arenaMinimum: minimum)?.count == 2) }
        }
    }
}

extension Array where Element == [UInt8] {
    /// Calls `body` with a raw buffer over each byte array (all valid during the call).
    func withBuffers<R>(_ body: ([UnsafeRawBufferPointer]) throws -> R) rethrows -> R {
        func go(_ k: Int, _ acc: [UnsafeRawBufferPointer]) throws -> R {
            if k == count { return try body(acc) }
            return try self[k].withUnsafeBytes { try go(k + 1, acc + [$0]) }
        }
        return try go(0, [])
    }
}
