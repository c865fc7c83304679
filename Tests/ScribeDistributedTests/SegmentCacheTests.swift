import Foundation
import ScribeTestSupport
import LSMEngine
import Testing
@testable import ScribeDistributed

@Suite struct SegmentCacheTests {
    private let kilobyte = [UInt8](repeating: 7, count: 1000)

    @Test func evictsTheLeastRecentlyUsedFileToStayWithinItsBytes() throws {
        let directory = try TemporaryDirectory()
        let cache = try SegmentCache(directory: directory.path, capacity: 3000)
        for name in ["a", "b", "c"] { #expect(try cacheFile(cache, name, bytes: kilobyte)) }
        #expect(cache.statistics().bytes == 3000 && cache.statistics().files == 3)

        // Reading "a" makes "b" the least recently used.
        let read = try cache.withFile(try segmentID("a"), size: 1000) { try PosixFileSystem().openForReading($0).read(at: 10, count: 5) }
        #expect(read == [7, 7, 7, 7, 7])
        #expect(try cacheFile(cache, "d", bytes: kilobyte))
        #expect(!cache.contains(try segmentID("b")))
        for name in ["a", "c", "d"] { #expect(cache.contains(try segmentID(name))) }
        let statistics = cache.statistics()
        #expect(statistics.bytes == 3000 && statistics.files == 3 && statistics.evictions == 1)
        #expect(directory.fileNames == ["a.sst", "c.sst", "d.sst"])

        // A file larger than the whole cache is refused without evicting anything.
        #expect(try !cacheFile(cache, "huge", bytes: [UInt8](repeating: 1, count: 3001)))
        #expect(cache.statistics().files == 3)
    }

    @Test func neverEvictsAFileAReadHolds() throws {
        let directory = try TemporaryDirectory()
        let cache = try SegmentCache(directory: directory.path, capacity: 3000)
        for name in ["a", "b", "c"] { try cacheFile(cache, name, bytes: kilobyte) }
        let a = try segmentID("a")
        let held = try cache.withFile(a, size: 1000) { (_: String) throws -> Bool in
            // "a" is the least recently used file before this read, but held: "b" goes instead.
            #expect(try cacheFile(cache, "d", bytes: kilobyte))
            #expect(try cache.contains(a) && !cache.contains(segmentID("b")))
            // 2500 bytes cannot fit while "a" is held (only "c" and "d" could go): nothing is evicted.
            #expect(try !cacheFile(cache, "e", bytes: [UInt8](repeating: 1, count: 2500)))
            #expect(cache.statistics().files == 3)
            return true
        }
        #expect(held == true)
        // Released, "a" may go now.
        #expect(try cacheFile(cache, "e", bytes: [UInt8](repeating: 1, count: 2500)))
        #expect(!cache.contains(a) && cache.statistics().bytes <= 3000)
        #expect(directory.fileNames.allSatisfy { !$0.hasSuffix(".tmp") })
    }

    @Test func dropsACachedFileWhoseSizeIsNotTheManifests() throws {
        let directory = try TemporaryDirectory()
        let cache = try SegmentCache(directory: directory.path, capacity: 3000)
        try cacheFile(cache, "a", bytes: kilobyte)
        #expect(try cache.withFile(try segmentID("a"), size: 999) { _ in true } == nil)
        #expect(!cache.contains(try segmentID("a")))
        #expect(directory.fileNames.isEmpty)
    }

    @Test func anAbandonedWriterLeavesNoFileAndGivesItsRoomBack() throws {
        let directory = try TemporaryDirectory()
        let cache = try SegmentCache(directory: directory.path, capacity: 1000)
        do {
            let writer = try #require(try cache.makeWriter(for: try segmentID("a"), size: 1000))
            try writer.write([1, 2, 3], at: 0)
            // The room is reserved: nothing else fits meanwhile.
            #expect(try !cacheFile(cache, "b", bytes: kilobyte))
        }
        #expect(directory.fileNames.isEmpty)
        #expect(try cacheFile(cache, "b", bytes: kilobyte))
    }

    @Test func adoptsTheFilesOfAPreviousRunNewestFirstAndRemovesTempFiles() throws {
        let directory = try TemporaryDirectory()
        do {
            let cache = try SegmentCache(directory: directory.path, capacity: 3000)
            for name in ["a", "b", "c"] { try cacheFile(cache, name, bytes: kilobyte) }
        }
        // Modification times: a oldest, c newest.
        for (i, name) in ["a", "b", "c"].enumerated() {
            try FileManager.default.setAttributes(
                [.modificationDate: Date(timeIntervalSince1970: 1_000_000 + Double(i) * 100)],
                ofItemAtPath: directory.file(name + ".sst"))
        }
        _ = FileManager.default.createFile(atPath: directory.file("d.7.tmp"), contents: Data([1, 2]))
        _ = FileManager.default.createFile(atPath: directory.file("notes.txt"), contents: Data([1]))

        do {
            let all = try SegmentCache(directory: directory.path, capacity: 3000)
            for name in ["a", "b", "c"] { #expect(all.contains(try segmentID(name))) }
            #expect(all.statistics().bytes == 3000)
            #expect(directory.fileNames == ["a.sst", "b.sst", "c.sst", "notes.txt"])
        }

        // A smaller cache keeps the newest files that fit and removes the rest.
        let smaller = try SegmentCache(directory: directory.path, capacity: 2000)
        #expect(!smaller.contains(try segmentID("a")))
        #expect(try smaller.contains(segmentID("b")) && smaller.contains(segmentID("c")))
        #expect(directory.fileNames == ["b.sst", "c.sst", "notes.txt"])
        // Recency follows modification time: "b" is evicted before "c".
        try cacheFile(smaller, "d", bytes: kilobyte)
        #expect(try !smaller.contains(segmentID("b")) && smaller.contains(segmentID("c")))
    }
}
