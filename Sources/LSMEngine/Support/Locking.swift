#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pthread mutex that condition variables can wait on. `Synchronization.Mutex`
/// cannot be waited on, and the write path needs waiting (group commit, stalls).
package final class ConditionMutex: @unchecked Sendable {
    fileprivate let mutex: UnsafeMutablePointer<pthread_mutex_t>

    package init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    package func lock() { pthread_mutex_lock(mutex) }
    package func unlock() { pthread_mutex_unlock(mutex) }

    package func withLock<R>(_ body: () throws -> R) rethrows -> R {
        lock()
        defer { unlock() }
        return try body()
    }
}

/// A condition variable bound to callers holding a `ConditionMutex`.
package final class Condition: @unchecked Sendable {
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    package init() {
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        condition.deallocate()
    }

    /// Atomically releases `mutex` and sleeps until signalled; holds `mutex` again on return.
    /// Wake-ups may be spurious: callers re-check their predicate in a loop.
    package func wait(_ mutex: ConditionMutex) { pthread_cond_wait(condition, mutex.mutex) }
    /// `wait(_:)`, but returns after `seconds` at the latest (measured on the
    /// real-time clock, as `pthread_cond_timedwait` does): false when it
    /// returned because the time was up.
    @discardableResult
    package func wait(_ mutex: ConditionMutex, seconds: Double) -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let nanoseconds = Int(now.tv_nsec) + Int(seconds.truncatingRemainder(dividingBy: 1) * 1e9)
        var deadline = timespec()
        deadline.tv_sec = now.tv_sec + Int(seconds) + nanoseconds / 1_000_000_000
        deadline.tv_nsec = nanoseconds % 1_000_000_000
        return pthread_cond_timedwait(condition, mutex.mutex, &deadline) != ETIMEDOUT
    }
    package func signal() { pthread_cond_signal(condition) }
    package func broadcast() { pthread_cond_broadcast(condition) }
}

/// A value guarded by a pthread mutex: the engine's replacement for
/// `Synchronization.Mutex`, with the same `withLock` shape.
///
/// Why not `Synchronization.Mutex`: on Linux it locks with atomics and futexes
/// inside the uninstrumented Synchronization library, so ThreadSanitizer never
/// sees the lock and reports every access it guards as a race (see
/// docs/design.md, Testing). pthread mutexes are intercepted by the sanitizer.
/// Cost: the same uncontended compare-and-swap in glibc, plus two allocations
/// per lock at creation.
package final class Locked<Value>: @unchecked Sendable {
    private let mutex = ConditionMutex()
    /// Out of line so access needs no dynamic exclusivity check: the mutex is the guard.
    private let value: UnsafeMutablePointer<Value>

    package init(_ initial: Value) {
        value = .allocate(capacity: 1)
        value.initialize(to: initial)
    }

    deinit {
        value.deinitialize(count: 1)
        value.deallocate()
    }

    /// Runs `body` with exclusive access to the value.
    package func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        mutex.lock()
        defer { mutex.unlock() }
        return try body(&value.pointee)
    }
}
