import Foundation
import ScribeTestSupport
import Synchronization
import Testing
@testable import LSMEngine

/// A valid block of exactly `size` (≥ 9) bytes whose entry area is filled with
/// `tag`: one restart point at 0, restart count 1.
private func makeBlock(size: Int, tag: UInt8 = 0) throws -> BlockReader {
    var raw = [UInt8](repeating: tag, count: size - 8)
    raw.appendFixed32(0)
    raw.appendFixed32(1)
    return try BlockReader(copying: raw, file: "test", fileOffset: 0)
}

/// The charge of a block of `size` raw bytes.
private func charge(_ size: Int) -> Int { size + BlockCache.entryOverhead }

@Test func lruTableKeepsRecencyOrderAndEvictsByCharge() {
    var table = LRUTable<String, Int>(capacity: 10)
    #expect(table.insert("a", 1, charge: 4).isEmpty)
    #expect(table.insert("b", 2, charge: 3).isEmpty)
    #expect(table.insert("c", 3, charge: 3).isEmpty)
    #expect(table.keysByRecency == ["c", "b", "a"])
    #expect(table.get("a") == 1)
    #expect(table.keysByRecency == ["a", "c", "b"])
    // Needs 2 more units: evicts b (the least recent) only.
    #expect(table.insert("d", 4, charge: 2) == [2])
    #expect(table.keysByRecency == ["d", "a", "c"])
    #expect(table.usage == 9)
    // Replacing a key frees its old charge first.
    #expect(table.insert("a", 5, charge: 1) == [1])
    #expect(table.usage == 6 && table.count == 3 && table.peek("a") == 5)
    // Too large for the whole table: not kept.
    #expect(table.insert("e", 6, charge: 11) == [6])
    #expect(table.peek("e") == nil && table.usage == 6)
    #expect(table.removeAll { $0 < "c" }.sorted() == [5])
    #expect(table.keysByRecency == ["d", "c"])
    #expect(table.remove("c") == 3 && table.remove("c") == nil)
    #expect(table.usage == 2 && table.count == 1)
}

@Test func blockCacheEvictsLeastRecentlyUsedBlockByBytes() throws {
    let cache = BlockCache(capacity: 3 * charge(100), shardCount: 1)
    for offset: UInt64 in [0, 100, 200] {
        cache.insert(cacheID: 1, offset: offset, block: try makeBlock(size: 100, tag: UInt8(offset / 100)))
    }
    #expect(cache.block(cacheID: 1, offset: 0) != nil)
    cache.insert(cacheID: 1, offset: 300, block: try makeBlock(size: 100))
    #expect(cache.block(cacheID: 1, offset: 100) == nil)
    for offset: UInt64 in [0, 200, 300] { #expect(cache.block(cacheID: 1, offset: offset) != nil) }
    #expect(cache.block(cacheID: 1, offset: 200)?.bytes.first == 2)
    // A bigger block pushes out as many of the oldest as its size needs.
    cache.insert(cacheID: 1, offset: 400, block: try makeBlock(size: 100 + charge(100)))
    let stats = cache.stats
    #expect(stats.entries == 2)
    #expect(stats.bytes == charge(100) + charge(100 + charge(100)))
    #expect(stats.bytes <= stats.capacity)
    // Recency before the insert was 200, 300, 0: the two oldest left.
    #expect(cache.block(cacheID: 1, offset: 200) != nil && cache.block(cacheID: 1, offset: 400) != nil)
    #expect(cache.block(cacheID: 1, offset: 0) == nil && cache.block(cacheID: 1, offset: 300) == nil)
}

@Test func blockCacheOfCapacityZeroKeepsNothingAndCountsMisses() throws {
    let cache = BlockCache(capacity: 0)
    cache.insert(cacheID: 7, offset: 0, block: try makeBlock(size: 64))
    #expect(cache.block(cacheID: 7, offset: 0) == nil)
    #expect(cache.block(cacheID: 7, offset: 0) == nil)
    #expect(cache.stats == CacheStats(hits: 0, misses: 2, entries: 0, bytes: 0, capacity: 0))
}

@Test func blockCacheDoesNotKeepABlockLargerThanItsShard() throws {
    let cache = BlockCache(capacity: 4 * charge(100), shardCount: 4)
    cache.insert(cacheID: 1, offset: 0, block: try makeBlock(size: 101))
    #expect(cache.block(cacheID: 1, offset: 0) == nil)
    cache.insert(cacheID: 1, offset: 0, block: try makeBlock(size: 100))
    #expect(cache.block(cacheID: 1, offset: 0) != nil)
    #expect(cache.stats.entries == 1)
}

@Test func blockCacheReplacesABlockUnderTheSameKey() throws {
    let cache = BlockCache(capacity: 1 << 20, shardCount: 2)
    cache.insert(cacheID: 3, offset: 8, block: try makeBlock(size: 50, tag: 1))
    cache.insert(cacheID: 3, offset: 8, block: try makeBlock(size: 70, tag: 2))
    #expect(cache.block(cacheID: 3, offset: 8)?.bytes.first == 2)
    #expect(cache.stats.entries == 1 && cache.stats.bytes == charge(70))
}

@Test func blockCacheEraseDropsEveryBlockOfOneFileOnly() throws {
    let cache = BlockCache(capacity: 1 << 20, shardCount: 4)
    for offset in stride(from: UInt64(0), to: 4000, by: 100) {
        cache.insert(cacheID: 10, offset: offset, block: try makeBlock(size: 20))
        cache.insert(cacheID: 11, offset: offset, block: try makeBlock(size: 20))
    }
    #expect(cache.stats.entries == 80)
    cache.erase(cacheID: 10)
    #expect(cache.stats.entries == 40 && cache.stats.bytes == 40 * charge(20))
    for offset in stride(from: UInt64(0), to: 4000, by: 100) {
        #expect(cache.block(cacheID: 10, offset: offset) == nil)
        #expect(cache.block(cacheID: 11, offset: offset) != nil)
    }
    #expect(cache.stats.hits == 40 && cache.stats.misses == 40)
}

@Test func blockCacheIDsAreUniqueAndNonZero() {
    let ids = (0..<1000).map { _ in BlockCache.newCacheID() }
    #expect(Set(ids).count == ids.count)
    #expect(!ids.contains(0))
}

@Test func blockCacheStaysWithinCapacityUnderConcurrentUse() throws {
    let capacity = 64 * charge(200)
    let cache = BlockCache(capacity: capacity, shardCount: 4)
    let lookups = Atomic<UInt64>(0)
    let wrongBlocks = Atomic<Int>(0)
    let overCapacity = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: 4) { thread in
        var rng = SeededGenerator(seed: UInt64(thread) + 1)
        for i in 0..<20_000 {
            let id = UInt64.random(in: 1...4, using: &rng)
            let offset = UInt64.random(in: 0..<256, using: &rng)
            let tag = UInt8(truncatingIfNeeded: id &* 31 &+ offset)
            lookups.add(1, ordering: .relaxed)
            if let block = cache.block(cacheID: id, offset: offset) {
                if block.bytes.first != tag { wrongBlocks.add(1, ordering: .relaxed) }
            } else if let block = try? makeBlock(size: 9 + Int(offset % 300), tag: tag) {
                cache.insert(cacheID: id, offset: offset, block: block)
            }
            if i % 500 == 0 {
                if i % 5000 == 0 { cache.erase(cacheID: id) }
                if cache.stats.bytes > capacity { overCapacity.add(1, ordering: .relaxed) }
            }
        }
    }
    let stats = cache.stats
    #expect(wrongBlocks.load(ordering: .relaxed) == 0)
    #expect(overCapacity.load(ordering: .relaxed) == 0)
    #expect(stats.hits + stats.misses == lookups.load(ordering: .relaxed))
    #expect(stats.hits > 0 && stats.misses > 0)
    #expect(stats.bytes <= capacity && stats.entries > 0)
}

