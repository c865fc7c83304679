import Foundation
import LSMEngine

/// Polls `condition` every `interval` until it holds or `timeout` has passed, and
/// returns whether it held: for background work a test waits for. The timeout only
/// keeps a broken test from hanging; it is never what the test measures.
public func becomesTrue(
    within timeout: Duration = .seconds(30), every interval: Duration = .milliseconds(10),
    _ condition: () throws -> Bool
) rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: interval.seconds)
    }
    return try condition()
}

/// `becomesTrue` for async tests: sleeps between polls without blocking a thread.
public func eventually(
    within timeout: Duration = .seconds(30), every interval: Duration = .milliseconds(50),
    _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: interval)
    }
    return try await condition()
}

/// `eventually` that throws, naming `what`, when `condition` never held.
public func eventually(
    _ what: String, within timeout: Duration = .seconds(30), every interval: Duration = .milliseconds(20),
    _ condition: () async throws -> Bool
) async throws {
    guard try await eventually(within: timeout, every: interval, condition) else {
        throw TestSupportError("gave up waiting: \(what)")
    }
}
