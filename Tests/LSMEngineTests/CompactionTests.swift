import Foundation
import ScribeTestSupport
import Testing
@testable import LSMEngine

@Suite struct CompactionTests {
    func options(_ policy: HistoryPolicy) -> StoreOptions {
        var options = smallStoreOptions()
        options.historyPolicy = policy
        options.memtableSize = 1 << 20
        options.automaticCompaction = false
        options.targetSegmentSize = 8 << 10
        return options
    }

    /// Writes `rounds` versions of 300 keys, flushing after each round.
    func fill(_ store: LSMStore, rounds: Int, tag: String = "") throws {
        for round in 0..<rounds {
            for i in 0..<300 {
                try store.put([UInt8]("key\(1000 + i)"), [UInt8]("\(tag)round\(round)-value\(i)"), options: .buffered)
            }
            try store.flush()
        }
    }

    @Test func compactionKeepsEveryVersionWithRetainAll() throws {
        let dir = try TemporaryDirectory("compact-all")
        let store = try LSMStore.open(at: dir.path, options: options(.retainAll))
        try fill(store, rounds: 4)
        try store.delete([UInt8]("key1007"))
        try store.flush()
        let before = try store.versions(of: [UInt8]("key1007"))
        #expect(store.stats().levels[0].segments == 5)
        try store.compact()
        let stats = store.stats()
        #expect(stats.levels[0].segments == 0)
        #expect(stats.levels[1].segments > 1)
        #expect(stats.compactionEntriesDropped == 0)
        #expect(try store.versions(of: [UInt8]("key1007")) == before)
        #expect(before.count == 5)
        #expect(try store.get([UInt8]("key1008")) == [UInt8]("round3-value8"))
        #expect(try store.verifyIntegrity().isIntact)
        try store.close()
    }

    @Test func latestOnlyDropsShadowedVersionsAndBottomTombstones() throws {
        let dir = try TemporaryDirectory("compact-latest")
        let store = try LSMStore.open(at: dir.path, options: options(.latestOnly))
        try fill(store, rounds: 4)
        for i in 0..<100 { try store.delete([UInt8]("key\(1000 + i)"), options: .buffered) }
        try store.flush()
        try store.compact()
        let stats = store.stats()
        // 1,200 puts + 100 tombstones in; 200 live keys out.
        #expect(stats.compactionEntriesDropped == 1_100)
        #expect(stats.levels.reduce(0) { $0 + $1.entries } == 200)
        #expect(try store.get([UInt8]("key1050")) == nil)
        #expect(try store.versions(of: [UInt8]("key1050")).isEmpty)
        #expect(try store.get([UInt8]("key1250")) == [UInt8]("round3-value250"))
        #expect(try store.scan().count == 200)
        try store.close()
    }

    @Test func latestOnlyFlushDropsVersionsShadowedInsideTheMemtableButNotWhatSnapshotsSee() throws {
        for policy in [HistoryPolicy.retainAll, .latestOnly] {
            let dir = try TemporaryDirectory("flush-filter")
            let store = try LSMStore.open(at: dir.path, options: options(policy))
            try store.put([UInt8]("a"), [UInt8]("1"))
            try store.put([UInt8]("a"), [UInt8]("2"))
            try store.delete([UInt8]("b"))
            try store.flush()
            // latestOnly keeps "a"@2 and the tombstone (older segments may hold "b").
            #expect(store.stats().levels[0].entries == (policy == .retainAll ? 3 : 2))

            try store.put([UInt8]("c"), [UInt8]("1"))
            let snapshot = store.snapshot()
            try store.put([UInt8]("c"), [UInt8]("2"))
            try store.flush()
            #expect(store.stats().levels[0].entries == (policy == .retainAll ? 5 : 4))
            #expect(try store.get([UInt8]("c"), snapshot: snapshot) == [UInt8]("1"))
            #expect(try store.get([UInt8]("a")) == [UInt8]("2"))
            #expect(store.latestSequence == 5)
            try store.close()
            let reopened = try LSMStore.open(at: dir.path, options: options(policy))
            #expect(reopened.latestSequence == 5)
            try reopened.close()
        }
    }

