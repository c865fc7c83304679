/// `[security]`: authentication, TLS, rate limiting and the audit log.
public struct SecurityConfiguration: Sendable, Equatable {
    /// Acknowledges that a non-loopback listener without API keys is intended.
    public var insecure = false
    /// With at least one key every request must present one; with none, no key is asked for.
    public var apiKeys: [APIKeyEntry] = []
    /// Audit log file; empty means `<data_dir>/audit.log` (see `NodeConfiguration.auditLogPath`).
    public var auditLog = ""
    public var tls = TLSSettings()
    public var rateLimit = RateLimitConfiguration()

    public init() {}

    init(reading settings: SettingReader) throws {
        insecure = try settings.boolean("security.insecure")
        apiKeys = try settings.apiKeys("security.api_keys")
        auditLog = try settings.string("security.audit_log")
        tls = try TLSSettings(reading: settings)
        rateLimit = try RateLimitConfiguration(reading: settings)
    }
}
