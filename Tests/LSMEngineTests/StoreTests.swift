import Dispatch
import Foundation
import ScribeTestSupport
import Testing
@testable import LSMEngine
import ScribeBytes

@Suite struct StoreTests {
    @Test func putGetDeleteKeepHistory() throws {
        let dir = try TemporaryDirectory()
        let store = try LSMStore.open(at: dir.path)
        let s1 = try store.put([UInt8]("a"), [UInt8]("1"))
        let s2 = try store.put([UInt8]("a"), [UInt8]("2"))
        let s3 = try store.delete([UInt8]("a"))
        #expect(s1 < s2 && s2 < s3)
        #expect(try store.get([UInt8]("a")) == nil)
        #expect(try store.get([UInt8]("a"), atSequence: s1) == [UInt8]("1"))
        #expect(try store.get([UInt8]("a"), atSequence: s2) == [UInt8]("2"))
        #expect(try store.versions(of: [UInt8]("a")).map(\.sequence) == [s3, s2, s1])
        #expect(try store.versions(of: [UInt8]("a")).map(\.kind) == [.delete, .put, .put])
        #expect(try store.get([UInt8]("missing")) == nil)
        try store.close()
    }

    @Test func emptyValueIsAValueNotAbsence() throws {
        let dir = try TemporaryDirectory()
        let store = try LSMStore.open(at: dir.path)
        try store.put([UInt8]("k"), [UInt8]())
        #expect(try store.get([UInt8]("k")) == [])
        try store.flush()
        #expect(try store.get([UInt8]("k")) == [])
        try store.close()
    }

