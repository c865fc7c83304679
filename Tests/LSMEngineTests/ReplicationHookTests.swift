import Foundation
import ScribeTestSupport
import ScribeVerifier
import Synchronization
import Testing
@testable import LSMEngine

/// Reads segments missing locally from another store's directory, counting opens.
private final class DirectorySegments: RemoteSegmentProvider {
    let directory: String
    let opens = Atomic<Int>(0)

    init(_ directory: String) { self.directory = directory }

    func open(_ segment: SegmentMetadata) throws -> any SegmentSource {
        opens.add(1, ordering: .relaxed)
        return try LocalSegmentFile(path: directory + "/" + segment.id.fileName, fileSystem: posix)
    }
}

/// Collects what a store reports.
private final class Recorder: StoreObserver {
    let batches = Mutex<[CommittedBatch]>([])
    let versions = Mutex<[UInt64]>([])

    func committed(_ batch: CommittedBatch) { batches.withLock { $0.append(batch) } }
    func installed(_ version: Version) { versions.withLock { $0.append(version.versionNumber) } }
}

/// The engine's hooks for the durable tier: stores started from a published
/// version, commit and version observers, replay of committed batches, pins.
@Suite struct ReplicationHookTests {
    func base(of store: LSMStore) -> StoreBase {
        let version = store.pinCurrentVersion().version
        return StoreBase(
            versionNumber: version.versionNumber, previousDigest: version.previousDigest, digest: version.digest,
            lastSequence: version.lastSequence, segments: version.allSegments)
    }

