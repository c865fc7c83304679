import Synchronization

/// Hit/miss figures of a cache, taken at one moment (each shard is read in
/// turn, so under concurrent use the fields may be a few operations apart).
public struct CacheStats: Sendable, Equatable {
    /// Lookups that found their entry.
    public let hits: UInt64
    /// Lookups that did not.
    public let misses: UInt64
    /// Entries held now.
    public let entries: Int
    /// Bytes charged for the entries held now.
    public let bytes: Int
    /// The configured bound (bytes for the block cache, readers for the table cache).
    public let capacity: Int

    public init(hits: UInt64, misses: UInt64, entries: Int, bytes: Int, capacity: Int) {
        self.hits = hits
        self.misses = misses
        self.entries = entries
        self.bytes = bytes
        self.capacity = capacity
    }
}

/// Where a data block lives: the opened file's cache id and the block's offset in it.
struct BlockCacheKey: Hashable {
    let cacheID: UInt64
    let offset: UInt64
}

/// A sharded LRU of decompressed, CRC-verified data blocks, bounded by bytes.
///
/// Keys are (cache id, block offset); each opened segment file gets a
/// process-unique cache id (`newCacheID`), so blocks of different files — or of
/// a file replaced under the same name — never collide. The key picks one of
/// `shardCount` shards by a mixed hash; each shard is an `LRUTable` behind its
/// own lock and holds at most its share of the capacity (the shares sum to
/// `capacity`), so the cache never holds more than `capacity` charged bytes.
/// A block is charged its raw size plus `entryOverhead`; a block larger than
/// its shard's share is not kept. Capacity 0 disables the cache: every lookup
/// misses and nothing is kept. Hits and misses are counted with relaxed
/// atomics, per shard.
///
/// Blocks are shared: a `BlockReader` is immutable, so many threads may
/// iterate one cached block at once, and an evicted block stays alive until
/// its last user drops it. Thread-safe.
final class BlockCache: @unchecked Sendable {
    /// Bytes charged per entry on top of the block's raw size: the reader
    /// object, the slot and the dictionary entry.
    static let entryOverhead = 128

    private final class Shard: Sendable {
        let table: Locked<LRUTable<BlockCacheKey, BlockReader>>
        let hits = Atomic<UInt64>(0)
        let misses = Atomic<UInt64>(0)

        init(capacity: Int) {
            table = Locked(LRUTable(capacity: capacity))
        }
    }

    private static let nextCacheID = Atomic<UInt64>(1)

    /// The configured bound in bytes.
    let capacity: Int
    private let shards: [Shard]

    /// A cache holding at most `capacity` bytes in `shardCount` shards (≥ 1).
    /// Allocates the shards only; entries are allocated as blocks arrive.
    init(capacity: Int, shardCount: Int = 16) {
        precondition(capacity >= 0, "block cache capacity must not be negative")
        precondition(shardCount >= 1, "block cache needs at least one shard")
        self.capacity = capacity
        shards = (0..<shardCount).map { i in
            Shard(capacity: capacity / shardCount + (i < capacity % shardCount ? 1 : 0))
        }
    }

    /// A process-unique id for each opened segment file, so keys never collide
    /// across files (even when a file is replaced). Never 0.
    static func newCacheID() -> UInt64 {
        nextCacheID.wrappingAdd(1, ordering: .relaxed).oldValue
    }

    /// The cached block at `offset` of the file with `cacheID`, made most
    /// recently used; nil (a miss) when absent. One lock, one dictionary lookup.
    func block(cacheID: UInt64, offset: UInt64) -> BlockReader? {
        let key = BlockCacheKey(cacheID: cacheID, offset: offset)
        let shard = self.shard(for: key)
        let found = capacity == 0 ? nil : shard.table.withLock { $0.get(key) }
        if found == nil {
            shard.misses.add(1, ordering: .relaxed)
        } else {
            shard.hits.add(1, ordering: .relaxed)
        }
        return found
    }

    /// Caches `block` as the block at `offset` of the file with `cacheID`,
    /// replacing any block under that key and evicting least recently used
    /// blocks of the same shard to stay within its share. Blocks that leave are
    /// released after the lock is dropped.
    func insert(cacheID: UInt64, offset: UInt64, block: BlockReader) {
        guard capacity > 0 else { return }
        let key = BlockCacheKey(cacheID: cacheID, offset: offset)
        let charge = block.bytes.count + BlockCache.entryOverhead
        // The departed blocks are released when the returned array dies, after the unlock.
        _ = shard(for: key).table.withLock { $0.insert(key, block, charge: charge) }
    }

    /// Drops every block of the file with `cacheID` (call when the segment is
    /// deleted). O(entries): walks every shard.
    func erase(cacheID: UInt64) {
        for shard in shards {
            _ = shard.table.withLock { $0.removeAll { $0.cacheID == cacheID } }
        }
    }

    /// Hits, misses, entries and charged bytes summed over the shards.
    var stats: CacheStats {
        var hits: UInt64 = 0, misses: UInt64 = 0, entries = 0, bytes = 0
        for shard in shards {
            hits &+= shard.hits.load(ordering: .relaxed)
            misses &+= shard.misses.load(ordering: .relaxed)
            shard.table.withLock {
                entries += $0.count
                bytes += $0.usage
            }
        }
        return CacheStats(hits: hits, misses: misses, entries: entries, bytes: bytes, capacity: capacity)
    }

    /// The shard for `key`: a 64-bit finaliser (MurmurHash3 fmix64) over both
    /// fields, so consecutive offsets of one file spread over all shards.
    private func shard(for key: BlockCacheKey) -> Shard {
        var h = key.cacheID &* 0x9E37_79B9_7F4A_7C15 ^ key.offset
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return shards[Int(h % UInt64(shards.count))]
    }
}
