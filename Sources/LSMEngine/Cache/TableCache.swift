
/// Open segment readers by segment id, at most `capacity` of them (LRU), so a
/// read does not pay for `open` — footer, index, filter, properties and block
/// roots read and validated — on every lookup.
///
/// A miss opens `<directory>/<id>.sst` (or, when that file is absent and a
/// `RemoteSegmentProvider` is set, the segment's remote bytes) outside the lock (other lookups proceed
/// meanwhile; two threads missing the same segment may both open it, and the
/// first to finish is kept) and checks the reader's metadata against what the
/// caller's manifest says: root, entry count and file size must match, else
/// `.corruption`. Readers are shared: an evicted reader stays usable by whoever
/// holds it and closes its file when the last holder drops it.
///
/// Block cache ids: the table cache remembers the `cacheID` it gave each
/// segment, with a digest of its data block layout, and reuses the id when the
/// segment is reopened after an LRU eviction, so the blocks still in the
/// `BlockCache` stay useful. A reopened file must match the manifest's root
/// (which commits every entry of every block) and have the same block handles,
/// so each cached (id, offset) still names a block with the same entries; a
/// file replaced by one with another layout gets a fresh id and the old id's
/// blocks are erased. `evict` (call it when the segment is deleted) forgets the
/// id and erases its blocks.
/// Thread-safe; one lock around a dictionary and an LRU list.
final class TableCache: @unchecked Sendable {
    private struct State {
        var readers: LRUTable<SegmentID, SegmentReader>
        /// The block cache id and block layout digest of every segment opened and not evicted.
        var cacheIDs: [SegmentID: (cacheID: UInt64, layout: UInt64)] = [:]
        /// Sum of `memoryEstimate` over `readers`.
        var bytes = 0
        var hits: UInt64 = 0
        var misses: UInt64 = 0

        /// Inserts a freshly opened reader, or returns the one another thread
        /// inserted first; returns the readers that left, to release unlocked.
        mutating func keep(_ reader: SegmentReader, for id: SegmentID) -> (SegmentReader, [SegmentReader]) {
            if let existing = readers.get(id) { return (existing, [reader]) }
            cacheIDs[id] = (reader.cacheID, TableCache.layoutDigest(reader))
            let departed = readers.insert(id, reader, charge: 1)
            bytes += reader.memoryEstimate
            for old in departed { bytes -= old.memoryEstimate }
            return (reader, departed)
        }
    }

    /// The directory holding the segment files.
    let directory: String
    /// What the segment files are opened and read through.
    let fileSystem: any FileSystem
    /// The most readers kept open.
    let capacity: Int
    /// The block cache every reader opened here consults.
    let blockCache: BlockCache
    /// Where segments missing from `directory` are read from, if anywhere.
    let remote: (any RemoteSegmentProvider)?
    private let state: Locked<State>

    /// A cache keeping at most `capacity` (≥ 0) readers of segments in
    /// `directory` open; capacity 0 opens the file on every call.
    init(
        directory: String, fileSystem: any FileSystem, capacity: Int, blockCache: BlockCache,
        remote: (any RemoteSegmentProvider)? = nil
    ) {
        precondition(capacity >= 0, "table cache capacity must not be negative")
        self.directory = directory
        self.fileSystem = fileSystem
        self.capacity = capacity
        self.blockCache = blockCache
        self.remote = remote
        state = Locked(State(readers: LRUTable(capacity: capacity)))
    }

    /// The open reader of `segment`, opening `<directory>/<id>.sst` on a miss.
    /// Throws what `SegmentReader.open` throws, or `.corruption` when the file's
    /// root, entry count or size differ from `segment`'s (nothing is cached then).
    func reader(for segment: SegmentMetadata) throws -> SegmentReader {
        let (cached, remembered) = state.withLock { s -> (SegmentReader?, (cacheID: UInt64, layout: UInt64)?) in
            if let reader = s.readers.get(segment.id) {
                s.hits += 1
                return (reader, nil)
            }
            s.misses += 1
            return (nil, s.cacheIDs[segment.id])
        }
        if let cached { return cached }

        let path = directory + "/" + segment.id.fileName
        let source: any SegmentSource
        if let remote, !fileSystem.fileExists(path) {
            source = try remote.open(segment)
        } else {
            source = try LocalSegmentFile(path: path, fileSystem: fileSystem)
        }
        var opened = try SegmentReader.open(
            source: source, path: path, blockCache: blockCache, cacheID: remembered?.cacheID)
        if let remembered, TableCache.layoutDigest(opened) != remembered.layout {
            blockCache.erase(cacheID: remembered.cacheID)
            opened = try SegmentReader.open(source: source, path: path, blockCache: blockCache)
        }
        let found = opened.metadata
        guard found.id == segment.id, found.root == segment.root, found.entryCount == segment.entryCount,
              found.fileSize == segment.fileSize
        else {
            throw LSMError.corruption(
                file: path, offset: 0,
                reason: "segment does not match the manifest: found \(found), expected \(segment)")
        }
        // Readers that leave the cache close their files when `departed` dies, after the unlock.
        let (reader, departed) = state.withLock { $0.keep(opened, for: segment.id) }
        _ = departed
        return reader
    }

    /// Forgets segment `id` (call when it is deleted): closes the cached reader
    /// once its current holders drop it and erases its blocks from the block
    /// cache. O(block cache entries).
    func evict(_ id: SegmentID) {
        let (reader, cacheID) = state.withLock { s -> (SegmentReader?, UInt64?) in
            let reader = s.readers.remove(id)
            if let reader { s.bytes -= reader.memoryEstimate }
            return (reader, s.cacheIDs.removeValue(forKey: id)?.cacheID)
        }
        _ = reader
        if let cacheID { blockCache.erase(cacheID: cacheID) }
    }

    /// Hits and misses of `reader(for:)`, readers held, and `bytes` = the
    /// estimated memory of their indexes, filters and block roots.
    var stats: CacheStats {
        state.withLock { s in
            CacheStats(hits: s.hits, misses: s.misses, entries: s.readers.count, bytes: s.bytes, capacity: capacity)
        }
    }

    /// A 64-bit digest of a reader's data block handles (offsets and sizes),
    /// FNV-1a over the words with a final mix. O(blocks).
    private static func layoutDigest(_ reader: SegmentReader) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for handle in reader.blockHandles {
            h = (h ^ handle.offset) &* 0x0000_0100_0000_01B3
            h = (h ^ handle.size) &* 0x0000_0100_0000_01B3
        }
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        return h ^ (h >> 33)
    }
}
