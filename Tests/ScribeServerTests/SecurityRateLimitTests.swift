import Hummingbird
import HummingbirdTesting
import Testing
@testable import ScribeServer

@Suite struct SecurityRateLimitTests {
    typealias F = SecurityFixture

    @Test func burstIsAllowedThenLimitedWithRetryAfter() {
        let limiter = TokenBucketLimiter(rate: 1, burst: 3)
        let now = ContinuousClock.now
        for _ in 0..<3 { #expect(limiter.take(client: "a", now: now) == .allowed) }
        #expect(limiter.take(client: "a", now: now) == .limited(retryAfter: 1))
    }

    @Test func tokensRefillAtTheRateUpToTheBurst() {
        let limiter = TokenBucketLimiter(rate: 2, burst: 2)
        let start = ContinuousClock.now
        #expect(limiter.take(client: "a", now: start) == .allowed)
        #expect(limiter.take(client: "a", now: start) == .allowed)
        #expect(limiter.take(client: "a", now: start) == .limited(retryAfter: 1))
        #expect(limiter.take(client: "a", now: start + .milliseconds(500)) == .allowed)
        #expect(limiter.take(client: "a", now: start + .milliseconds(500)) == .limited(retryAfter: 1))
        // A long idle period refills only up to the burst.
        let later = start + .seconds(60)
        #expect(limiter.take(client: "a", now: later) == .allowed)
        #expect(limiter.take(client: "a", now: later) == .allowed)
        #expect(limiter.take(client: "a", now: later) == .limited(retryAfter: 1))
    }

    @Test func retryAfterIsTheWholeSecondsUntilTheNextToken() {
        let limiter = TokenBucketLimiter(rate: 0.25, burst: 1)
        let start = ContinuousClock.now
        #expect(limiter.take(client: "a", now: start) == .allowed)
        #expect(limiter.take(client: "a", now: start) == .limited(retryAfter: 4))
        #expect(limiter.take(client: "a", now: start + .milliseconds(1500)) == .limited(retryAfter: 3))
        #expect(limiter.take(client: "a", now: start + .seconds(4)) == .allowed)
    }

    @Test func clockGoingBackwardsAddsNoTokens() {
        let limiter = TokenBucketLimiter(rate: 1, burst: 1)
        let start = ContinuousClock.now
        #expect(limiter.take(client: "a", now: start) == .allowed)
        #expect(limiter.take(client: "a", now: start - .seconds(30)) == .limited(retryAfter: 1))
    }

    @Test func clientsHaveSeparateBuckets() {
        let limiter = TokenBucketLimiter(rate: 1, burst: 1)
        let now = ContinuousClock.now
        #expect(limiter.take(client: "a", now: now) == .allowed)
        #expect(limiter.take(client: "a", now: now) != .allowed)
        #expect(limiter.take(client: "b", now: now) == .allowed)
        #expect(limiter.take(client: "b", now: now) != .allowed)
    }

    @Test func bucketCountStaysBounded() {
        let limiter = TokenBucketLimiter(rate: 1, burst: 5, maxClients: 8)
        let now = ContinuousClock.now
        for client in 0..<1000 {
            #expect(limiter.take(client: "client-\(client)", now: now) == .allowed)
            #expect(limiter.trackedClients <= 8)
        }
    }

    @Test func idleFullBucketsAreEvictedBeforeActiveOnes() {
        let limiter = TokenBucketLimiter(rate: 1, burst: 2, maxClients: 3)
        let start = ContinuousClock.now
        #expect(limiter.take(client: "idle-1", now: start) == .allowed)
        #expect(limiter.take(client: "idle-2", now: start) == .allowed)
        let later = start + .seconds(10)
        #expect(limiter.take(client: "busy", now: later) == .allowed)
        #expect(limiter.take(client: "busy", now: later) == .allowed)
        // The table is full: the newcomer evicts the two refilled buckets, not "busy".
        #expect(limiter.take(client: "new", now: later) == .allowed)
        #expect(limiter.trackedClients == 2)
        #expect(limiter.take(client: "busy", now: later) == .limited(retryAfter: 1))
    }

    @Test func middlewareAnswers429WithRetryAfterThenRecovers() async throws {
        let clock = ManualClock()
        let limiter = TokenBucketLimiter(rate: 1, burst: 2)
        try await Application(router: F.router(limiter: limiter, clock: clock)).test(.router) { client in
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
        let limiter = TokenBucketLimiter(rate: 1, burst: 1)
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
