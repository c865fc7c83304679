/// Counters and gauges of the segment cache and of the reads that go past it,
/// for the durable tier's statistics.
public struct SegmentCacheStatistics: Sendable, Equatable {
    /// Reads served from whole cached files.
    public var hits: UInt64 = 0
    /// Reads that needed a range request to the object store (a segment's tail
    /// window, or a data block of a segment not cached). Reads served from a
    /// tail window already in memory count as neither.
    public var rangeReads: UInt64 = 0
    /// Bytes of the files in the cache, and their number.
    public var bytes: UInt64 = 0
    public var files = 0
    /// Files removed to make room.
    public var evictions: UInt64 = 0
    /// Whole segments written into the cache (downloaded, or kept from a tail
    /// window that held the whole file), and attempts that failed.
    public var downloads: UInt64 = 0
    public var downloadFailures: UInt64 = 0

    public init() {}
}
