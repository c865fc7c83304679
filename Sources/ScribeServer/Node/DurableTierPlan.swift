public import LSMEngine
public import ScribeDistributed

/// How a node with an object store runs its durable tier: the object store to open
/// and the tier's limits, resolved from `[storage]`. `NodeRuntime` opens the store,
/// then the tier over the node's data directory.
public struct DurableTierPlan: Sendable, Equatable {
    public var objectStore: ObjectStoreConfiguration
    public var segmentCacheDirectory: String
    public var segmentCacheBytes: UInt64
    public var segmentRetention: Duration
    public var replicationTimeout: Duration
    public var walGroupInterval: Duration

    public init(
        objectStore: ObjectStoreConfiguration, segmentCacheDirectory: String, segmentCacheBytes: UInt64,
        segmentRetention: Duration, replicationTimeout: Duration, walGroupInterval: Duration
    ) {
        self.objectStore = objectStore
        self.segmentCacheDirectory = segmentCacheDirectory
        self.segmentCacheBytes = segmentCacheBytes
        self.segmentRetention = segmentRetention
        self.replicationTimeout = replicationTimeout
        self.walGroupInterval = walGroupInterval
    }

    /// The tier's settings over `store` for the engine in `dataDirectory`.
    public func settings(
        store: any ObjectStore, dataDirectory: String, storeOptions: StoreOptions, nodeID: String
    ) -> DurableTierSettings {
        var settings = DurableTierSettings(
            objectStore: store, dataDirectory: dataDirectory, storeOptions: storeOptions,
            segmentCacheDirectory: segmentCacheDirectory, nodeID: nodeID)
        settings.segmentCacheBytes = segmentCacheBytes
        settings.segmentRetention = segmentRetention
        settings.replicationTimeout = replicationTimeout
        settings.walGroupInterval = walGroupInterval
        return settings
    }
}

extension NodeConfiguration {
    /// The durable tier a configuration asks for, or nil when it names no object store.
    public var durableTierPlan: DurableTierPlan? {
        storage.objectStore.map { objectStore in
            DurableTierPlan(
                objectStore: objectStore, segmentCacheDirectory: segmentCachePath,
                segmentCacheBytes: storage.segmentCacheSize, segmentRetention: storage.segmentRetention,
                replicationTimeout: storage.replicationTimeout, walGroupInterval: storage.walGroupInterval)
        }
    }
}
