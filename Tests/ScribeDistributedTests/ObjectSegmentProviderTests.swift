import Foundation
import ScribeObjects
@testable import LSMEngine
import ScribeTestSupport
import ScribeTierTestSupport
import Testing
@testable import ScribeDistributed

/// Random reads starting anywhere in the file (some running past its end), each
/// checked against its bytes. Returns how many differed.
private func checkRandomReads(
    _ source: any SegmentSource, of file: SegmentFile, count: Int, seed: UInt64
) throws -> Int {
    var random = SeededGenerator(seed: seed)
    var mismatches = 0
    for _ in 0..<count {
        let offset = UInt64.random(in: 0..<source.size, using: &random)
        let length = Int.random(in: 1...8192, using: &random)
        if try source.read(at: offset, count: length) != file.expected(at: offset, count: length) { mismatches += 1 }
    }
    return mismatches
}

@Suite struct ObjectSegmentProviderTests {
    @Test func sourceBytesEqualTheFileForManyRandomRanges() throws {
        let segment = try #require(try makeSegments(count: 1).first)
        let store = storeHolding([segment])
        let directory = try TemporaryDirectory()
        // No room in the cache: every read is served from the tail window or a range request.
        let provider = try ObjectSegmentProvider(
            store: store, cache: try SegmentCache(directory: directory.path, capacity: 0), settings: settings())
        let source = try provider.open(segment.metadata)
        #expect(source.size == segment.metadata.fileSize)
        try openLikeTheEngine(source)
        #expect(try checkRandomReads(source, of: segment, count: 400, seed: 1) == 0)
        #expect(try source.read(at: 0, count: 0).isEmpty)
        #expect(try source.read(at: source.size, count: 10).isEmpty)
        #expect(try source.read(at: source.size - 5, count: 10) == segment.expected(at: source.size - 5, count: 10))
        let statistics = provider.statistics()
        #expect(statistics.hits == 0 && statistics.rangeReads > 2 && statistics.downloads == 0)
        #expect(directory.fileNames.isEmpty)
    }

    @Test func footerAndMetadataBlocksCostAtMostTwoRequests() throws {
        let segment = try #require(try makeSegments(count: 1).first)
        let store = storeHolding([segment])
        let directory = try TemporaryDirectory()
        let provider = try ObjectSegmentProvider(
            store: store, cache: try SegmentCache(directory: directory.path, capacity: 1 << 30), settings: settings())
        let source = try provider.open(segment.metadata)
        #expect(store.callCount == 0)  // open does no I/O
        let footer = try openLikeTheEngine(source)
        // The metadata blocks are larger than the 4 KiB window: the footer names where they start.
        #expect(segment.metadata.fileSize - footer.filter.offset > 4096)
        #expect(store.callCount == 2)
        #expect(provider.statistics().rangeReads == 2)
        // Opening does not start a download.
        #expect(provider.statistics().downloads == 0 && directory.fileNames.isEmpty)
    }

    @Test func aSegmentWithinTheTailWindowCostsOneRequestAndIsCached() throws {
        let segment = try #require(try makeSegments(count: 1).first)
        let store = storeHolding([segment])
        let directory = try TemporaryDirectory()
        let cache = try SegmentCache(directory: directory.path, capacity: 1 << 30)
        let provider = try ObjectSegmentProvider(store: store, cache: cache, settings: settings(tailWindow: 1 << 20))
        let source = try provider.open(segment.metadata)
        try openLikeTheEngine(source)
        #expect(try checkRandomReads(source, of: segment, count: 50, seed: 2) == 0)
        #expect(store.callCount == 1)
        // The window held the whole file, which goes into the cache without another request.
        #expect(becomesTrue { provider.statistics().downloads == 1 })
        #expect(store.callCount == 1 && cache.contains(segment.metadata.id))
        let hits = provider.statistics().hits
        #expect(try checkRandomReads(source, of: segment, count: 50, seed: 3) == 0)
        #expect(provider.statistics().hits == hits + 50)
    }

