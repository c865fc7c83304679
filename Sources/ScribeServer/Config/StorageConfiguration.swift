import LSMEngine

/// `[storage]`: the engine's limits and tuning, and the optional object store with
/// the durable tier's limits.
public struct StorageConfiguration: Sendable, Equatable {
    /// Default acknowledgment of writes.
    public var durability: Durability = .local
    /// Largest value accepted, in bytes (1 to 256 MiB).
    public var maxValueSize = 64 << 20
    /// Longest key accepted, in bytes (1 to 65536).
    public var maxKeySize = 64 << 10
    /// Bytes of writes buffered in memory before a flush.
    public var memtableSize = 64 << 20
    /// Bytes of decompressed blocks cached; 0 disables the cache.
    public var blockCacheSize = 32 << 20
    /// Compression of new segment blocks.
    public var compression: SegmentCompression = .lz4
    /// What compaction keeps of each key's history.
    public var historyPolicy: HistoryPolicy = .retainAll
    /// What opening the store does with damage to acknowledged data.
    public var recoveryMode: RecoveryMode = .strict
    /// A local directory used as the object store; empty for none.
    public var objectStoreDir = ""
    /// The S3-compatible object store, when any `storage.s3` key is set.
    public var s3: S3Configuration?
    /// Directory of fetched segments; empty means `<data_dir>/segment-cache`
    /// (see `NodeConfiguration.segmentCachePath`).
    public var segmentCacheDir = ""
    /// Bytes of fetched segments kept.
    public var segmentCacheSize: UInt64 = 1 << 30
    /// How long a segment that left the manifest stays in the object store.
    public var segmentRetention: Duration = .seconds(7 * 86_400)
    /// How long a `replicated` write waits for the object store.
    public var replicationTimeout: Duration = .seconds(10)
    /// WAL batches committed within this interval share one WAL object.
    public var walGroupInterval: Duration = .milliseconds(2)

    public init() {}

    /// The object store the durable tier uses, or nil when none is configured.
    public var objectStore: ObjectStoreConfiguration? {
        if let s3 { return .s3(s3) }
        return objectStoreDir.isEmpty ? nil : .directory(objectStoreDir)
    }

    init(reading settings: SettingReader) throws {
        durability = try settings.choice("storage.durability", as: Durability.self)
        maxValueSize = try settings.integer("storage.max_value_size")
        maxKeySize = try settings.integer("storage.max_key_size")
        memtableSize = try settings.integer("storage.memtable_size")
        blockCacheSize = try settings.integer("storage.block_cache_size")
        compression =
            try settings.choice("storage.compression", as: CompressionName.self) == .uncompressed ? .none : .lz4
        historyPolicy =
            try settings.choice("storage.history_policy", as: HistoryPolicyName.self) == .latestOnly
            ? .latestOnly : .retainAll
        recoveryMode =
            try settings.choice("storage.recovery_mode", as: RecoveryModeName.self) == .skipCorruption
            ? .skipCorruption : .strict
        objectStoreDir = try settings.string("storage.object_store_dir")
        s3 = try S3Configuration(reading: settings)
        segmentCacheDir = try settings.string("storage.segment_cache_dir")
        segmentCacheSize = UInt64(try settings.integer("storage.segment_cache_size"))
        segmentRetention = try settings.duration("storage.segment_retention")
        replicationTimeout = try settings.duration("storage.replication_timeout")
        walGroupInterval = try settings.duration("storage.wal_group_interval")
        if !objectStoreDir.isEmpty, s3 != nil {
            let s3Key = ConfigurationCatalog.keys.map(\.name).first { $0.hasPrefix("storage.s3.") && settings.isSet($0) }
            throw settings.conflict(
                "storage.object_store_dir",
                "cannot be combined with [storage.s3] (\(s3Key ?? "storage.s3") is set by "
                    + "\(settings.origin(s3Key ?? "storage.s3.endpoint"))): choose one object store")
        }
        if durability == .replicated, objectStore == nil {
            throw settings.conflict(
                "storage.durability",
                "replicated writes need an object store: set storage.object_store_dir or [storage.s3], "
                    + "or choose local or buffered")
        }
    }

    /// The spellings of `SegmentCompression` in configuration.
    private enum CompressionName: String {
        case lz4
        case uncompressed = "none"
    }

    /// The spellings of `RecoveryMode` in configuration.
    private enum RecoveryModeName: String {
        case strict
        case skipCorruption = "skip_corruption"
    }

    /// The spellings of `HistoryPolicy` in configuration.
    private enum HistoryPolicyName: String {
        case retainAll = "retain_all"
        case latestOnly = "latest_only"
    }
}
