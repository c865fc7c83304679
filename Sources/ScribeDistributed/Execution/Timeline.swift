/// A clock read as the time since one fixed instant of it, so a type that takes
/// `any Clock<Duration>` can keep deadlines and timestamps as plain `Duration`s
/// without knowing the clock's `Instant` type.
///
/// The clock is `ContinuousClock` in production and a manual clock in tests that
/// drive deadlines by hand. Readings only grow (clocks are monotonic).
package struct Timeline: Sendable {
    private let elapsed: @Sendable () -> Duration
    private let sleeper: @Sendable (Duration) async throws -> Void

    /// A timeline starting at `clock.now`.
    package init(_ clock: some Clock<Duration>) {
        let origin = clock.now
        elapsed = { origin.duration(to: clock.now) }
        sleeper = { deadline in try await clock.sleep(until: origin.advanced(by: deadline), tolerance: nil) }
    }

    /// The time since the timeline started.
    package func now() -> Duration { elapsed() }

    /// Returns once the timeline has reached `deadline` (at once when it has);
    /// throws `CancellationError` when the calling task is cancelled first.
    package func sleep(until deadline: Duration) async throws {
        try await sleeper(deadline)
    }

    /// Returns once `duration` has passed; throws `CancellationError` when the
    /// calling task is cancelled first.
    package func sleep(for duration: Duration) async throws {
        try await sleeper(elapsed() + duration)
    }
}
