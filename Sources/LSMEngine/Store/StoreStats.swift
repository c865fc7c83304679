/// A point-in-time summary of a store, cheap to take.
public struct StoreStats: Sendable {
    public struct Level: Sendable {
        public let level: Int
        public let segments: Int
        public let bytes: UInt64
        public let entries: UInt64
    }

    /// The newest sequence number assigned and visible.
    public let lastSequence: SequenceNumber
    /// Arena bytes in the active memtable.
    public let memtableBytes: Int
    /// Entries in the active memtable.
    public let memtableEntries: Int
    /// Frozen memtables waiting for (or in) flush.
    public let immutableMemtables: Int
    /// Segments per level.
    public let levels: [Level]
    /// The current manifest version number and its chained digest.
    public let manifestVersion: UInt64
    public let manifestDigest: [UInt8]
    /// The manifest root over the live segments' records.
    public let manifestRoot: [UInt8]
    /// Memtables flushed to segments since open.
    public let flushes: UInt64
    /// Times a writer waited because flushes or compactions fell behind.
    public let writeStalls: UInt64
    /// WAL groups written since open, and the write batches they carried.
    public let walGroups: UInt64
    public let walBatches: UInt64
    /// WAL syncs since open.
    public let walSyncs: UInt64
    /// Writes delayed by 1 ms because level 0 or compaction debt passed its slowdown threshold.
    public let writeSlowdowns: UInt64
    /// Compactions run since open (trivial moves included), and of them the trivial moves.
    public let compactions: UInt64
    public let trivialMoves: UInt64
    /// Segment bytes compactions read and wrote since open.
    public let compactionBytesRead: UInt64
    public let compactionBytesWritten: UInt64
    /// Entries compactions dropped (`.latestOnly` only).
    public let compactionEntriesDropped: UInt64
    /// Bytes above the level targets: how far compaction is behind.
    public let pendingCompactionBytes: UInt64
    /// Segments removed from the current version but still read by an iterator or view.
    public let segmentsAwaitingDeletion: Int
    /// Decompressed data blocks in memory: hits, misses, bytes.
    public let blockCache: CacheStats
    /// Open segment readers: hits, misses, count.
    public let tableCache: CacheStats
    /// Whether writes can succeed now (see `LSMStore.writeAvailability`).
    public let writeAvailability: WriteAvailability
    /// What recovery found when the store was opened.
    public let recovery: RecoveryReport

    public var segmentCount: Int { levels.reduce(0) { $0 + $1.segments } }
    public var segmentBytes: UInt64 { levels.reduce(0) { $0 + $1.bytes } }
}