    @Test func snapshotsAndIteratorsStayConsistentAcrossCompaction() throws {
        let dir = try TemporaryDirectory("compact-snapshot")
        let store = try LSMStore.open(at: dir.path, options: options(.latestOnly))
        try fill(store, rounds: 2)
        let snapshot = store.snapshot()
        let expected = try store.scan()
        let iterator = try store.makeIterator()
        var seen: [StoreEntry] = []
        for _ in 0..<50 { if let entry = try iterator.next() { seen.append(entry) } }

        try fill(store, rounds: 2, tag: "new-")
        for i in 0..<300 where i % 3 == 0 { try store.delete([UInt8]("key\(1000 + i)"), options: .buffered) }
        try store.flush()
        try store.compact()

        while let entry = try iterator.next() { seen.append(entry) }
        #expect(seen == expected)
        #expect(try store.scan(ScanOptions(snapshot: snapshot)) == expected)
        #expect(try store.get([UInt8]("key1003"), snapshot: snapshot) == [UInt8]("round1-value3"))
        #expect(try store.get([UInt8]("key1003")) == nil)
        #expect(try store.get([UInt8]("key1004")) == [UInt8]("new-round1-value4"))
        snapshot.release()
        try store.close()
    }

    @Test func compactedInputsAreDeletedOnlyAfterTheirLastReader() throws {
        let dir = try TemporaryDirectory("compact-lifetimes")
        let store = try LSMStore.open(at: dir.path, options: options(.retainAll))
        try fill(store, rounds: 3)
        let inputs = Set(storeFiles(dir.path, suffix: ".sst"))
        #expect(inputs.count == 3)
        var iterator: StoreIterator? = try store.makeIterator()
        _ = try iterator?.next()

        try store.compact()
        // The iterator still reads the inputs: they must still exist.
        #expect(inputs.isSubset(of: Set(storeFiles(dir.path, suffix: ".sst"))))
        #expect(store.stats().segmentsAwaitingDeletion == 3)
        var count = 1
        while try iterator?.next() != nil { count += 1 }
        #expect(count == 300)

        iterator = nil
        #expect(store.stats().segmentsAwaitingDeletion == 0)
        #expect(Set(storeFiles(dir.path, suffix: ".sst")).isDisjoint(with: inputs))
        #expect(try store.scan().count == 300)
        #expect(try store.verifyIntegrity().isIntact)
        try store.close()

        let reopened = try LSMStore.open(at: dir.path, options: options(.retainAll))
        #expect(try reopened.versions(of: [UInt8]("key1001")).count == 3)
        try reopened.close()
    }

    @Test func deeperLevelsStayUserKeyDisjointAndCompactInTurn() throws {
        let dir = try TemporaryDirectory("compact-levels")
        var options = options(.retainAll)
        options.automaticCompaction = true
        options.level0CompactionTrigger = 2
        options.maxBytesForLevelBase = 16 << 10
        options.levelSizeMultiplier = 2
        let store = try LSMStore.open(at: dir.path, options: options)
        try fill(store, rounds: 12)
        try store.compact()
        let version = store.stats()
        #expect(version.compactions > 2)
        #expect(version.levels.dropFirst(2).contains { $0.segments > 0 })
        #expect(try store.versions(of: [UInt8]("key1111")).count == 12)
        #expect(try store.verifyIntegrity().isIntact)
        try store.close()
    }

    @Test func sustainedWritesKeepLevelZeroBounded() throws {
        let dir = try TemporaryDirectory("compact-stall")
        var options = smallStoreOptions()
        options.memtableSize = 4 << 10
        options.level0CompactionTrigger = 2
        options.level0SlowdownTrigger = 3
        options.level0StopTrigger = 4
        let store = try LSMStore.open(at: dir.path, options: options)
        for i in 0..<6000 {
            try store.put([UInt8]("k\(i % 1500)"), [UInt8](repeating: UInt8(i % 251), count: 60), options: .buffered)
            // Writes stop at the trigger, but memtables already frozen still
            // flush: level 0 may pass it by at most that many.
            #expect(store.stats().levels[0].segments <= options.level0StopTrigger + options.maxImmutableMemtables)
        }
        #expect(store.stats().compactions > 0)
        #expect(try store.get([UInt8]("k7")) == [UInt8](repeating: UInt8(4507 % 251), count: 60))
        try store.close()
    }
}
