import Hummingbird
import HummingbirdTesting
import ScribeTestSupport
import Testing
@testable import ScribeServer

@Suite struct SecurityRateLimitTests {
    typealias F = SecurityFixture

    @Test func burstIsAllowedThenLimitedWithRetryAfter() {
        let limiter = TokenBucketLimiter(rate: 1, burst: 3, clock: ManualClock())
        for _ in 0..<3 { #expect(limiter.take(client: "a") == .allowed) }
        #expect(limiter.take(client: "a") == .limited(retryAfter: 1))
    }

    @Test func tokensRefillAtTheRateUpToTheBurst() {
        let clock = ManualClock()
        let limiter = TokenBucketLimiter(rate: 2, burst: 2, clock: clock)
        #expect(limiter.take(client: "a") == .allowed)
        #expect(limiter.take(client: "a") == .allowed)
        #expect(limiter.take(client: "a") == .limited(retryAfter: 1))
        clock.advance(by: .milliseconds(500))
        #expect(limiter.take(client: "a") == .allowed)
        #expect(limiter.take(client: "a") == .limited(retryAfter: 1))
        // A long idle period refills only up to the burst.
        clock.advance(by: .seconds(60))
        #expect(limiter.take(client: "a") == .allowed)
        #expect(limiter.take(client: "a") == .allowed)
        #expect(limiter.take(client: "a") == .limited(retryAfter: 1))
    }

    @Test func bucketsRefillByTheClockAloneAndNotBeforeATokenIsWhole() {
        let clock = ManualClock()
        let limiter = TokenBucketLimiter(rate: 10, burst: 1, clock: clock)
        #expect(limiter.take(client: "a") == .allowed)
        #expect(limiter.take(client: "a") == .limited(retryAfter: 1))
        // However long the test takes in real time, only the manual clock refills.
        clock.advance(by: .milliseconds(99))
        #expect(limiter.take(client: "a") == .limited(retryAfter: 1))
        clock.advance(by: .milliseconds(1))
        #expect(limiter.take(client: "a") == .allowed)
        #expect(limiter.take(client: "a") == .limited(retryAfter: 1))
    }

    @Test func retryAfterIsTheWholeSecondsUntilTheNextToken() {
        let clock = ManualClock()
        let limiter = TokenBucketLimiter(rate: 0.25, burst: 1, clock: clock)
        #expect(limiter.take(client: "a") == .allowed)
        #expect(limiter.take(client: "a") == .limited(retryAfter: 4))
        clock.advance(by: .milliseconds(1500))
        #expect(limiter.take(client: "a") == .limited(retryAfter: 3))
        clock.advance(by: .milliseconds(2500))
        #expect(limiter.take(client: "a") == .allowed)
    }

    /// Two callers read the clock, and the later reading takes the lock first.
    @Test func aReadingOlderThanTheBucketAddsNoTokens() {
        let limiter = TokenBucketLimiter(rate: 1, burst: 1, clock: ManualClock())
        #expect(limiter.take(client: "a", at: .seconds(30)) == .allowed)
        #expect(limiter.take(client: "a", at: .zero) == .limited(retryAfter: 1))
    }

    @Test func clientsHaveSeparateBuckets() {
        let limiter = TokenBucketLimiter(rate: 1, burst: 1, clock: ManualClock())
        #expect(limiter.take(client: "a") == .allowed)
        #expect(limiter.take(client: "a") != .allowed)
        #expect(limiter.take(client: "b") == .allowed)
        #expect(limiter.take(client: "b") != .allowed)
    }

    @Test func bucketCountStaysBounded() {
        let limiter = TokenBucketLimiter(rate: 1, burst: 5, maxClients: 8, clock: ManualClock())
        for client in 0..<1000 {
            #expect(limiter.take(client: "client-\(client)") == .allowed)
            #expect(limiter.trackedClients <= 8)
        }
    }

    @Test func idleFullBucketsAreEvictedBeforeActiveOnes() {
        let clock = ManualClock()
        let limiter = TokenBucketLimiter(rate: 1, burst: 2, maxClients: 3, clock: clock)
        #expect(limiter.take(client: "idle-1") == .allowed)
        #expect(limiter.take(client: "idle-2") == .allowed)
        clock.advance(by: .seconds(10))
        #expect(limiter.take(client: "busy") == .allowed)
        #expect(limiter.take(client: "busy") == .allowed)
        // The table is full: the newcomer evicts the two refilled buckets, not "busy".
        #expect(limiter.take(client: "new") == .allowed)
        #expect(limiter.trackedClients == 2)
        #expect(limiter.take(client: "busy") == .limited(retryAfter: 1))
    }

    @Test func middlewareAnswers429WithRetryAfterThenRecovers() async throws {
        let clock = ManualClock()
        let limiter = TokenBucketLimiter(rate: 1, burst: 2, clock: clock)
        try await Application(router: F.router(limiter: limiter)).test(.router) { client in
            for _ in 0..<2 {
                try await client.execute(uri: "/kv/a", method: .get, headers: F.bearer(F.readKey)) { (response: TestResponse) async throws in
                    #expect(response.status == .ok)
                }
            }
            try await client.execute(uri: "/kv/a", method: .get, headers: F.bearer(F.readKey)) { (response: TestResponse) async throws in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter] == "1")
                #expect(try F.errorCode(response.body) == "rate_limited")
            }
            // Another client is unaffected.
            try await client.execute(uri: "/kv/a", method: .get, headers: F.bearer(F.writeKey)) { (response: TestResponse) async throws in
                #expect(response.status == .ok)
            }
            clock.advance(by: .seconds(1))
            try await client.execute(uri: "/kv/a", method: .get, headers: F.bearer(F.readKey)) { (response: TestResponse) async throws in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func refusedAuthenticationDoesNotSpendTokens() async throws {
        let limiter = TokenBucketLimiter(rate: 1, burst: 1, clock: ManualClock())
        try await Application(router: F.router(limiter: limiter)).test(.router) { client in
            for _ in 0..<3 {
                try await client.execute(uri: "/kv/a", method: .get, headers: F.bearer("wrong")) { (response: TestResponse) async throws in
                    #expect(response.status == .unauthorized)
                }
            }
            #expect(limiter.trackedClients == 0)
            try await client.execute(uri: "/kv/a", method: .get, headers: F.bearer(F.readKey)) { (response: TestResponse) async throws in
                #expect(response.status == .ok)
            }
        }
    }
}
