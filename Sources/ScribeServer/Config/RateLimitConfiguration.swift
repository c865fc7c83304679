/// `[security.rate_limit]`: a token bucket per client.
public struct RateLimitConfiguration: Sendable, Equatable {
    public var enabled = false
    /// Tokens added per second (the sustained rate), greater than 0.
    public var requestsPerSecond = 100.0
    /// Bucket capacity: requests allowed at once, at least 1.
    public var burst = 200

    public init(enabled: Bool = false, requestsPerSecond: Double = 100, burst: Int = 200) {
        self.enabled = enabled
        self.requestsPerSecond = requestsPerSecond
        self.burst = burst
    }

    init(reading settings: SettingReader) throws {
        enabled = try settings.boolean("security.rate_limit.enabled")
        requestsPerSecond = try settings.positiveDouble("security.rate_limit.requests_per_second")
        burst = try settings.integer("security.rate_limit.burst")
    }
}
