#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One benchmark thread's state, like db_bench's `ThreadState`: its index, its
/// `Random64` (mt19937_64 seeded `seed + n`, n counting every thread started
/// so far, as db_bench does) and its figures. Only its own thread touches it
/// between `BenchThreads.run` starting and joining it.
final class BenchThread: @unchecked Sendable {
    let index: Int
    var random: MersenneTwister64
    var stats: BenchStats

    init(index: Int, seed: UInt64, histogram: Bool) {
        self.index = index
        random = MersenneTwister64(seed: seed)
        stats = BenchStats(recordLatency: histogram)
    }
}

/// Starts pthreads that wait at a common gate, opens the gate once all are
/// ready (so every thread's clock starts together, as in db_bench's
/// `RunBenchmark`), and joins them.
enum BenchThreads {
    private final class Gate: @unchecked Sendable {
        private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        private var ready = 0
        private var open = false

        init() {
            mutex.initialize(to: pthread_mutex_t())
            condition.initialize(to: pthread_cond_t())
            pthread_mutex_init(mutex, nil)
            pthread_cond_init(condition, nil)
        }

        deinit {
            pthread_cond_destroy(condition)
            pthread_mutex_destroy(mutex)
            condition.deallocate()
            mutex.deallocate()
        }

        /// Called by each thread: counts it ready and blocks until `release`.
        func arriveAndWait() {
            pthread_mutex_lock(mutex)
            ready += 1
            pthread_cond_broadcast(condition)
            while !open { pthread_cond_wait(condition, mutex) }
            pthread_mutex_unlock(mutex)
        }

        /// Called by the coordinator: waits for `count` ready threads, then opens.
        func release(after count: Int) {
            pthread_mutex_lock(mutex)
            while ready < count { pthread_cond_wait(condition, mutex) }
            open = true
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
        }
    }

    private final class Start: @unchecked Sendable {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Runs `body` once per element of `threads`, each on its own pthread, all
    /// released together; returns when every one has finished.
    static func run(_ threads: [BenchThread], _ body: @escaping @Sendable (BenchThread) -> Void) {
        let gate = Gate()
        var handles: [pthread_t] = []
        for thread in threads {
            let start = Start {
                gate.arriveAndWait()
                body(thread)
            }
            var handle = pthread_t()
            let status = pthread_create(&handle, nil, { raw in
                guard let raw else { return nil }
                Unmanaged<Start>.fromOpaque(raw).takeRetainedValue().body()
                return nil
            }, Unmanaged.passRetained(start).toOpaque())
            guard status == 0 else {
                Console.err("scribe-bench: cannot start a thread (errno \(status))\n")
                exit(1)
            }
            handles.append(handle)
        }
        gate.release(after: threads.count)
        for handle in handles { pthread_join(handle, nil) }
    }
}