    @Test func afterTheBackgroundDownloadReadsAreCacheHits() throws {
        let segment = try #require(try makeSegments(count: 1).first)
        let store = storeHolding([segment])
        let directory = try TemporaryDirectory()
        let cache = try SegmentCache(directory: directory.path, capacity: 1 << 30)
        let provider = try ObjectSegmentProvider(store: store, cache: cache, settings: settings())
        let source = try provider.open(segment.metadata)
        try openLikeTheEngine(source)
        // A data block miss: one range request, and the whole segment is downloaded behind it.
        #expect(try source.read(at: 0, count: 512) == segment.expected(at: 0, count: 512))
        #expect(provider.statistics().rangeReads == 3)
        #expect(becomesTrue { provider.statistics().downloads == 1 })
        let before = provider.statistics()
        #expect(before.bytes == segment.metadata.fileSize && before.files == 1)
        let calls = store.callCount

        #expect(try checkRandomReads(source, of: segment, count: 200, seed: 4) == 0)
        #expect(try checkRandomReads(try provider.open(segment.metadata), of: segment, count: 200, seed: 5) == 0)
        let after = provider.statistics()
        #expect(after.hits == before.hits + 400 && after.rangeReads == before.rangeReads && store.callCount == calls)
        #expect(directory.fileNames == [segment.metadata.id.fileName])
    }

    @Test func aFailedDownloadIsRetriedAfterALaterMiss() throws {
        let segment = try #require(try makeSegments(count: 1).first)
        let store = storeHolding([segment])
        let directory = try TemporaryDirectory()
        let cache = try SegmentCache(directory: directory.path, capacity: 1 << 30)
        let provider = try ObjectSegmentProvider(store: store, cache: cache, settings: settings())
        let source = try provider.open(segment.metadata)
        try openLikeTheEngine(source)
        // Whole-file downloads (one range from 0 past the window) fail; block reads succeed.
        store.inject(ObjectStoreFault(.transientError, on: [.getRange]) { call in
            call.range.map { $0.lowerBound == 0 && $0.count > 4096 } ?? false
        })
        #expect(try source.read(at: 0, count: 512) == segment.expected(at: 0, count: 512))
        #expect(becomesTrue { provider.statistics().downloadFailures == 1 })
        #expect(!cache.contains(segment.metadata.id) && directory.fileNames.isEmpty)

        store.removeAllFaults()
        #expect(try source.read(at: 1000, count: 512) == segment.expected(at: 1000, count: 512))
        #expect(becomesTrue { provider.statistics().downloads == 1 })
        #expect(cache.contains(segment.metadata.id))
    }

    @Test func anUnavailableStoreThrowsUnavailableUntilItReturns() throws {
        let segment = try #require(try makeSegments(count: 1).first)
        let store = storeHolding([segment])
        let directory = try TemporaryDirectory()
        let provider = try ObjectSegmentProvider(
            store: store, cache: try SegmentCache(directory: directory.path, capacity: 1 << 30), settings: settings())
        let source = try provider.open(segment.metadata)
        store.partitioned = true
        #expect(thrownError { try openLikeTheEngine(source) }.map(isUnavailable) == true)
        store.partitioned = false
        try openLikeTheEngine(source)
        store.partitioned = true
        #expect(thrownError { _ = try source.read(at: 0, count: 512) }.map(isUnavailable) == true)
    }

    @Test func aStoreThatDoesNotAnswerTimesOutAsUnavailable() throws {
        let segment = try #require(try makeSegments(count: 1).first)
        let store = storeHolding([segment])
        store.inject(ObjectStoreFault(.timeout(after: .seconds(3600))))
        let directory = try TemporaryDirectory()
        let provider = try ObjectSegmentProvider(
            store: store, cache: try SegmentCache(directory: directory.path, capacity: 1 << 30),
            settings: settings(readTimeout: .milliseconds(200)))
        let source = try provider.open(segment.metadata)
        #expect(thrownError { _ = try source.read(at: source.size - 64, count: 64) }.map(isUnavailable) == true)
    }

    @Test func anObjectOfAnotherSizeThanTheManifestsIsCorruption() throws {
        let segment = try #require(try makeSegments(count: 1).first)
        let directory = try TemporaryDirectory()
        for bytes in [Array(segment.bytes.dropLast(10)), segment.bytes + [0]] {
            let store = FaultInjectingObjectStore()
            store.preload(ObjectKeys.segment(segment.metadata.id), bytes)
            let provider = try ObjectSegmentProvider(
                store: store, cache: try SegmentCache(directory: directory.path, capacity: 1 << 30),
                settings: settings())
            let source = try provider.open(segment.metadata)
            #expect(thrownError { _ = try source.read(at: source.size - 64, count: 64) }.map(isCorruption) == true)
        }
        let missing = try ObjectSegmentProvider(
            store: FaultInjectingObjectStore(), cache: try SegmentCache(directory: directory.path, capacity: 1 << 30))
        #expect(thrownError { _ = try missing.open(segment.metadata).read(at: 0, count: 64) }.map(isUnavailable) == true)
    }

