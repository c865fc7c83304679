import Foundation
import LSMEngine
import Logging
import ScribeObjects
import ScribeTestSupport
import ScribeTierTestSupport
import Testing
@testable import ScribeDistributed

/// A scratch directory for node directories, and the fault-injecting object store
/// the nodes share.
final class TierScratch {
    let root: TemporaryDirectory
    let objects = FaultInjectingObjectStore()

    init() throws {
        root = try TemporaryDirectory("tier")
    }

    /// The default timeout only guards against hangs: under AddressSanitizer on two
    /// cores a flush and upload can take seconds.
    func settings(node: String, timeout: Duration = .seconds(120)) -> DurableTierSettings {
        var options = StoreOptions()
        options.memtableSize = 64 << 10
        options.blockSize = 1024
        var settings = DurableTierSettings(
            objectStore: objects, dataDirectory: root.file(node), storeOptions: options,
            segmentCacheDirectory: root.file(node + "-cache"), nodeID: node)
        settings.replicationTimeout = timeout
        return settings
    }
}

/// The durable tier end to end over the in-memory object store.
@Suite struct DurableTierTests {
    let logger = Logger(label: "test.tier")

    @Test func flushPublishesVerifiedSegmentsAndAnEmptyDiskRebuildsFromThem() async throws {
        let scratch = try TierScratch()
        let tier = try await DurableTier.open(scratch.settings(node: "a"), logger: logger)
        for i in 0..<500 { try tier.store.put(Array("key-\(i)".utf8), Array("value-\(i)".utf8), options: .buffered) }
        let version = try await tier.flushAndPublish()
        let segments = scratch.objects.keys(prefix: "segments/")
        let manifests = scratch.objects.keys(prefix: "manifest/")
        #expect(!segments.isEmpty)
        #expect(manifests.last == ObjectKeys.manifest(version: version))
        let published = try #require(try await ObjectManifestStore(objects: scratch.objects).latest())
        #expect(published.version == version)
        #expect(published.digest == tier.store.stats().manifestDigest)
        #expect(Set(published.segments.map { ObjectKeys.segment($0.id) }).isSubset(of: Set(segments)))
        #expect(tier.statistics().publishedManifestVersion == version)
        try await tier.close()

        let rebuilt = try await DurableTier.open(scratch.settings(node: "b"), logger: logger)
        #expect(rebuilt.recovery.rebuilt)
        #expect(rebuilt.recovery.manifestVersion == version)
        for i in 0..<500 { #expect(try rebuilt.store.get(Array("key-\(i)".utf8)) == Array("value-\(i)".utf8)) }
        _ = try rebuilt.store.proveConsistency(fromVersion: version - 1)
        try await rebuilt.close()
    }

    @Test func replicatedWritesSurviveTheLossOfTheDiskWithoutAFlush() async throws {
        let scratch = try TierScratch()
        let tier = try await DurableTier.open(scratch.settings(node: "a"), logger: logger)
        _ = try await tier.flushAndPublish()
        var last: SequenceNumber = 0
        for i in 0..<50 {
            last = try tier.store.put(Array("r-\(i)".utf8), Array("replicated-\(i)".utf8))
            try await tier.waitReplicated(through: last)
        }
        #expect(tier.statistics().replicatedSequence >= last)
        #expect(!scratch.objects.keys(prefix: "wal/").isEmpty)
        // The node "dies": its directory is never used again and nothing is flushed.
        let rebuilt = try await DurableTier.open(scratch.settings(node: "b"), logger: logger)
        #expect(rebuilt.recovery.walBatchesReplayed >= 1)
        for i in 0..<50 { #expect(try rebuilt.store.get(Array("r-\(i)".utf8)) == Array("replicated-\(i)".utf8)) }
        #expect(rebuilt.store.latestSequence == last)
        try rebuilt.store.put(Array("after".utf8), Array("x".utf8))
        #expect(try rebuilt.store.lookup(Array("after".utf8))?.sequence == last + 1)
        try await rebuilt.close()
        try await tier.close()
    }

    @Test func anUnreachableStoreFailsReplicatedWaitsAndTheBacklogDrainsWhenItReturns() async throws {
        let scratch = try TierScratch()
        let clock = ManualClock()
        var settings = scratch.settings(node: "a", timeout: .seconds(10))
        settings.clock = clock
        settings.walGroupInterval = .zero
        let tier = try await DurableTier.open(settings, logger: logger)
        scratch.objects.partitioned = true
        let sequence = try tier.store.put(Array("during".utf8), Array("outage".utf8))
        let timedOut = await #expect(throws: DurableTierError.self) {
            try await clock.advancing { try await tier.waitReplicated(through: sequence) }
        }
        if case .unavailable(let reason)? = timedOut {
            #expect(reason.contains("durable on this node's disk"))
        } else {
            Issue.record("expected .unavailable, got \(String(describing: timedOut))")
        }
        #expect(scratch.objects.keys(prefix: "wal/").isEmpty)
        await #expect(throws: DurableTierError.self) {
            try await clock.advancing { _ = try await tier.flushAndPublish() }
        }
        #expect(try tier.store.get(Array("during".utf8)) == Array("outage".utf8))
        #expect(try await eventually { tier.statistics().objectStoreAvailable == false }, "a failure is counted")

        scratch.objects.partitioned = false
        try await eventually("the backlogs drain") {
            // Past any back-off the shippers are sleeping.
            clock.advance(by: .seconds(2))
            let s = tier.statistics()
            return s.walBacklogBytes == 0 && s.segmentBacklog == 0 && s.objectStoreAvailable
                && s.replicatedSequence >= sequence
        }
        // The clock stands still from here on: no deadline can pass while uploads are merely slow.
        let next = try tier.store.put(Array("after".utf8), Array("outage".utf8))
        try await tier.waitReplicated(through: next)
        let version = try await tier.flushAndPublish()
        #expect(tier.statistics().publishedManifestVersion == version)
        try await tier.close()

        let rebuilt = try await DurableTier.open(scratch.settings(node: "b"), logger: logger)
        #expect(try rebuilt.store.get(Array("during".utf8)) == Array("outage".utf8))
        #expect(try rebuilt.store.get(Array("after".utf8)) == Array("outage".utf8))
        try await rebuilt.close()
    }

    @Test func compactedSegmentsStayForTheirRetentionAndWALObjectsGoOnceCovered() async throws {
        let scratch = try TierScratch()
        var settings = scratch.settings(node: "a")
        settings.storeOptions.automaticCompaction = false
        settings.segmentRetention = .zero
        let tier = try await DurableTier.open(settings, logger: logger)
        for round in 0..<3 {
            for i in 0..<100 { try tier.store.put(Array("k\(i)".utf8), Array("r\(round)".utf8)) }
            try await tier.waitReplicated(through: tier.store.latestSequence)
            _ = try await tier.flushAndPublish()
        }
        let before = Set(scratch.objects.keys(prefix: "segments/"))
        #expect(before.count == 3)
        #expect(try await eventually { scratch.objects.keys(prefix: "wal/").isEmpty }, "covered WAL objects are deleted")
        try tier.store.compact()
        _ = try await tier.flushAndPublish()
        _ = try await tier.flushAndPublish()
        let published = try #require(try await ObjectManifestStore(objects: scratch.objects).latest())
        let live = Set(published.segments.map { ObjectKeys.segment($0.id) })
        #expect(
            try await eventually { Set(scratch.objects.keys(prefix: "segments/")) == live }, "retired segments are deleted")
        #expect(live.isDisjoint(with: before))
        try await tier.close()
    }
}
