/// When and how long an S3 request waits before trying again: exponential
/// backoff with full jitter (a uniformly random delay up to the exponential cap),
/// on 5xx and 429 answers and on transport failures, never on other 4xx. The
/// delays are slept on the store's clock.
struct S3RetryPolicy: Sendable {
    /// Attempts per request, the first included (at least 1).
    let maxAttempts: Int
    let baseBackoff: Duration
    let maxBackoff: Duration
    private let timeline: Timeline

    init(maxAttempts: Int, baseBackoff: Duration, maxBackoff: Duration, clock: any Clock<Duration>) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseBackoff = max(baseBackoff, .zero)
        self.maxBackoff = max(maxBackoff, .zero)
        timeline = Timeline(clock)
    }

    /// True for answers worth repeating: server errors (500, 503 `SlowDown`, …) and 429.
    static func isRetryable(status: Int) -> Bool {
        status >= 500 || status == 429
    }

    /// The cap before retry `retry` (1 for the first retry): `min(maxBackoff, baseBackoff × 2^(retry-1))`.
    func cap(beforeRetry retry: Int) -> Duration {
        let doublings = min(max(retry - 1, 0), 30)
        let cap = baseBackoff * (1 << doublings)
        return min(cap, maxBackoff)
    }

    /// A random delay in `0...cap(beforeRetry:)` (full jitter).
    func delay(beforeRetry retry: Int) -> Duration {
        let cap = cap(beforeRetry: retry)
        let nanoseconds = cap.components.seconds * 1_000_000_000 + cap.components.attoseconds / 1_000_000_000
        guard nanoseconds > 0 else { return .zero }
        return .nanoseconds(Int64.random(in: 0...nanoseconds))
    }

    /// Sleeps `delay`; throws `CancellationError` when the calling task is cancelled first.
    func sleep(_ delay: Duration) async throws {
        try await timeline.sleep(for: delay)
    }
}
