/// Delays between attempts of a background upload that keeps failing:
/// doubling from 100 ms to at most 2 s, with full jitter, slept on the tier's clock.
struct Backoff {
    private let timeline: Timeline
    private var attempt = 0

    init(timeline: Timeline) {
        self.timeline = timeline
    }

    mutating func reset() { attempt = 0 }

    mutating func next() -> Duration {
        let ceiling = min(2_000, 100 << min(attempt, 5))
        attempt += 1
        return .milliseconds(Int.random(in: ceiling / 2...ceiling))
    }

    /// Sleeps the next delay, or less when the calling task is cancelled meanwhile.
    mutating func pause() async {
        try? await timeline.sleep(for: next())
    }
}
