import Foundation
import LSMEngine
import Logging
import ScribeTestSupport
import ScribeTierTestSupport
import Testing
@testable import ScribeDistributed

/// The tier's deadlines on a manual clock: they fire when the clock passes them,
/// never before and never because real time went by.
@Suite struct TierDeadlineTests {
    @Test func aReplicatedWaiterFailsExactlyWhenTheClockPassesItsDeadline() async throws {
        let scratch = try TemporaryDirectory("deadline")
        let root = scratch.path
        let objects = FaultInjectingObjectStore()
        let clock = ManualClock()
        var settings = DurableTierSettings(
            objectStore: objects, dataDirectory: root + "/node", storeOptions: StoreOptions(),
            segmentCacheDirectory: root + "/cache", nodeID: "node")
        settings.replicationTimeout = .seconds(10)
        settings.walGroupInterval = .zero
        settings.clock = clock
        let tier = try await DurableTier.open(settings, logger: Logger(label: "deadline-test"))
        // Uploads never answer: only the deadline can end the wait.
        objects.inject(ObjectStoreFault(.latency(.seconds(3600))))
        let start = clock.now
        clock.advance(by: .seconds(3))
        let sequence = try tier.store.put(Array("k".utf8), Array("v".utf8))
        let outcome = Locked<Result<Void, any Error>?>(nil)
        let waiter = Task {
            do {
                try await tier.waitReplicated(through: sequence)
                outcome.withLock { $0 = .success(()) }
            } catch {
                outcome.withLock { $0 = .failure(error) }
            }
        }
        try await eventually("the write waits") { tier.statistics().walWaiters == 1 }

        // The expiry tasks wake at 10 s (their idle sleep), and the WAL one sleeps
        // again until the waiter's deadline: 3 s + 10 s.
        clock.advance(by: .seconds(7))
        let deadline = start.advanced(by: .seconds(13))
        try await eventually("the expiry sleeps until the deadline") {
            clock.sleeperDeadlines.first == deadline
        }
        clock.advance(by: .seconds(3) - .nanoseconds(1))
        #expect(clock.sleeperDeadlines.first == deadline, "nothing is due before the deadline")
        #expect(outcome.withLock { $0 } == nil)
        #expect(tier.statistics().walWaiters == 1)

        clock.advance(by: .nanoseconds(1))
        await waiter.value
        let result = try #require(outcome.withLock { $0 })
        #expect(throws: DurableTierError.self) { try result.get() }
        #expect(tier.statistics().walWaiters == 0)

        objects.removeAllFaults()
        try await tier.close()
    }
}