    @Test func concurrentReadsFromManyThreadsMatchTheFiles() throws {
        let segments = try makeSegments(count: 3)
        let store = storeHolding(segments)
        let directory = try TemporaryDirectory()
        let cache = try SegmentCache(directory: directory.path, capacity: 1 << 30)
        let provider = try ObjectSegmentProvider(store: store, cache: cache, settings: settings())
        let sources = try segments.map { try provider.open($0.metadata) }
        let failures = Tally()
        // Readers race the tail fetches, the block misses and the downloads they start.
        DispatchQueue.concurrentPerform(iterations: 12) { i in
            let s = i % segments.count
            let bad = (try? checkRandomReads(sources[s], of: segments[s], count: 150, seed: UInt64(10 + i))) ?? 150
            failures.add(bad)
        }
        #expect(failures.total == 0)
        #expect(becomesTrue { segments.allSatisfy { cache.contains($0.metadata.id) } })
    }

    @Test func concurrentReadsFromManyTasksDoNotStarveTheObjectStore() async throws {
        let segments = try makeSegments(count: 2)
        let store = storeHolding(segments)
        let directory = try TemporaryDirectory()
        // No cache: every task blocks in range reads while holding a cooperative thread.
        let provider = try ObjectSegmentProvider(
            store: store, cache: try SegmentCache(directory: directory.path, capacity: 0), settings: settings())
        let sources = try segments.map { try provider.open($0.metadata) }
        let mismatches = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<32 {
                let s = i % segments.count
                group.addTask { try checkRandomReads(sources[s], of: segments[s], count: 20, seed: UInt64(100 + i)) }
            }
            return try await group.reduce(0, +)
        }
        #expect(mismatches == 0)
        #expect(provider.statistics().rangeReads >= 32)
    }

    @Test func prefetchDownloadsTheNewestSegmentsThatFitTheCache() throws {
        let segments = try makeSegments(count: 3)
        let store = storeHolding(segments)
        let directory = try TemporaryDirectory()
        let sizes = segments.map(\.metadata.fileSize)
        let capacity = sizes[1] + sizes[2] + (sizes.min() ?? 0) / 2
        let cache = try SegmentCache(directory: directory.path, capacity: capacity)
        let provider = try ObjectSegmentProvider(store: store, cache: cache, settings: settings())
        #expect(provider.prefetch(segments.map(\.metadata)) == 2)
        #expect(becomesTrue { provider.statistics().downloads == 2 })
        #expect(cache.contains(segments[1].metadata.id) && cache.contains(segments[2].metadata.id))
        #expect(!cache.contains(segments[0].metadata.id) && provider.statistics().bytes <= capacity)
        #expect(provider.prefetch(segments.map(\.metadata)) == 0)
        // Prefetched segments are read from the cache from the first read.
        let source = try provider.open(segments[2].metadata)
        try openLikeTheEngine(source)
        #expect(provider.statistics().rangeReads == 0 && provider.statistics().hits == 6)
    }
}

@Suite struct ObjectSegmentEngineTests {
    @Test func theEnginesTableCacheOpensAndReadsARemoteSegmentThroughTheProvider() throws {
        let segment = try #require(try makeSegments(count: 1).first)
        let store = storeHolding([segment])
        let engineDirectory = try TemporaryDirectory()
        let cacheDirectory = try TemporaryDirectory()
        let cache = try SegmentCache(directory: cacheDirectory.path, capacity: 1 << 30)
        let provider = try ObjectSegmentProvider(store: store, cache: cache, settings: settings())
        let tables = TableCache(
            directory: engineDirectory.path, fileSystem: PosixFileSystem(), capacity: 4,
            blockCache: BlockCache(capacity: 1 << 20), remote: provider)
        // The engine's reader opens (footer, four metadata blocks, every check) with two requests.
        let reader = try tables.reader(for: segment.metadata)
        #expect(reader.metadata == segment.metadata && store.callCount == 2)
        // Compaction's pattern: every data block in order, each checked (CRC, key order).
        for block in 0..<reader.blockCount { _ = try reader.readDataBlock(block, fillCache: false) }
        #expect(becomesTrue { provider.statistics().downloads == 1 })
        let calls = store.callCount
        for block in 0..<reader.blockCount { _ = try reader.readDataBlock(block, fillCache: false) }
        #expect(store.callCount == calls && provider.statistics().hits >= UInt64(reader.blockCount))
    }
}
