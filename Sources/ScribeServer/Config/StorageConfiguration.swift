import LSMEngine

/// `[storage]`: the engine's limits and tuning, and the optional S3 object store.
public struct StorageConfiguration: Sendable, Equatable {
    /// Default acknowledgment of writes.
    public var durability: Durability = .synced
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
    /// The S3-compatible object store, when any `storage.s3` key is set.
    public var s3: S3Configuration?

    public init() {}

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
        s3 = try S3Configuration(reading: settings)
    }

    /// The spellings of `SegmentCompression` in configuration.
    private enum CompressionName: String {
        case lz4
        case uncompressed = "none"
    }

    /// The spellings of `HistoryPolicy` in configuration.
    private enum HistoryPolicyName: String {
        case retainAll = "retain_all"
        case latestOnly = "latest_only"
    }
}
