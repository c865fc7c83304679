public import LSMEngine
public import Logging
import ScribeObjects
import Synchronization

/// Serves segments the engine does not hold locally from an `ObjectStore`,
/// through a `SegmentCache` of whole files on disk.
///
/// `open` does no I/O. A source's reads go, in order of preference:
/// 1. to the cached file, when the whole segment is in the cache (a hit);
/// 2. to the segment's tail window in memory: the first read near the end
///    (the engine reads the footer first) fetches the last `tailWindow` bytes,
///    grown down to the first metadata block the footer names, so the footer
///    and the filter, block-roots, properties and index blocks cost one or two
///    requests together;
/// 3. to the object store, one range request for just the bytes asked (a data
///    block miss), which also queues a background download of the whole
///    segment into the cache (one per segment; a failed one is retried after a
///    later miss).
///
/// `read` blocks its caller for up to one object-store round trip (at most
/// `readTimeout`, then `LSMError.unavailable`): call it from engine threads or
/// tasks, never on an NIO event loop. Object-store calls run on a lane of their
/// own (`lane`), so blocked callers cannot starve them.
public final class ObjectSegmentProvider: RemoteSegmentProvider {
    /// The cache of whole segment files.
    public let cache: SegmentCache
    let settings: ObjectSegmentSettings
    private let store: any ObjectStore
    private let bridge: BlockingBridge
    private let downloader: SegmentDownloader
    private let hits = Atomic<UInt64>(0)
    private let rangeReads = Atomic<UInt64>(0)

    /// A provider reading `store`'s `segments/<id>.sst` objects into `cache`, its
    /// object-store calls and downloads running on `lane` (the node executor's
    /// `objectStore` lane). Throws `LSMError.invalidArgument` for settings out of range.
    public init(
        store: any ObjectStore, cache: SegmentCache, settings: ObjectSegmentSettings = ObjectSegmentSettings(),
        lane: BlockingLane = NodeExecutor().objectStore, logger: Logger = Logger(label: "scribe.segments")
    ) throws {
        try settings.validate()
        self.store = store
        self.cache = cache
        self.settings = settings
        bridge = BlockingBridge(lane: lane)
        downloader = SegmentDownloader(store: store, cache: cache, bridge: bridge, settings: settings, logger: logger)
    }

    /// A source of `segment.fileSize` bytes reading as described on the type.
    public func open(_ segment: SegmentMetadata) throws -> any SegmentSource {
        ObjectSegmentSource(segment: segment, provider: self)
    }

    /// Queues background downloads of `segments` into the cache: level 0 and
    /// newer segments first, as many as fit in the cache's capacity together
    /// (segments already cached count against it too), at most
    /// `downloadConcurrency` at a time. Returns the number of downloads queued.
    @discardableResult
    public func prefetch(_ segments: [SegmentMetadata]) -> Int {
        let ordered = segments.sorted {
            ($0.level, $1.largestSequence) < ($1.level, $0.largestSequence)
        }
        var room = cache.capacity
        var queued = 0
        for segment in ordered where segment.fileSize <= room {
            room -= segment.fileSize
            if downloader.request(segment, urgent: false) { queued += 1 }
        }
        return queued
    }

    /// Cache and read counters, for the durable tier's statistics.
    public func statistics() -> SegmentCacheStatistics {
        var statistics = cache.statistics()
        statistics.hits = hits.load(ordering: .relaxed)
        statistics.rangeReads = rangeReads.load(ordering: .relaxed)
        statistics.downloads = downloader.downloads
        statistics.downloadFailures = downloader.failures
        return statistics
    }

    /// `count` bytes at `offset` of `segment` from its cached file (a hit), or
    /// nil when the whole file is not cached.
    func cachedBytes(of segment: SegmentMetadata, at offset: UInt64, count: Int) throws -> [UInt8]? {
        let bytes = try cache.withFile(segment.id, size: segment.fileSize) { path in
            try PosixFileSystem().openForReading(path).read(at: offset, count: count)
        }
        if bytes != nil { hits.add(1, ordering: .relaxed) }
        return bytes
    }

    /// Bytes `range` of `segment` from the object store, waiting at most `readTimeout`.
    func fetch(_ segment: SegmentMetadata, _ range: Range<UInt64>) throws -> [UInt8] {
        rangeReads.add(1, ordering: .relaxed)
        let store = store
        return try bridge.wait(timeout: settings.readTimeout, for: "\(ObjectKeys.segment(segment.id)) \(range)") {
            try await SegmentObject.bytes(of: segment, range, from: store)
        }
    }

    /// Queues a download of the whole of `segment` after a read missed.
    func missed(_ segment: SegmentMetadata) {
        downloader.request(segment, urgent: true)
    }

    /// Queues writing `bytes`, the whole file of `segment`, into the cache.
    func keep(_ segment: SegmentMetadata, bytes: [UInt8]) {
        downloader.keep(segment, bytes: bytes)
    }
}
