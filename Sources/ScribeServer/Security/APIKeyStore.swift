import LSMEngine
import ScribeCrypto

/// The configured API keys, held only as SHA-256 digests: the configuration never
/// contains a usable key, and a presented token is hashed before any comparison.
///
/// `identify` compares the token's digest with every configured digest in constant
/// time (no early exit on the first differing byte, and every key is compared even
/// after a match), so the response time does not reveal how much of a digest a
/// guess got right. Cost per call: one SHA-256 of the token plus 32 byte operations
/// per configured key.
public struct APIKeyStore: Sendable {
    private struct Entry: Sendable {
        let name: String
        let digest: [UInt8]
        let role: Role
    }

    private let entries: [Entry]

    /// - Parameter keys: each key's name (what the audit log and the rate limiter call
    ///   the client), the SHA-256 of the key's bytes, and its role. A digest must be
    ///   exactly 32 bytes; configuration loading validates that before building the store.
    public init(keys: [(name: String, sha256: [UInt8], role: Role)]) {
        entries = keys.map { key in
            precondition(key.sha256.count == SHA256.digestSize, "API key '\(key.name)' needs a 32-byte SHA-256 digest")
            return Entry(name: key.name, digest: key.sha256, role: key.role)
        }
    }

    /// The identity whose key is `token`, or nil when no configured key matches.
    /// When several keys share a digest, the first configured one wins.
    public func identify(bearer token: String) -> ClientIdentity? {
        let digest = APIKeyStore.digest(of: token)
        var match: ClientIdentity? = nil
        for entry in entries {
            let equal = APIKeyStore.constantTimeEqual(entry.digest, digest)
            if equal && match == nil { match = ClientIdentity(name: entry.name, role: entry.role) }
        }
        return match
    }

    /// The SHA-256 of `token`'s UTF-8 bytes: what the configuration stores for a key.
    public static func digest(of token: String) -> [UInt8] {
        SHA256.hash(Array(token.utf8))
    }

    /// Whether two equally long byte strings are equal, looking at every byte whatever
    /// the earlier ones were. Lengths are not secret (digests are always 32 bytes).
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
