import Foundation
import Testing
@testable import LSMEngine

/// Three segments with different contents in one fresh directory.
private func writeSegments(_ count: Int, in dir: String) throws -> [SegmentMetadata] {
    try (0..<count).map { i in
        try SegmentFixture.write(SegmentFixture.entries(userKeys: 500, seed: UInt64(100 + i)), to: dir)
    }
}

private func copy(_ m: SegmentMetadata, root: [UInt8]? = nil, entryCount: UInt64? = nil, fileSize: UInt64? = nil) -> SegmentMetadata {
    SegmentMetadata(
        id: m.id, level: m.level, root: root ?? m.root, smallestKey: m.smallestKey, largestKey: m.largestKey,
        smallestSequence: m.smallestSequence, largestSequence: m.largestSequence,
        entryCount: entryCount ?? m.entryCount, fileSize: fileSize ?? m.fileSize, blockCount: m.blockCount)
}

private func isCorruption(_ error: any Error) -> Bool {
    if case LSMError.corruption = error { return true }
    return false
}

@Test func tableCacheOpensASegmentOnceThenHits() throws {
    let dir = SegmentFixture.makeDirectory()
    defer { SegmentFixture.removeDirectory(dir) }
    let segments = try writeSegments(1, in: dir)
    let cache = TableCache(directory: dir, fileSystem: posix, capacity: 4, blockCache: BlockCache(capacity: 1 << 20))
    let first = try cache.reader(for: segments[0])
    let second = try cache.reader(for: segments[0])
    #expect(first === second)
    #expect(first.metadata == segments[0])
    #expect(first.blockCache === cache.blockCache)
    let stats = cache.stats
    #expect(stats.hits == 1 && stats.misses == 1 && stats.entries == 1 && stats.capacity == 4)
    #expect(stats.bytes == first.memoryEstimate && stats.bytes > 0)
}

@Test func tableCacheEvictsTheLeastRecentlyUsedReaderBeyondCapacity() throws {
    let dir = SegmentFixture.makeDirectory()
    defer { SegmentFixture.removeDirectory(dir) }
    let s = try writeSegments(3, in: dir)
    let cache = TableCache(directory: dir, fileSystem: posix, capacity: 2, blockCache: BlockCache(capacity: 1 << 20))
    let a = try cache.reader(for: s[0])
    let b = try cache.reader(for: s[1])
    #expect(try cache.reader(for: s[0]) === a)
    _ = try cache.reader(for: s[2])  // evicts b, the least recently used
    #expect(cache.stats.entries == 2 && cache.stats.misses == 3 && cache.stats.hits == 1)
    #expect(try cache.reader(for: s[0]) === a)
    let reopened = try cache.reader(for: s[1])  // a miss again; evicts s[2]
    #expect(reopened !== b)
    #expect(cache.stats.misses == 4 && cache.stats.hits == 2 && cache.stats.entries == 2)
    #expect(try cache.reader(for: s[0]) === a)
    // An evicted reader stays usable by whoever still holds it.
    let key = Array("user-000003".utf8)
    let viaOld = try key.withUnsafeBytes { try b.get(userKey: $0, atSequence: maxSequenceNumber) }
    let viaNew = try key.withUnsafeBytes { try reopened.get(userKey: $0, atSequence: maxSequenceNumber) }
    #expect(viaOld?.value == viaNew?.value && viaOld != nil)
}

@Test func tableCacheRejectsAFileWhoseMetadataDisagreesWithTheManifest() throws {
    let dir = SegmentFixture.makeDirectory()
    defer { SegmentFixture.removeDirectory(dir) }
    let m = try writeSegments(1, in: dir)[0]
    let cache = TableCache(directory: dir, fileSystem: posix, capacity: 4, blockCache: BlockCache(capacity: 1 << 20))
    var wrongRoot = m.root
    wrongRoot[31] ^= 1
    for wrong in [copy(m, root: wrongRoot), copy(m, entryCount: m.entryCount + 1), copy(m, fileSize: m.fileSize - 1)] {
        #expect(throws: LSMError.self) { _ = try cache.reader(for: wrong) }
        do { _ = try cache.reader(for: wrong) } catch { #expect(isCorruption(error)) }
    }
    #expect(cache.stats.entries == 0)
    #expect(try cache.reader(for: m).metadata == m)
}

@Test func tableCacheReportsAMissingFile() throws {
    let dir = SegmentFixture.makeDirectory()
    defer { SegmentFixture.removeDirectory(dir) }
    let m = try writeSegments(1, in: dir)[0]
    try FileManager.default.removeItem(atPath: "\(dir)/\(m.id.fileName)")
    let cache = TableCache(directory: dir, fileSystem: posix, capacity: 4, blockCache: BlockCache(capacity: 1 << 20))
    #expect(throws: LSMError.self) { _ = try cache.reader(for: m) }
    #expect(cache.stats.entries == 0 && cache.stats.misses == 1)
}

@Test func tableCacheEvictForgetsTheReaderAndErasesItsBlocks() throws {
    let dir = SegmentFixture.makeDirectory()
    defer { SegmentFixture.removeDirectory(dir) }
    let s = try writeSegments(2, in: dir)
    let blocks = BlockCache(capacity: 16 << 20)
    let cache = TableCache(directory: dir, fileSystem: posix, capacity: 4, blockCache: blocks)
    for m in s {
        let it = try cache.reader(for: m).makeIterator()
        try it.seekToFirst()
    }
    #expect(blocks.stats.entries == 2)
    let before = try cache.reader(for: s[0])
    cache.evict(s[0].id)
    #expect(blocks.stats.entries == 1)
    #expect(cache.stats.entries == 1)
    let after = try cache.reader(for: s[0])
    #expect(after !== before && after.cacheID != before.cacheID)
    cache.evict(s[1].id)
    cache.evict(s[1].id)
    #expect(blocks.stats.entries == 0 && cache.stats.entries == 1)
}

@Test func tableCacheReopenAfterLRUEvictionKeepsUsingCachedBlocks() throws {
    let dir = SegmentFixture.makeDirectory()
    defer { SegmentFixture.removeDirectory(dir) }
    let s = try writeSegments(2, in: dir)
    let blocks = BlockCache(capacity: 16 << 20)
    let cache = TableCache(directory: dir, fileSystem: posix, capacity: 1, blockCache: blocks)
    let key = Array("user-000003".utf8)
    func get(_ reader: SegmentReader) throws -> [UInt8]? {
        try key.withUnsafeBytes { try reader.get(userKey: $0, atSequence: maxSequenceNumber)?.value }
    }
    let first = try cache.reader(for: s[0])
    let value = try get(first)
    _ = try cache.reader(for: s[1])  // evicts the reader of s[0]
    let reopened = try cache.reader(for: s[0])
    #expect(reopened !== first && reopened.cacheID == first.cacheID)
    let hits = blocks.stats.hits
    #expect(try get(reopened) == value)
    #expect(blocks.stats.hits == hits + 1)
}

@Test func tableCacheOfCapacityZeroOpensOnEveryCall() throws {
    let dir = SegmentFixture.makeDirectory()
    defer { SegmentFixture.removeDirectory(dir) }
    let m = try writeSegments(1, in: dir)[0]
    let cache = TableCache(directory: dir, fileSystem: posix, capacity: 0, blockCache: BlockCache(capacity: 0))
    let a = try cache.reader(for: m)
    let b = try cache.reader(for: m)
    #expect(a !== b)
    #expect(cache.stats == CacheStats(hits: 0, misses: 2, entries: 0, bytes: 0, capacity: 0))
}
