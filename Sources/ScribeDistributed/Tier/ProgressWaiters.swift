import Synchronization

/// Callers waiting for a counter that only grows (a replicated sequence, a
/// published version) to reach their target, each with a deadline. The owner
/// calls `advance` as progress is made and `expireOverdue` on a short tick, so
/// no timer task exists per waiter.
final class ProgressWaiters: Sendable {
    private struct Waiter {
        let target: UInt64
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var reached: UInt64
        var waiters: [UInt64: Waiter] = [:]
        var nextID: UInt64 = 0
        var closedError: DurableTierError?
    }

    private let state: Mutex<State>
    /// What a waiter past its deadline is failed with.
    private let timeoutError: @Sendable (UInt64) -> DurableTierError

    init(reached: UInt64, timeoutError: @escaping @Sendable (UInt64) -> DurableTierError) {
        state = Mutex(State(reached: reached))
        self.timeoutError = timeoutError
    }

    /// The value reached so far.
    var reached: UInt64 { state.withLock { $0.reached } }

    /// Waiters currently blocked.
    var count: Int { state.withLock { $0.waiters.count } }

    /// Returns once the counter reaches `target`; throws the timeout error after `timeout`.
    func wait(for target: UInt64, timeout: Duration) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outcome = state.withLock { s -> Result<Void, any Error>? in
                if s.reached >= target { return .success(()) }
                if let closed = s.closedError { return .failure(closed) }
                s.nextID += 1
                s.waiters[s.nextID] = Waiter(
                    target: target, deadline: .now + timeout, continuation: continuation)
                return nil
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    /// Records progress to `value` and releases every waiter it satisfies.
    func advance(to value: UInt64) {
        let ready = state.withLock { s -> [Waiter] in
            guard value > s.reached else { return [] }
            s.reached = value
            return take(&s) { $0.target <= value }
        }
        for waiter in ready { waiter.continuation.resume() }
    }

    /// Fails every waiter whose target is at most `target` (their data will not arrive).
    func fail(through target: UInt64, _ error: DurableTierError) {
        let doomed = state.withLock { s in take(&s) { $0.target <= target } }
        for waiter in doomed { waiter.continuation.resume(throwing: error) }
    }

    /// Fails the waiters whose deadline has passed.
    func expireOverdue() {
        let now = ContinuousClock.now
        let overdue = state.withLock { s in take(&s) { $0.deadline <= now } }
        for waiter in overdue { waiter.continuation.resume(throwing: timeoutError(waiter.target)) }
    }

    /// Fails every waiter, now and later, with `error`.
    func close(_ error: DurableTierError) {
        let all = state.withLock { s -> [Waiter] in
            s.closedError = error
            return take(&s) { _ in true }
        }
        for waiter in all { waiter.continuation.resume(throwing: error) }
    }

    private func take(_ s: inout State, where matches: (Waiter) -> Bool) -> [Waiter] {
        let ids = s.waiters.filter { matches($0.value) }.map(\.key)
        return ids.compactMap { s.waiters.removeValue(forKey: $0) }
    }
}