@Test func segmentReadTwiceHitsTheBlockCacheAndReturnsTheSameData() throws {
    let dir = SegmentFixture.makeDirectory()
    defer { SegmentFixture.removeDirectory(dir) }
    let entries = SegmentFixture.entries(userKeys: 3000)
    let meta = try SegmentFixture.write(entries, to: dir)
    let path = "\(dir)/\(meta.id.fileName)"
    let cache = BlockCache(capacity: 64 << 20)
    let cached = try SegmentReader.open(path: path, fileSystem: posix, blockCache: cache)
    let plain = try SegmentReader.open(path: path, fileSystem: posix)
    #expect(cached.cacheID != plain.cacheID)

    let userKey = Array("user-000300".utf8)
    let first = try userKey.withUnsafeBytes { try cached.get(userKey: $0, atSequence: maxSequenceNumber) }
    #expect(cache.stats.hits == 0 && cache.stats.misses == 1 && cache.stats.entries == 1)
    let second = try userKey.withUnsafeBytes { try cached.get(userKey: $0, atSequence: maxSequenceNumber) }
    #expect(cache.stats.hits == 1 && cache.stats.misses == 1)
    let expected = try userKey.withUnsafeBytes { try plain.get(userKey: $0, atSequence: maxSequenceNumber) }
    let found = try #require(first)
    let again = try #require(second)
    let truth = try #require(expected)
    #expect(found.value == truth.value && found.sequence == truth.sequence && found.kind == truth.kind)
    #expect(again.value == truth.value && again.sequence == truth.sequence && again.kind == truth.kind)

    func scan(_ reader: SegmentReader) throws -> [[UInt8]] {
        let it = reader.makeIterator()
        var out: [[UInt8]] = []
        try it.seekToFirst()
        while it.isValid {
            out.append(Array(it.key) + Array(it.value))
            try it.next()
        }
        return out
    }
    let truthScan = try scan(plain)
    #expect(try scan(cached) == truthScan)
    let afterFirstScan = cache.stats
    #expect(afterFirstScan.entries == cached.blockCount)
    #expect(try scan(cached) == truthScan)
    let afterSecondScan = cache.stats
    #expect(afterSecondScan.hits - afterFirstScan.hits == UInt64(cached.blockCount))
    #expect(afterSecondScan.misses == afterFirstScan.misses)
}
