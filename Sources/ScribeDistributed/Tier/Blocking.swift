import Dispatch

/// Runs a blocking engine call (a flush, a replay) on a dispatch thread, so it
/// does not hold one of the few Swift-concurrency threads while it waits for disk.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
    }
}
