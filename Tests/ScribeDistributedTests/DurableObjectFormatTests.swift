import Foundation
import LSMEngine
import ScribeObjects
import ScribeTestSupport
import Synchronization
import Testing
@testable import ScribeDistributed

/// Records a store's commits.
final class CommitLog: StoreObserver {
    let batches = Mutex<[CommittedBatch]>([])
    func committed(_ batch: CommittedBatch) { batches.withLock { $0.append(batch) } }
    func installed(_ version: Version) {}
}

/// The durable tier's object formats: WAL objects, published manifests, keys, replay order.
@Suite struct DurableObjectFormatTests {
    /// The batches committed by 20 puts and the version after their flush, from a
    /// store in a temporary directory (closed and removed before returning).
    func commits() throws -> (batches: [CommittedBatch], version: Version) {
        try withTemporaryDirectory("objects") { path in
            let store = try LSMStore.open(at: path)
            let log = CommitLog()
            store.attach(log)
            for i in 0..<20 { try store.put(Array("k\(i)".utf8), Array("v\(i)".utf8), options: .buffered) }
            try store.flush()
            let version = store.pinCurrentVersion().version
            try store.close()
            return (log.batches.withLock { $0 }, version)
        }
    }

    @Test func walObjectsRoundTripAndRefuseEverySingleByteChange() throws {
        let batches = try commits().batches
        let object = WALObject(epoch: 42, batches: batches)
        let bytes = object.encoded()
        #expect(try WALObject.decode(bytes, origin: "t") == object)
        #expect(object.firstSequence == 1 && object.lastSequence == 20)
        for i in stride(from: 0, to: bytes.count, by: 7) {
            var changed = bytes
            changed[i] ^= 0x40
            #expect(throws: ObjectFormatError.self) { try WALObject.decode(changed, origin: "t") }
        }
        #expect(throws: ObjectFormatError.self) { try WALObject.decode(Array(bytes.dropLast()), origin: "t") }
        let gapped = WALObject(epoch: 1, batches: [batches[0], batches[2]]).encoded()
        #expect(throws: ObjectFormatError.self) { try WALObject.decode(gapped, origin: "t") }
    }

    @Test func publishedManifestsRoundTripAndVerifyTheirDigest() throws {
        let version = try commits().version
        let retired = [RetiredSegment(id: try #require(SegmentID(rawValue: "L0-1-2-abc")), fileSize: 9, retiredAt: 5)]
        let manifest = PublishedManifest(version: version, retired: retired, epoch: 3, nodeID: "n1", publishedAt: 77)
        let json = PublishedManifestJSON.encode(manifest)
        let decoded = try PublishedManifestJSON.decode(json, origin: "t")
        #expect(decoded == manifest)
        #expect(decoded.base.digest == version.digest)

        var tampered = manifest
        tampered.lastSequence += 1
        #expect(throws: ObjectFormatError.self) {
            try PublishedManifestJSON.decode(PublishedManifestJSON.encode(tampered), origin: "t")
        }
        let text = String(decoding: json, as: UTF8.self)
        let extra = text.replacingOccurrences(of: "\"epoch\"", with: "\"extra\": 1, \"epoch\"")
        #expect(throws: ObjectFormatError.self) { try PublishedManifestJSON.decode(Array(extra.utf8), origin: "t") }
    }

    @Test func keysParseBackAndRejectOtherNames() throws {
        let key = ObjectKeys.walObject(epoch: 9, first: 10, last: 12)
        #expect(key == "wal/00000000000000000009/00000000000000000010-00000000000000000012.wal")
        #expect(ObjectKeys.walRange(fromKey: key)! == (9, 10, 12))
        #expect(ObjectKeys.walRange(fromKey: "wal/9/10-12.wal") == nil)
        #expect(ObjectKeys.walRange(fromKey: "wal/00000000000000000009/00000000000000000012-00000000000000000010.wal") == nil)
        #expect(ObjectKeys.manifestVersion(fromKey: ObjectKeys.manifest(version: 5)) == 5)
        #expect(ObjectKeys.manifestVersion(fromKey: "manifest/5.json") == nil)
        let id = try #require(SegmentID(rawValue: "L1-3-9-abcdef"))
        #expect(ObjectKeys.segmentID(fromKey: ObjectKeys.segment(id)) == id)
    }

    @Test func replayOrderSkipsFlushedObjectsAndLetsLaterEpochsWin() {
        let objects: [(key: String, range: (epoch: UInt64, first: UInt64, last: UInt64))] = [
            ("a", (1, 1, 10)), ("b", (1, 11, 20)), ("c", (1, 21, 30)), ("d", (2, 25, 40)), ("e", (2, 41, 45)),
        ]
        let order = TierRecovery.replayOrder(objects, after: 10)
        #expect(order.map(\.key) == ["b", "c", "d", "e"])
        #expect(order.first { $0.key == "c" }?.supersededFrom == 25)
        #expect(order.first { $0.key == "d" }?.supersededFrom == .max)
        #expect(TierRecovery.replayOrder(objects, after: 45).isEmpty)
    }
}
