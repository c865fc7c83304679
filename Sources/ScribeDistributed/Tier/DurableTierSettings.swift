public import LSMEngine

/// How a `DurableTier` is set up: where objects go, where the engine lives, and
/// the limits of shipping and caching.
public struct DurableTierSettings: Sendable {
    /// Where segments, WAL objects and published manifests are stored.
    public var objectStore: any ObjectStore
    /// The engine's directory. When it holds no store, `DurableTier.open` rebuilds
    /// one from the object store first.
    public var dataDirectory: String
    /// The engine's options.
    public var storeOptions: StoreOptions
    /// Directory of whole segments fetched from the object store.
    public var segmentCacheDirectory: String
    /// Bytes of fetched segments kept in `segmentCacheDirectory` (least recently used leave first).
    public var segmentCacheBytes: UInt64 = 1 << 30
    /// How long a segment that left the manifest stays in the object store, so
    /// proofs against older manifest digests keep verifying.
    public var segmentRetention: Duration = .seconds(7 * 86_400)
    /// WAL batches committed within this interval of each other share one WAL object.
    public var walGroupInterval: Duration = .milliseconds(2)
    /// Bytes of committed WAL batches held in memory while the object store is unreachable.
    public var walBacklogLimit = 256 << 20
    /// A `replicated` write that is not in an uploaded WAL object after this long fails.
    public var replicationTimeout: Duration = .seconds(10)
    /// The node's name, recorded in published manifests.
    public var nodeID: String
    /// What deadlines, back-off and upload timings are measured on: the WAL
    /// group interval, retry back-off, `replicationTimeout`. Tests pass a manual clock.
    public var clock: any Clock<Duration> = ContinuousClock()
    /// Threads for the tier's blocking work (its `background` lane: opening,
    /// replay, flushes, closing) and its object-store calls (`objectStore`).
    public var executor = NodeExecutor()

    public init(
        objectStore: any ObjectStore, dataDirectory: String, storeOptions: StoreOptions,
        segmentCacheDirectory: String, nodeID: String
    ) {
        self.objectStore = objectStore
        self.dataDirectory = dataDirectory
        self.storeOptions = storeOptions
        self.segmentCacheDirectory = segmentCacheDirectory
        self.nodeID = nodeID
    }
}
