/// What a holder of an API key may do.
public enum APIKeyRole: String, Sendable, Equatable, CaseIterable {
    /// Reads, listings, proofs.
    case read
    /// Reads and writes (puts, deletes, batches).
    case readWrite = "read-write"
    /// Everything, including cluster and maintenance actions.
    case admin
}

/// One configured API key. Only the SHA-256 of the secret is configured, so a
/// leaked configuration file does not leak the keys.
public struct APIKeyEntry: Sendable, Equatable {
    /// Unique name, shown in the audit log: 1 to 64 letters, digits, '.', '_' or '-'.
    public var name: String
    /// SHA-256 of the secret key, as 64 lowercase hex digits.
    public var sha256: String
    public var role: APIKeyRole

    public init(name: String, sha256: String, role: APIKeyRole) {
        self.name = name
        self.sha256 = sha256
        self.role = role
    }
}
