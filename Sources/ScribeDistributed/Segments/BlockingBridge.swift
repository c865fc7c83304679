import Dispatch
import LSMEngine

/// Runs object-store calls (async) for synchronous callers, and background
/// work, on a `BlockingLane` (the node executor's `objectStore` lane) rather
/// than Swift's cooperative pool.
///
/// Why a lane of its own: a caller blocked in `wait` may itself be a thread the
/// call would otherwise need — a cooperative-pool thread (a request handler
/// reading the store) or a thread of the executor's `reads` lane. If the call it
/// waits for needed the same threads, a few such callers — two on a two-core
/// machine — would leave none to run it, and every one would wait out its
/// timeout. Tasks started here prefer the lane (SE-0417), and so do their child
/// tasks and the default actors they call.
///
/// `wait` blocks the calling thread for as long as the call takes, up to the
/// timeout: never call it on an NIO event loop, which may be the very thread
/// that has to deliver the response.
final class BlockingBridge: Sendable {
    private let executor: BlockingLane

    init(lane: BlockingLane) {
        executor = lane
    }

    /// The result of `operation`, waiting for it at most `timeout`. Throws what
    /// the operation threw, or `LSMError.unavailable` naming `what` after the
    /// timeout (the operation is then cancelled and its result dropped).
    func wait<T: Sendable>(
        timeout: Duration, for what: @autoclosure () -> String, _ operation: @escaping @Sendable () async throws -> T
    ) throws -> T {
        let outcome = Locked<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let task = Task(executorPreference: executor) {
            let result: Result<T, any Error>
            do {
                result = .success(try await operation())
            } catch {
                result = .failure(error)
            }
            outcome.withLock { $0 = result }
            done.signal()
        }
        guard done.wait(timeout: .now() + Self.dispatchInterval(timeout)) == .success,
              let result = outcome.withLock({ $0 }) else {
            task.cancel()
            throw LSMError.unavailable("\(what()): no answer from the object store within \(timeout)")
        }
        return try result.get()
    }

    /// Starts `work` in the background on this bridge's executor.
    func spawn(_ work: @escaping @Sendable () async -> Void) {
        Task(executorPreference: executor, operation: work)
    }

    private static func dispatchInterval(_ duration: Duration) -> DispatchTimeInterval {
        let (seconds, attoseconds) = duration.components
        let limit = Int64.max / 1_000_000_000 - 1
        return .nanoseconds(Int(max(0, min(seconds, limit)) * 1_000_000_000 + attoseconds / 1_000_000_000))
    }
}
