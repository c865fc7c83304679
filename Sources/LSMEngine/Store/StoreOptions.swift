/// What compaction keeps of a key's history.
public enum HistoryPolicy: Sendable, Equatable {
    /// Every version and tombstone is kept forever (the ledger default).
    case retainAll
    /// Compaction drops versions shadowed by newer ones (unless a snapshot needs
    /// them) and, at the last level, tombstones: a general-purpose embedded store.
    case latestOnly
}

/// How a store is opened and tuned. The defaults suit a durable ledger.
public struct StoreOptions: Sendable {
    /// Create the directory and an empty store when none exists.
    public var createIfMissing = true
    /// Fail when a store already exists at the path.
    public var errorIfExists = false
    /// Bytes of memtable arena after which the memtable is frozen and flushed.
    public var memtableSize = 64 << 20
    /// Writes wait while this many frozen memtables are still being flushed.
    public var maxImmutableMemtables = 2
    /// Target raw size of a segment data block.
    public var blockSize = 4096
    /// Data block compression for new segments.
    public var compression: SegmentCompression = .lz4
    /// Bloom filter bits per key in new segments (0 disables the filter).
    public var bloomBitsPerKey = 10
    /// Longest key accepted, in bytes (keys are 1 byte to this).
    public var maxKeySize = 64 << 10
    /// Longest value accepted, in bytes (at most `valueSizeCeiling`).
    public var maxValueSize = 64 << 20

    /// The largest `maxValueSize` allowed: every accepted entry must fit in one
    /// segment data block, or a flush (and every later recovery) would fail.
    public static let valueSizeCeiling = 256 << 20
    /// What compaction keeps of each key's history.
    public var historyPolicy: HistoryPolicy = .retainAll
    /// How damage found during recovery is treated (WAL, MANIFEST, orphaned segments).
    public var recoveryMode: RecoveryMode = .strict
    /// Open without changing a byte on disk: no torn tail cut, no file moved or
    /// removed, no new WAL, no flush or compaction; every write throws `.readOnly`.
    /// Recovery's findings are still reported (`RecoveryReport`), as what it would do.
    public var readOnly = false
    /// Level-0 segments that trigger a compaction into level 1.
    public var level0CompactionTrigger = 4
    /// Level-0 segments at which each write is delayed by 1 ms.
    public var level0SlowdownTrigger = 20
    /// Level-0 segments at which writes wait for compaction.
    public var level0StopTrigger = 36
    /// Size at which a compaction closes an output segment (between user keys).
    public var targetSegmentSize = 64 << 20
    /// Target size of level 1; each deeper level is `levelSizeMultiplier` times larger.
    public var maxBytesForLevelBase: UInt64 = 256 << 20
    /// Size ratio between adjacent levels ≥ 1.
    public var levelSizeMultiplier = 10
    /// Bytes of compaction debt (bytes above level targets) at which writes are delayed.
    public var softPendingCompactionBytesLimit: UInt64 = 64 << 30
    /// Bytes of compaction debt at which writes wait for compaction.
    public var hardPendingCompactionBytesLimit: UInt64 = 256 << 30
    /// Bytes of decompressed data blocks kept in memory (0 disables the block cache).
    public var blockCacheSize = 32 << 20
    /// Segment readers kept open (file handle, index, filter, block roots).
    public var maxOpenSegments = 1000
    /// Run compactions in the background as levels fill (tests may turn it off and call `compact()`).
    public var automaticCompaction = true
    /// Where segments the manifest lists but the directory lacks are read from
    /// (a store rebuilt from object storage); nil: such a segment is an error.
    public var remoteSegments: (any RemoteSegmentProvider)?
    /// Every file operation of the store goes through this (see `FileSystem`); the
    /// default calls Glibc. Tests put a fault-injecting implementation here.
    package var fileSystem: any FileSystem = PosixFileSystem()

    public init() {}

    func validate() throws {
        func check(_ ok: Bool, _ message: String) throws {
            if !ok { throw LSMError.invalidArgument(message) }
        }
        try check(memtableSize >= 4096 && memtableSize <= 1 << 34, "memtableSize \(memtableSize) must be 4 KiB to 16 GiB")
        try check(maxImmutableMemtables >= 1 && maxImmutableMemtables <= 64, "maxImmutableMemtables \(maxImmutableMemtables) must be 1 to 64")
        try check(blockSize >= 256 && blockSize <= 4 << 20, "blockSize \(blockSize) must be 256 bytes to 4 MiB")
        try check(bloomBitsPerKey >= 0 && bloomBitsPerKey <= 64, "bloomBitsPerKey \(bloomBitsPerKey) must be 0 to 64")
        try check(maxKeySize >= 1 && maxKeySize <= 64 << 10, "maxKeySize \(maxKeySize) must be 1 to 65536")
        try check(level0CompactionTrigger >= 1, "level0CompactionTrigger \(level0CompactionTrigger) must be at least 1")
        try check(level0SlowdownTrigger >= level0CompactionTrigger, "level0SlowdownTrigger \(level0SlowdownTrigger) must be at least level0CompactionTrigger")
        try check(level0StopTrigger >= level0SlowdownTrigger, "level0StopTrigger \(level0StopTrigger) must be at least level0SlowdownTrigger")
        try check(targetSegmentSize >= 4096, "targetSegmentSize \(targetSegmentSize) must be at least 4 KiB")
        try check(maxBytesForLevelBase >= 4096, "maxBytesForLevelBase \(maxBytesForLevelBase) must be at least 4 KiB")
        try check(levelSizeMultiplier >= 2 && levelSizeMultiplier <= 100, "levelSizeMultiplier \(levelSizeMultiplier) must be 2 to 100")
        try check(hardPendingCompactionBytesLimit >= softPendingCompactionBytesLimit, "hardPendingCompactionBytesLimit must be at least softPendingCompactionBytesLimit")
        try check(blockCacheSize >= 0, "blockCacheSize \(blockCacheSize) must be 0 or more")
        try check(maxOpenSegments >= 1, "maxOpenSegments \(maxOpenSegments) must be at least 1")
        try check(maxValueSize >= 0 && maxValueSize <= StoreOptions.valueSizeCeiling, "maxValueSize \(maxValueSize) must be 0 to 256 MiB")
    }
}

/// Per-write durability.
public struct WriteOptions: Sendable {
    /// When true (the default) the write returns only after its WAL bytes are
    /// `fdatasync`ed; concurrent synced writers share one sync. When false the
    /// write returns once the bytes are in the OS page cache: it survives a
    /// process crash but not a power loss.
    public var sync: Bool

    public init(sync: Bool = true) {
        self.sync = sync
    }

    /// Synced writes (the default).
    public static let synced = WriteOptions(sync: true)
    /// Buffered writes.
    public static let buffered = WriteOptions(sync: false)
}
