import Foundation
import LSMEngine
import Logging
import ScribeObjects
import ScribeTestSupport
import Synchronization
import Testing
@testable import ScribeDistributed

/// An object store that can be made unreachable, around a real local directory store.
final class SwitchableObjectStore: ObjectStore {
    let inner: LocalDirectoryObjectStore
    let down = Atomic<Bool>(false)

    init(root: String) throws { inner = try LocalDirectoryObjectStore(root: root) }

    var location: String { inner.location }

    private func check() throws {
        if down.load(ordering: .relaxed) { throw ObjectStoreError.unavailable("switched off by the test") }
    }

    func put(_ key: String, bytes: [UInt8], ifAbsent: Bool) async throws -> ObjectInfo {
        try check()
        return try await inner.put(key, bytes: bytes, ifAbsent: ifAbsent)
    }

    func putFile(_ key: String, path: String, ifAbsent: Bool) async throws -> ObjectInfo {
        try check()
        return try await inner.putFile(key, path: path, ifAbsent: ifAbsent)
    }

    func get(_ key: String) async throws -> [UInt8] {
        try check()
        return try await inner.get(key)
    }

    func get(_ key: String, range: Range<UInt64>) async throws -> [UInt8] {
        try check()
        return try await inner.get(key, range: range)
    }

    func head(_ key: String) async throws -> ObjectInfo? {
        try check()
        return try await inner.head(key)
    }

    func list(prefix: String, startAfter: String?) async throws -> [ObjectInfo] {
        try check()
        return try await inner.list(prefix: prefix, startAfter: startAfter)
    }

    func delete(_ key: String) async throws {
        try check()
        try await inner.delete(key)
    }
}

/// A scratch directory with an object store and node directories under it.
final class TierScratch {
    let root = NSTemporaryDirectory() + "scribe-tier-\(UUID().uuidString)"
    let objects: SwitchableObjectStore

    init() throws {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        objects = try SwitchableObjectStore(root: root + "/objects")
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// The default timeout only guards against hangs: under AddressSanitizer on two
    /// cores a flush and upload can take seconds.
    func settings(node: String, timeout: Duration = .seconds(120)) -> DurableTierSettings {
        var options = StoreOptions()
        options.memtableSize = 64 << 10
        options.blockSize = 1024
        var settings = DurableTierSettings(
            objectStore: objects, dataDirectory: root + "/" + node, storeOptions: options,
            segmentCacheDirectory: root + "/" + node + "-cache", nodeID: node)
        settings.replicationTimeout = timeout
        return settings
    }

    func keys(_ prefix: String) async throws -> [String] {
        try await objects.inner.list(prefix: prefix, startAfter: nil).map(\.key)
    }
}

/// Waits (bounded, only against hangs) until `condition` holds.
func eventually(_ what: String, _ condition: () async throws -> Bool) async throws {
    for _ in 0..<600 {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("gave up waiting: \(what)")
}

/// The durable tier end to end over a local directory object store.
@Suite struct DurableTierTests {
    let logger = Logger(label: "test.tier")

    @Test func flushPublishesVerifiedSegmentsAndAnEmptyDiskRebuildsFromThem() async throws {
        let scratch = try TierScratch()
        let tier = try await DurableTier.open(scratch.settings(node: "a"), logger: logger)
        for i in 0..<500 { try tier.store.put(Array("key-\(i)".utf8), Array("value-\(i)".utf8), options: .buffered) }
        let version = try await tier.flushAndPublish()
        let segments = try await scratch.keys("segments/")
        let manifests = try await scratch.keys("manifest/")
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
        #expect(!(try await scratch.keys("wal/")).isEmpty)
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
        scratch.objects.down.store(true, ordering: .relaxed)
        let sequence = try tier.store.put(Array("during".utf8), Array("outage".utf8))
        await #expect(throws: DurableTierError.self) {
            try await clock.advancing { try await tier.waitReplicated(through: sequence) }
        }
        await #expect(throws: DurableTierError.self) {
            try await clock.advancing { _ = try await tier.flushAndPublish() }
        }
        #expect(try tier.store.get(Array("during".utf8)) == Array("outage".utf8))
        try await eventually("a failure is counted") { tier.statistics().objectStoreAvailable == false }

        scratch.objects.down.store(false, ordering: .relaxed)
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
        let before = Set(try await scratch.keys("segments/"))
        #expect(before.count == 3)
        try await eventually("covered WAL objects are deleted") { try await scratch.keys("wal/").isEmpty }
        try tier.store.compact()
        _ = try await tier.flushAndPublish()
        _ = try await tier.flushAndPublish()
        let published = try #require(try await ObjectManifestStore(objects: scratch.objects).latest())
        let live = Set(published.segments.map { ObjectKeys.segment($0.id) })
        try await eventually("retired segments are deleted") {
            Set(try await scratch.keys("segments/")) == live
        }
        #expect(live.isDisjoint(with: before))
        try await tier.close()
    }
}
