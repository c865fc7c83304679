/// One configured API key. Only the SHA-256 of the secret is configured, so a
/// leaked configuration file does not leak the keys.
public struct APIKeyEntry: Sendable, Equatable {
    /// Unique name, shown in the audit log: 1 to 64 letters, digits, '.', '_' or '-'.
    public var name: String
    /// SHA-256 of the secret key, as 64 lowercase hex digits.
    public var sha256: String
    public var role: Role

    public init(name: String, sha256: String, role: Role) {
        self.name = name
        self.sha256 = sha256
        self.role = role
    }
}
