import LSMEngine
import ScribeObjects
import Synchronization

/// libFuzzer target: the input is an object read back from object storage,
/// decoded both as a WAL object and as a published manifest (the two parsers
/// of untrusted bytes in the durable tier). Invariants: whatever decodes
/// re-encodes to bytes that decode to the same value; a WAL object's batches
/// are contiguous and cover its header's range.
public enum FuzzObjects {
    public static func run(_ bytes: [UInt8]) {
        if let object = try? WALObject.decode(bytes, origin: "fuzz") {
            FuzzSupport.check(
                (try? WALObject.decode(object.encoded(), origin: "again")) == object, "a WAL object does not round-trip")
            var next = object.firstSequence
            for batch in object.batches {
                FuzzSupport.check(batch.firstSequence == next, "WAL object batches are not contiguous")
                next = batch.lastSequence &+ 1
            }
        }
        if let manifest = try? PublishedManifestJSON.decode(bytes, origin: "fuzz") {
            let again = try? PublishedManifestJSON.decode(PublishedManifestJSON.encode(manifest), origin: "again")
            FuzzSupport.check(again == manifest, "a published manifest does not round-trip")
            FuzzSupport.check((try? manifest.recomputedDigest()) == manifest.digest, "a manifest decoded with a wrong digest")
        }
    }

    /// A WAL object of a small store's commits and the manifest of its version.
    public static func seeds() throws -> [[UInt8]] {
        let directory = "\(FuzzSupport.scratch)/seed-objects"
        FuzzSupport.removeDirectory(directory)
        defer { FuzzSupport.removeDirectory(directory) }
        var options = StoreOptions()
        options.blockSize = 256
        let store = try LSMStore.open(at: directory, options: options)
        let recorder = CommitRecorder()
        store.attach(recorder)
        for i in 0..<40 { _ = try store.put(Array("key-\(i % 13)".utf8), Array("value-\(i)".utf8)) }
        var batch = WriteBatch()
        batch.put(Array("batch-a".utf8), Array("1".utf8))
        batch.delete(Array("key-2".utf8))
        _ = try store.write(batch)
        try store.flush()
        let version = store.pinCurrentVersion().version
        try store.close()
        let manifest = PublishedManifest(
            version: version, retired: [], epoch: 7, nodeID: "seed-node", publishedAt: 1_700_000_000_000)
        return [
            WALObject(epoch: 7, batches: recorder.batches.withLock { $0 }).encoded(),
            PublishedManifestJSON.encode(manifest),
        ]
    }
}

private final class CommitRecorder: StoreObserver {
    let batches = Mutex<[CommittedBatch]>([])
    func committed(_ batch: CommittedBatch) { batches.withLock { $0.append(batch) } }
    func installed(_ version: Version) {}
}
