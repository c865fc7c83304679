#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Microseconds from the monotonic clock: what db_bench's `NowMicros` measures,
/// without wall-clock jumps. One `clock_gettime` call (a vDSO read on Linux).
enum BenchClock {
    static func nowMicros() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000 &+ UInt64(spec.tv_nsec / 1000)
    }

    /// Microseconds since the Unix epoch, used to derive a seed when `--seed=0`.
    static func wallMicros() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000 &+ UInt64(spec.tv_nsec / 1000)
    }
}
