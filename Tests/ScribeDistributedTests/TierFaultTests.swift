import LSMEngine
import Logging
import ScribeObjects
import ScribeTestSupport
import ScribeTierTestSupport
import Testing
@testable import ScribeDistributed

/// The durable tier against object storage that fails in the ways S3 does beyond
/// being unreachable (`DurableTierTests` partitions it): transient errors that
/// pass, permanent refusals under one prefix, and answers lost after the write
/// was made. The timeouts only guard against hangs unless a test sets one.
@Suite struct TierFaultTests {
    let logger = Logger(label: "test.tier.faults")

    @Test func transientWALUploadErrorsAreRetriedAndTheWriteBecomesDurable() async throws {
        let scratch = try TierScratch()
        scratch.objects.inject(ObjectStoreFault(.transientError, on: [.put], prefix: "wal/", trigger: .nextCalls(3)))
        let tier = try await DurableTier.open(scratch.settings(node: "a"), logger: logger)
        let sequence = try tier.store.put(Array("k".utf8), Array("v".utf8))
        try await tier.waitReplicated(through: sequence)
        let failed = scratch.objects.faultedCalls
        #expect(failed.count == 3 && failed.allSatisfy { $0.operation == .put && $0.key.hasPrefix("wal/") })
        #expect(tier.statistics().walUploadFailures == 3)
        #expect(tier.statistics().objectStoreAvailable)
        #expect(scratch.objects.keys(prefix: "wal/").count == 1)
        try await tier.close()

        let rebuilt = try await DurableTier.open(scratch.settings(node: "b"), logger: logger)
        #expect(try rebuilt.store.get(Array("k".utf8)) == Array("v".utf8))
        try await rebuilt.close()
    }

    @Test func aWALUploadWhoseAnswerWasLostIsNotLostAndReplaysOnceFromOverlappingObjects() async throws {
        let scratch = try TierScratch()
        // The first upload stores its object and answers unavailable; the retries fail
        // until the test lets them through, so the retry carries the second write too.
        scratch.objects.inject(ObjectStoreFault(.lostReply, on: [.put], prefix: "wal/", trigger: .nextCalls(1)))
        scratch.objects.inject(ObjectStoreFault(.transientError, on: [.put], prefix: "wal/"))
        let tier = try await DurableTier.open(scratch.settings(node: "a"), logger: logger)
        let first = try tier.store.put(Array("first".utf8), Array("1".utf8))
        #expect(try await eventually { scratch.objects.keys(prefix: "wal/").count == 1 }, "the lost upload stored its object")
        let second = try tier.store.put(Array("second".utf8), Array("2".utf8))
        scratch.objects.removeAllFaults()
        try await tier.waitReplicated(through: second)
        #expect(tier.statistics().replicatedSequence >= second && second == first + 1)
        let ranges = scratch.objects.keys(prefix: "wal/").compactMap(ObjectKeys.walRange(fromKey:))
        #expect(Set(ranges.map { "\($0.first)-\($0.last)" }) == ["\(first)-\(first)", "\(first)-\(second)"])
        try await tier.close()

        let rebuilt = try await DurableTier.open(scratch.settings(node: "b"), logger: logger)
        #expect(rebuilt.recovery.walObjects == 2 && rebuilt.recovery.walBatchesReplayed == 2)
        #expect(rebuilt.store.latestSequence == second)
        #expect(try rebuilt.store.get(Array("first".utf8)) == Array("1".utf8))
        #expect(try rebuilt.store.get(Array("second".utf8)) == Array("2".utf8))
        try await rebuilt.close()
    }

    @Test func aSegmentUploadWhoseAnswerWasLostIsFoundStoredAndPublished() async throws {
        let scratch = try TierScratch()
        scratch.objects.inject(
            ObjectStoreFault(.lostReply, on: [.putFile], prefix: "segments/", trigger: .nextCalls(1)))
        let tier = try await DurableTier.open(scratch.settings(node: "a"), logger: logger)
        for i in 0..<200 { try tier.store.put(Array("key-\(i)".utf8), Array("value-\(i)".utf8), options: .buffered) }
        let version = try await tier.flushAndPublish()
        #expect(scratch.objects.faultedCalls.map(\.operation) == [.putFile])
        #expect(tier.statistics().segmentUploadFailures == 1)
        let published = try #require(try await ObjectManifestStore(objects: scratch.objects).latest())
        #expect(published.version == version)
        #expect(Set(published.segments.map { ObjectKeys.segment($0.id) }) == Set(scratch.objects.keys(prefix: "segments/")))
        try await tier.close()
    }

    @Test func permanentlyRefusedSegmentsStopPublishingButNotReplicatedWrites() async throws {
        let scratch = try TierScratch()
        scratch.objects.inject(ObjectStoreFault(.permanentError, on: [.putFile], prefix: "segments/"))
        let tier = try await DurableTier.open(scratch.settings(node: "a", timeout: .milliseconds(500)), logger: logger)
        for i in 0..<50 { try tier.store.put(Array("key-\(i)".utf8), Array("value-\(i)".utf8), options: .buffered) }
        await #expect(throws: DurableTierError.self) { _ = try await tier.flushAndPublish() }
        #expect(scratch.objects.keys(prefix: "segments/").isEmpty)
        #expect(tier.statistics().segmentUploadFailures >= 1)
        // WAL objects are under another prefix: replicated writes go on.
        let sequence = try tier.store.put(Array("replicated".utf8), Array("yes".utf8))
        #expect(try await eventually { (try? await tier.waitReplicated(through: sequence)) != nil }, "WAL uploads go on")

        scratch.objects.removeAllFaults()
        #expect(
            try await eventually { (try? await tier.flushAndPublish()) != nil }, "publishing resumes once segments are taken")
        #expect(!scratch.objects.keys(prefix: "segments/").isEmpty)
        try await tier.close()
    }
}