    @Test func aStoreStartedFromAPublishedVersionReadsRemoteSegmentsAndContinuesTheChain() throws {
        let source = try TemporaryDirectory("hook-source")
        let rebuilt = try TemporaryDirectory("hook-rebuilt")
        var options = smallStoreOptions()
        options.automaticCompaction = false
        let original = try LSMStore.open(at: source.path, options: options)
        for i in 0..<300 { try original.put(Array("key-\(i)".utf8), Array("value-\(i)".utf8), options: .buffered) }
        try original.flush()
        let published = base(of: original)
        #expect(published.segments.count >= 1)

        let remote = DirectorySegments(source.path)
        options.remoteSegments = remote
        let store = try LSMStore.create(at: rebuilt.path, base: published, options: options)
        #expect(storeFiles(rebuilt.path, suffix: ".sst").isEmpty)
        for i in 0..<300 { #expect(try store.get(Array("key-\(i)".utf8)) == Array("value-\(i)".utf8)) }
        #expect(remote.opens.load(ordering: .relaxed) >= 1)
        #expect(store.latestSequence == published.lastSequence)

        let history = store.versions.history
        #expect(history.first?.version == published.versionNumber)
        #expect(history.first?.digest == published.digest)
        let proof = try store.proveConsistency(fromVersion: published.versionNumber - 1)
        _ = try ProofVerifier.verify(
            proof, expecting: ProofExpectation(
                digest: store.stats().manifestDigest, fromDigest: published.previousDigest, claim: .consistency))
        #expect(throws: LSMError.self) { try store.proveConsistency(fromVersion: published.versionNumber - 2) }

        let latest = try store.prove(Array("key-7".utf8))
        let result = try ProofVerifier.verify(
            latest, expecting: ProofExpectation(
                key: Array("key-7".utf8), value: Array("value-7".utf8), digest: store.stats().manifestDigest,
                claim: .latest))
        #expect(result.claim == .latest)

        try store.put(Array("after"), Array("rebuild"))
        try store.flush()
        let extended = try store.proveConsistency(fromVersion: published.versionNumber)
        _ = try ProofVerifier.verify(
            extended, expecting: ProofExpectation(
                digest: store.stats().manifestDigest, fromDigest: published.digest, claim: .consistency))
        try store.close()
        let reopened = try LSMStore.open(at: rebuilt.path, options: options)
        #expect(try reopened.get(Array("after")) == Array("rebuild"))
        #expect(try reopened.get(Array("key-299".utf8)) == Array("value-299".utf8))
        #expect(try reopened.verifyIntegrity().isIntact)
        try reopened.close()
        try original.close()
    }

    @Test func aBaseWhoseDigestDoesNotMatchIsRefused() throws {
        let source = try TemporaryDirectory("hook-bad-source")
        let rebuilt = try TemporaryDirectory("hook-bad")
        let original = try LSMStore.open(at: source.path, options: smallStoreOptions())
        try original.put(Array("k"), Array("v"))
        try original.flush()
        var published = base(of: original)
        published.lastSequence += 1
        var options = smallStoreOptions()
        options.remoteSegments = DirectorySegments(source.path)
        #expect(throws: LSMError.self) { try LSMStore.create(at: rebuilt.path, base: published, options: options) }
        try original.close()
    }

    @Test func observersSeeEveryCommitInOrderAndReplayReproducesTheStore() throws {
        let first = try TemporaryDirectory("hook-observed")
        let second = try TemporaryDirectory("hook-replayed")
        var options = smallStoreOptions()
        options.automaticCompaction = false
        let store = try LSMStore.open(at: first.path, options: options)
        let recorder = Recorder()
        store.attach(recorder)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for i in 0..<100 { _ = try? store.put(Array("w\(worker)-\(i)".utf8), Array("v\(i)".utf8), options: .buffered) }
        }
        var batch = WriteBatch()
        batch.put(Array("batch-a"), Array("1"))
        batch.delete(Array("w0-0"))
        try store.write(batch)
        try store.flush()

        let batches = recorder.batches.withLock { $0 }
        var expected: SequenceNumber = 1
        for b in batches {
            #expect(b.firstSequence == expected)
            expected = b.lastSequence + 1
        }
        #expect(expected - 1 == store.latestSequence)

        let replica = try LSMStore.open(at: second.path, options: options)
        for b in batches { #expect(try replica.replay(committed: b.encoded, origin: "test")) }
        #expect(try replica.replay(committed: batches[0].encoded, origin: "test") == false)
        #expect(replica.latestSequence == store.latestSequence)
        for worker in 0..<4 {
            for i in [0, 57, 99] {
                let key = Array("w\(worker)-\(i)".utf8)
                #expect(try replica.lookup(key) == store.lookup(key))
            }
        }
        let finalVersion = store.stats().manifestVersion
        try store.close()
        // close() waits for the flush, whose observer call follows its install.
        #expect(recorder.versions.withLock { $0 }.last == finalVersion)
        try replica.close()
    }

    @Test func replayAcceptsGapsAndRefusesOverlapsAndGarbage() throws {
        let source = try TemporaryDirectory("hook-gap-source")
        let target = try TemporaryDirectory("hook-gap")
        let store = try LSMStore.open(at: source.path, options: smallStoreOptions())
        let recorder = Recorder()
        store.attach(recorder)
        var two = WriteBatch()
        two.put(Array("a"), Array("1"))
        two.put(Array("b"), Array("2"))
        try store.write(two)
        try store.put(Array("c"), Array("3"))
        try store.put(Array("d"), Array("4"))
        let batches = recorder.batches.withLock { $0 }
        #expect(batches.count == 3)

        let replica = try LSMStore.open(at: target.path, options: smallStoreOptions())
        #expect(try replica.replay(committed: batches[2].encoded, origin: "gap"))
        #expect(replica.latestSequence == 4)
        #expect(try replica.get(Array("d")) == Array("4"))
        #expect(try replica.get(Array("a")) == nil)
        #expect(try replica.replay(committed: batches[0].encoded, origin: "old") == false)
        #expect(throws: LSMError.self) { try replica.replay(committed: Array(batches[2].encoded.dropLast()), origin: "cut") }
        #expect(throws: LSMError.self) { try replica.replay(committed: [1, 2, 3], origin: "short") }
        try replica.put(Array("e"), Array("5"))
        #expect(try replica.lookup(Array("e"))?.sequence == 5)
        try replica.close()
        try store.close()
    }

    @Test func aPinKeepsCompactedSegmentFilesUntilReleased() throws {
        let dir = try TemporaryDirectory("hook-pin")
        var options = smallStoreOptions()
        options.automaticCompaction = false
        let store = try LSMStore.open(at: dir.path, options: options)
        for round in 0..<3 {
            for i in 0..<50 { try store.put(Array("k\(i)".utf8), Array("r\(round)".utf8), options: .buffered) }
            try store.flush()
        }
        var pin: VersionPin? = store.pinCurrentVersion()
        let pinned = pin?.version.allSegments ?? []
        #expect(pinned.count == 3)
        try store.compact()
        for segment in pinned { #expect(pin?.localPath(of: segment) != nil) }
        pin = nil
        for segment in pinned { #expect(!FileManager.default.fileExists(atPath: dir.file(segment.id.fileName))) }
        try store.close()
    }
}
