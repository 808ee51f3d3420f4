import ChatModel
import Crypto
import Foundation

/// Replaces sender names with stable pseudonyms for policy and HR audiences: `Sender-<first 8 hex digits of
/// HMAC-SHA256(key, name)>`. The same key gives the same pseudonym in every report and run; another key gives
/// unrelated ones. Without a key names pass through unchanged.
public struct Pseudonymiser: Sendable {
    private let keyData: Data?

    public init(key: String?) {
        self.keyData = key.map { Data($0.utf8) }
    }

    public var isActive: Bool { keyData != nil }

    /// The pseudonym for a sender name (nil stays nil).
    public func pseudonym(_ name: String?) -> String? {
        guard let name else { return nil }
        return pseudonym(name)
    }

    public func pseudonym(_ name: String) -> String {
        guard let keyData else { return name }
        let mac = HMAC<SHA256>.authenticationCode(for: Data(name.utf8), using: SymmetricKey(data: keyData))
        return "Sender-" + Hex.string(mac.prefix(4))
    }

    /// A chat name (or file path) with every known sender name inside it replaced as a whole word (longest names
    /// first), so that "WhatsApp Chat with Alice" does not give the name away but "Alpha Team" survives "Al".
    public func chatName(_ chat: String?, senders: [String]) -> String? {
        guard let chat, keyData != nil else { return chat }
        return NameReplacer(senders: senders).replace(in: chat, with: pseudonym)
    }
}

/// Replaces whole-word occurrences of known names in a text (one regular expression for all names).
struct NameReplacer {
    private let pattern: NSRegularExpression?

    init(senders: [String]) {
        let names = Set(senders.filter { $0.count >= 2 })
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
        pattern = names.isEmpty ? nil : try? NSRegularExpression(
            pattern: "(?<![\\p{L}\\p{N}])(?:" + names.map(NSRegularExpression.escapedPattern(for:)).joined(separator: "|")
                + ")(?![\\p{L}\\p{N}])")
    }

    func replace(in text: String, with pseudonym: (String) -> String) -> String {
        guard let pattern else { return text }
        let matches = pattern.matches(in: text, range: NSRange(text.startIndex..<text.endIndex, in: text))
        guard !matches.isEmpty else { return text }
        var out = ""
        var pos = text.startIndex
        for m in matches {
            guard let r = Range(m.range, in: text) else { continue }
            out += text[pos..<r.lowerBound]
            out += pseudonym(String(text[r]))
            pos = r.upperBound
        }
        return out + text[pos...]
    }
}
