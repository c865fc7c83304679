import LSMEngine

/// Callers waiting for a counter that only grows (a replicated sequence, a
/// published version) to reach their target, each until `timeout` after it
/// started waiting. The owner calls `advance` as progress is made and runs
/// `expireOverdue()` in one task, which sleeps until the earliest deadline, so
/// no timer task exists per waiter and a deadline fires when the clock passes it.
///
/// Every waiter gets the same timeout on a clock that only moves forward, so
/// deadlines grow with the order waiters arrive in: the earliest live one is
/// the oldest waiter still waiting, found in amortised constant time.
final class ProgressWaiters: Sendable {
    private struct Waiter {
        let target: UInt64
        /// On `timeline`.
        let deadline: Duration
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var reached: UInt64
        /// By arrival, which is also deadline order.
        var waiters: [UInt64: Waiter] = [:]
        var nextID: UInt64 = 0
        /// No waiter older than this one is still waiting.
        var oldestID: UInt64 = 1
        var closedError: DurableTierError?

        /// The oldest waiter still waiting, skipping those already released.
        mutating func oldest() -> Waiter? {
            while oldestID <= nextID {
                if let waiter = waiters[oldestID] { return waiter }
                oldestID += 1
            }
            return nil
        }
    }

    private let state: Locked<State>
    private let timeline: Timeline
    private let timeout: Duration
    /// What a waiter past its deadline is failed with.
    private let timeoutError: @Sendable (UInt64) -> DurableTierError

    init(
        reached: UInt64, timeout: Duration, timeline: Timeline,
        timeoutError: @escaping @Sendable (UInt64) -> DurableTierError
    ) {
        state = Locked(State(reached: reached))
        self.timeout = timeout
        self.timeline = timeline
        self.timeoutError = timeoutError
    }

    /// Waiters currently blocked.
    var count: Int { state.withLock { $0.waiters.count } }

    /// Returns once the counter reaches `target`; throws the timeout error once
    /// `timeout` has passed on the clock.
    func wait(for target: UInt64) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outcome = state.withLock { s -> Result<Void, any Error>? in
                if s.reached >= target { return .success(()) }
                if let closed = s.closedError { return .failure(closed) }
                s.nextID += 1
                // Read under the lock, so deadlines grow with `nextID`.
                s.waiters[s.nextID] = Waiter(
                    target: target, deadline: timeline.now() + timeout, continuation: continuation)
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

    /// Fails each waiter once its deadline has passed, until the calling task
    /// is cancelled. With nobody waiting it sleeps `timeout` (at least 1 ms): a
    /// waiter arriving meanwhile has a deadline no earlier than that wake-up.
    func expireOverdue() async {
        while true {
            let now = timeline.now()
            let overdue = state.withLock { s -> [Waiter] in
                var overdue: [Waiter] = []
                while let oldest = s.oldest(), oldest.deadline <= now {
                    s.waiters[s.oldestID] = nil
                    overdue.append(oldest)
                }
                return overdue
            }
            for waiter in overdue { waiter.continuation.resume(throwing: timeoutError(waiter.target)) }
            let wake = state.withLock { s in s.oldest()?.deadline } ?? now + max(timeout, .milliseconds(1))
            do {
                try await timeline.sleep(until: wake)
            } catch {
                return
            }
        }
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