    @Test func rejectsBadKeyAndValueSizes() throws {
        let dir = try TemporaryDirectory()
        var options = StoreOptions()
        options.maxValueSize = 1000
        let store = try LSMStore.open(at: dir.path, options: options)
        #expect(throws: LSMError.invalidKeySize(size: 0, limit: 65536)) { try store.put([UInt8](), [UInt8]("v")) }
        #expect(throws: LSMError.invalidKeySize(size: 65537, limit: 65536)) {
            try store.put([UInt8](repeating: 1, count: 65537), [UInt8]("v"))
        }
        #expect(throws: LSMError.valueTooLarge(size: 1001, limit: 1000)) {
            try store.put([UInt8]("k"), [UInt8](repeating: 0, count: 1001))
        }
        #expect(throws: LSMError.invalidKeySize(size: 0, limit: 65536)) { try store.get([UInt8]()) }
        try store.put([UInt8](repeating: 7, count: 65536), [UInt8](repeating: 0, count: 1000))
        try store.close()
    }

    @Test func rejectsBadOptions() {
        var options = StoreOptions()
        options.memtableSize = 10
        #expect(throws: LSMError.self) { try LSMStore.open(at: "/tmp/never-created", options: options) }
        options = StoreOptions()
        options.maxValueSize = StoreOptions.valueSizeCeiling + 1
        #expect(throws: LSMError.self) { try LSMStore.open(at: "/tmp/never-created", options: options) }
    }

    @Test func reopeningWithoutWritesAddsNoSegmentsOrWALs() throws {
        let dir = try TemporaryDirectory()
        for round in 0..<5 {
            let store = try LSMStore.open(at: dir.path)
            try store.put([UInt8]("k\(round)"), [UInt8]("v"))
            try store.close()
        }
        #expect(storeFiles(dir.path, suffix: ".sst").isEmpty)
        #expect(storeFiles(dir.path, suffix: ".log").count == 1)
        let store = try LSMStore.open(at: dir.path)
        #expect(try store.scan().count == 5)
        try store.close()
    }

    @Test func crashWhileCreatingTheStoreIsRecoverable() throws {
        let dir = try TemporaryDirectory()
        let store = try LSMStore.open(at: dir.path)
        try store.close()
        try FileManager.default.removeItem(atPath: dir.path + "/CURRENT")
        for wal in storeFiles(dir.path, suffix: ".log") { try FileManager.default.removeItem(atPath: wal) }
        let reopened = try LSMStore.open(at: dir.path)
        try reopened.put([UInt8]("a"), [UInt8]("b"))
        #expect(try reopened.get([UInt8]("a")) == [UInt8]("b"))
        try reopened.close()
    }

    @Test func walFilesWithOutOfRangeNumbersAreNotOurs() {
        #expect(StoreFiles.walNumber("000007.log") == 7)
        #expect(StoreFiles.walNumber("18446744073709551614.log") == nil)
        #expect(StoreFiles.walNumber("x.log") == nil)
    }

    @Test func batchIsAtomicWithConsecutiveSequences() throws {
        let dir = try TemporaryDirectory()
        let store = try LSMStore.open(at: dir.path)
        var batch = WriteBatch()
        batch.put([UInt8]("x"), [UInt8]("1"))
        batch.put([UInt8]("y"), [UInt8]("2"))
        batch.delete([UInt8]("x"))
        let last = try store.write(batch)
        #expect(try store.versions(of: [UInt8]("x")).map(\.sequence) == [last, last - 2])
        #expect(try store.lookup([UInt8]("y"))?.sequence == last - 1)
        #expect(try store.get([UInt8]("x"), atSequence: last - 1) == [UInt8]("1"))
        #expect(try store.write(WriteBatch()) == last)
        try store.close()
    }

    @Test func snapshotSeesFrozenState() throws {
        let dir = try TemporaryDirectory()
        let store = try LSMStore.open(at: dir.path, options: smallStoreOptions())
        try store.put([UInt8]("a"), [UInt8]("old"))
        let snapshot = store.snapshot()
        try store.put([UInt8]("a"), [UInt8]("new"))
        try store.put([UInt8]("b"), [UInt8]("added"))
        try store.flush()
        #expect(try store.get([UInt8]("a"), snapshot: snapshot) == [UInt8]("old"))
        #expect(try store.get([UInt8]("b"), snapshot: snapshot) == nil)
        #expect(try store.scan(ScanOptions(snapshot: snapshot)).map(\.key) == [[UInt8]("a")])
        #expect(try store.get([UInt8]("a")) == [UInt8]("new"))
        snapshot.release()
        try store.close()
    }

    @Test func scansHonourRangePrefixAndDirection() throws {
        let dir = try TemporaryDirectory()
        let store = try LSMStore.open(at: dir.path, options: smallStoreOptions())
        for i in 0..<300 {
            try store.put([UInt8]("key\(1000 + i)"), [UInt8]("v\(i)"), options: .buffered)
            if i == 150 { try store.flush() }
        }
        try store.delete([UInt8]("key1005"))
        let all = try store.scan()
        #expect(all.count == 299)
        #expect(all.first?.key == [UInt8]("key1000"))
        let prefix = try store.scan(ScanOptions(prefix: [UInt8]("key100")))
        #expect(prefix.map(\.key) == (0..<10).filter { $0 != 5 }.map { [UInt8]("key\(1000 + $0)") })
        let range = try store.scan(ScanOptions(start: [UInt8]("key1100"), end: [UInt8]("key1103")))
        #expect(range.map(\.key) == [[UInt8]("key1100"), [UInt8]("key1101"), [UInt8]("key1102")])
        let reversed = try store.scan(ScanOptions(start: [UInt8]("key1100"), end: [UInt8]("key1103"), reverse: true))
        #expect(reversed.map(\.key) == range.map(\.key).reversed())
        #expect(try store.scan(ScanOptions(reverse: true), limit: 1).first?.key == [UInt8]("key1299"))
        #expect(try store.scan(ScanOptions(prefix: [0xFF, 0xFF])).isEmpty)
        try store.close()
    }

    @Test func reopenRestoresAcknowledgedStateAndManifest() throws {
        let dir = try TemporaryDirectory()
        var store = try LSMStore.open(at: dir.path, options: smallStoreOptions())
        for i in 0..<2000 {
            try store.put([UInt8]("k\(i % 500)"), [UInt8]("value-\(i)"), options: .buffered)
        }
        try store.flush()
        try store.put([UInt8]("tail"), [UInt8]("in the wal"))
        let before = try store.scan()
        let sequence = store.latestSequence
        try store.close()
        let stats = store.stats()
        #expect(stats.segmentCount >= 2)
        var options = smallStoreOptions()
        options.automaticCompaction = false
        store = try LSMStore.open(at: dir.path, options: options)
        #expect(try store.scan() == before)
        #expect(store.latestSequence == sequence)
        #expect(store.recoveryReport.batchesReplayed >= 1)
        #expect(try store.versions(of: [UInt8]("k7")).count == 4)
        #expect(store.stats().manifestVersion == stats.manifestVersion)
        #expect(store.stats().manifestDigest == stats.manifestDigest)
        #expect(store.stats().memtableEntries == 1)
        #expect(try store.verifyIntegrity().isIntact)
        try store.close()
    }

    @Test func secondOpenOfSameDirectoryIsRefused() throws {
        let dir = try TemporaryDirectory()
        let store = try LSMStore.open(at: dir.path)
        #expect(throws: LSMError.locked(path: dir.path + "/LOCK")) { try LSMStore.open(at: dir.path) }
        try store.close()
    }

    @Test func missingStoreWithoutCreateIsAnError() {
        var options = StoreOptions()
        options.createIfMissing = false
        #expect(throws: LSMError.self) { try LSMStore.open(at: "/tmp/scribe-no-such-store-\(UInt64.random(in: 0...UInt64.max))", options: options) }
    }

    @Test func closedStoreRefusesWork() throws {
        let dir = try TemporaryDirectory()
        let store = try LSMStore.open(at: dir.path)
        try store.close()
        try store.close()
        #expect(throws: LSMError.self) { try store.put([UInt8]("a"), [UInt8]("b")) }
        #expect(throws: LSMError.self) { try store.get([UInt8]("a")) }
    }

    @Test func concurrentSyncedWritersShareGroupCommits() throws {
        let dir = try TemporaryDirectory()
        let store = try LSMStore.open(at: dir.path, options: smallStoreOptions())
        let threads = 16
        let perThread = 100
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for i in 0..<perThread {
                _ = try? store.put([UInt8]("t\(t)-\(i)"), [UInt8]("value \(t) \(i)"), options: .synced)
            }
        }
        for t in 0..<threads {
            for i in 0..<perThread {
                #expect(try store.get([UInt8]("t\(t)-\(i)")) == [UInt8]("value \(t) \(i)"))
            }
        }
        let stats = store.stats()
        #expect(stats.lastSequence == SequenceNumber(threads * perThread))
        #expect(stats.walBatches == UInt64(threads * perThread))
        #expect(stats.walSyncs == stats.walGroups)
        try store.close()
    }

    @Test func readsStayCorrectWhileFlushesRunInBackground() throws {
        let dir = try TemporaryDirectory()
        var options = smallStoreOptions()
        options.memtableSize = 8 << 10
        let store = try LSMStore.open(at: dir.path, options: options)
        DispatchQueue.concurrentPerform(iterations: 3) { worker in
            if worker == 0 {
                for i in 0..<3000 { _ = try? store.put([UInt8]("w\(i)"), [UInt8]("\(i)"), options: .buffered) }
            } else {
                for _ in 0..<200 {
                    let seen = (try? store.scan(ScanOptions(prefix: [UInt8]("w")))) ?? []
                    let keys = seen.map(\.key)
                    #expect(keys == keys.sorted { ByteOrder.compare($0, $1) < 0 })
                }
            }
        }
        try store.flush()
        #expect(try store.scan(ScanOptions(prefix: [UInt8]("w"))).count == 3000)
        #expect(store.stats().flushes > 1)
        try store.close()
    }

    @Test func largeValuesRoundTripThroughSegments() throws {
        let dir = try TemporaryDirectory()
        let store = try LSMStore.open(at: dir.path)
        var rng = SeededGenerator(seed: 9)
        let big = rng.bytes(3 << 20)
        try store.put([UInt8]("big"), big)
        try store.flush()
        #expect(try store.get([UInt8]("big")) == big)
        try store.close()
    }
}
