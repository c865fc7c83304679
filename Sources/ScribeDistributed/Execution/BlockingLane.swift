#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LSMEngine
import NIOCore

/// Threads of its own for one kind of blocking work (one lane of a `NodeExecutor`):
/// jobs run in the order submitted on at most `threads` threads, so work queued
/// here waits only behind work of the same lane, never behind another lane's.
///
/// Threads start when jobs are queued and no idle thread is left, and end after
/// `lingerSeconds` without a job, so a lane nobody uses holds no thread and needs
/// no shutdown. A job costs one lock, one queue slot and, when a thread is idle,
/// one condition signal. The lane is also a `TaskExecutor`: a task started with
/// it as its preference (SE-0417) runs its jobs here instead of on Swift's pool.
public final class BlockingLane: TaskExecutor {
    /// The most threads the lane runs at once.
    public let threads: Int
    private let workers: Workers

    /// How long a thread waits for a job before it ends.
    static let lingerSeconds = 10.0

    /// A lane of at most `threads` threads (at least one).
    public init(threads: Int) {
        self.threads = max(1, threads)
        workers = Workers(limit: self.threads)
    }

    /// Runs `body` on one of the lane's threads and returns what it returned or
    /// threw. The calling task is suspended meanwhile: it holds no thread.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            submit { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Queues `job` to run on one of the lane's threads.
    public func submit(_ job: @escaping @Sendable () -> Void) {
        workers.submit(job)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        submit { job.runSynchronously(on: executor) }
    }
}

/// The queue and threads behind a `BlockingLane`; its threads hold it while they run.
private final class Workers: @unchecked Sendable {
    private let limit: Int
    private let mutex = ConditionMutex()
    private let wake = Condition()
    /// Guarded by `mutex`, as are `running` and `idle`.
    private var jobs = CircularBuffer<@Sendable () -> Void>()
    /// Threads started and not yet ended.
    private var running = 0
    /// Threads waiting for a job.
    private var idle = 0

    init(limit: Int) {
        self.limit = limit
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        mutex.lock()
        jobs.append(job)
        if idle > 0 { wake.signal() }
        let start = jobs.count > idle && running < limit
        if start { running += 1 }
        mutex.unlock()
        guard start, !startThread() else { return }
        mutex.lock()
        running -= 1
        let stranded = running == 0
        mutex.unlock()
        // No thread could be started and none runs: the caller runs the queue.
        if stranded { work(lingering: false) }
    }

    /// Runs jobs until none is queued and, when `lingering`, none arrived for `lingerSeconds`.
    private func work(lingering: Bool) {
        mutex.lock()
        while true {
            if let job = jobs.popFirst() {
                mutex.unlock()
                job()
                mutex.lock()
                continue
            }
            guard lingering else { break }
            idle += 1
            let signalled = wake.wait(mutex, seconds: BlockingLane.lingerSeconds)
            idle -= 1
            if !signalled && jobs.isEmpty {
                running -= 1
                break
            }
        }
        mutex.unlock()
    }

    /// Starts a detached thread running `work`; false when the system refused one.
    private func startThread() -> Bool {
        let context = Unmanaged.passRetained(self)
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let started = pthread_create(&thread, &attributes, { raw in
            guard let raw else { return nil }
            Unmanaged<Workers>.fromOpaque(raw).takeRetainedValue().work(lingering: true)
            return nil
        }, context.toOpaque())
        guard started == 0 else {
            context.release()
            return false
        }
        return true
    }
}
