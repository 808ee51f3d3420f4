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
        return "Sender-" + mac.prefix(4).map { String(format: "%02x", $0) }.joined()
    }

    /// A chat name with every known sender name inside it replaced (longest names first), so that
    /// "WhatsApp Chat with Alice" does not give the name away.
    public func chatName(_ chat: String?, senders: [String]) -> String? {
        guard let chat, keyData != nil else { return chat }
        var out = chat
        for s in senders.sorted(by: { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }) where s.count >= 2 {
            if out.contains(s) { out = out.replacingOccurrences(of: s, with: pseudonym(s)) }
        }
        return out
    }
}
