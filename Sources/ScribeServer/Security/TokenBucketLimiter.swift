import LSMEngine
import ScribeDistributed

/// Per-client token buckets: each client may spend `burst` requests at once, and its
/// bucket refills at `rate` tokens per second up to `burst`.
///
/// Memory is bounded by `maxClients` buckets. When a new client arrives and the table
/// is full, the limiter first drops every bucket that has refilled to `burst` (such a
/// bucket behaves exactly like a fresh one, so dropping it changes no decision). If
/// that frees less than a quarter of the table — more than three quarters of the
/// clients are actively spending — it also drops the least recently used buckets down
/// to three quarters. A sweep costs O(n log n) but then leaves room for n/4 new
/// clients, so the amortised cost per request stays O(log n); a dropped active
/// client merely starts again with a full bucket.
///
/// Thread-safe: one mutex around the table, held for a dictionary lookup and a few
/// floating-point operations (and, rarely, a sweep). Buckets refill by `clock`
/// (`ContinuousClock` unless given), so tests drive them with a manual clock.
public final class TokenBucketLimiter: Sendable {
    /// Whether a request may proceed.
    public enum Decision: Sendable, Equatable {
        case allowed
        /// Denied; a token will be available after this many whole seconds (at least 1).
        case limited(retryAfter: Int)
    }

    private struct Bucket {
        var tokens: Double
        /// When `tokens` was last brought up to date (on `timeline`); also the bucket's last use.
        var updated: Duration
    }

    /// Tokens added per second.
    public let rate: Double
    /// The most tokens a bucket holds: the largest burst a client may send at once.
    public let burst: Double
    /// The most buckets kept at once.
    public let maxClients: Int

    private let buckets: Locked<[String: Bucket]>
    private let timeline: Timeline

    /// - Precondition: `rate > 0`, `burst >= 1`, `maxClients >= 1` (configuration
    ///   validation rejects other values before building a limiter).
    public init(rate: Double, burst: Int, maxClients: Int = 10_000, clock: any Clock<Duration> = ContinuousClock()) {
        precondition(rate > 0 && rate.isFinite, "the rate limit must be a positive number of requests per second")
        precondition(burst >= 1, "the burst must allow at least one request")
        precondition(maxClients >= 1, "the limiter must track at least one client")
        self.rate = rate
        self.burst = Double(burst)
        self.maxClients = maxClients
        buckets = Locked([:])
        timeline = Timeline(clock)
    }

    /// Takes one token from `client`'s bucket: `.allowed` when there was one,
    /// otherwise how long until there will be.
    public func take(client: String) -> Decision {
        take(client: client, at: timeline.now())
    }

    /// `take(client:)` as of `now` on the limiter's timeline. A reading earlier
    /// than the bucket's last update (one taken before a concurrent caller's, but
    /// applied after it) counts as no time passing.
    func take(client: String, at now: Duration) -> Decision {
        buckets.withLock { buckets in
            var bucket: Bucket
            if let existing = buckets[client] {
                bucket = existing
                let elapsed = max(0, (now - bucket.updated).seconds)
                bucket.tokens = min(burst, bucket.tokens + elapsed * rate)
                bucket.updated = max(bucket.updated, now)
            } else {
                if buckets.count >= maxClients { sweep(&buckets, now: now) }
                bucket = Bucket(tokens: burst, updated: now)
            }
            let decision: Decision
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                decision = .allowed
            } else {
                let wait = ((1 - bucket.tokens) / rate).rounded(.up)
                decision = .limited(retryAfter: wait < Double(Int.max) ? max(1, Int(wait)) : Int.max)
            }
            buckets[client] = bucket
            return decision
        }
    }

    /// How many clients currently have a bucket.
    public var trackedClients: Int { buckets.withLock { $0.count } }

    /// Drops full buckets, then if fewer than a quarter of `maxClients` were freed, the
    /// least recently used buckets down to three quarters of `maxClients`.
    private func sweep(_ buckets: inout [String: Bucket], now: Duration) {
        buckets = buckets.filter { _, bucket in
            bucket.tokens + max(0, (now - bucket.updated).seconds) * rate < burst
        }
        let target = maxClients - max(1, maxClients / 4)
        guard buckets.count > target else { return }
        let oldest = buckets.sorted { $0.value.updated < $1.value.updated }.prefix(buckets.count - target)
        for (client, _) in oldest { buckets[client] = nil }
    }
}
