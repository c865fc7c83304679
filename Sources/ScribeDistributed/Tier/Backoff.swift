/// Delays between attempts of a background upload that keeps failing:
/// doubling from 100 ms to at most 2 s, with full jitter.
struct Backoff {
    private var attempt = 0

    mutating func reset() { attempt = 0 }

    mutating func next() -> Duration {
        let ceiling = min(2_000, 100 << min(attempt, 5))
        attempt += 1
        return .milliseconds(Int.random(in: ceiling / 2...ceiling))
    }
}
