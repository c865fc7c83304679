import Foundation
import Testing
@testable import LSMEngine
import ScribeTestSupport

/// The file seam under faults: a store on a `FaultInjectingFileSystem` recovers what
/// it synced after a simulated crash, reports failed syncs and renames, treats an
/// injected ENOSPC as a full disk; and the injector fails exactly the operations its
/// rules name.
@Suite struct FaultInjectionTests {
    func options(_ files: FaultInjectingFileSystem) -> StoreOptions {
        var options = StoreOptions()
        options.fileSystem = files
        options.automaticCompaction = false
        return options
    }

    func value(_ key: String, in store: LSMStore) throws -> String? {
        try store.get([UInt8](key)).map { String(decoding: $0, as: UTF8.self) }
    }

    func errno(of error: LSMError?) -> Int32? {
        guard case let .io(_, _, code)? = error else { return nil }
        return code
    }

    // MARK: A store on the injector

    /// Synced writes survive the crash; the buffered ones after them do not. With
    /// nothing of the tail kept the WAL ends cleanly; with its first bytes kept the
    /// cut record is the torn tail recovery reports, exactly that many bytes.
    @Test(arguments: [0, 10] as [UInt64])
    func aCrashDropsTheBufferedTailAndReopeningRecoversTheSyncedWrites(kept: UInt64) throws {
        let dir = try TemporaryDirectory("faults")
        let files = FaultInjectingFileSystem()
        let wal: String
        let syncedLength: UInt64
        let crashedLength: UInt64
        do {
            let store = try LSMStore.open(at: dir.path, options: options(files))
            for i in 0..<5 { try store.put([UInt8]("synced\(i)"), [UInt8]("value\(i)")) }
            wal = try #require(storeFiles(dir.path, suffix: ".log").last)
            syncedLength = try posix.fileSize(wal)
            for i in 0..<3 { try store.put([UInt8]("buffered\(i)"), [UInt8]("value\(i)"), options: .buffered) }
            crashedLength = try posix.fileSize(wal)
            let outcome = try files.simulateCrash(keepingUnsyncedBytes: kept)
            #expect(outcome.droppedBytes == [wal: crashedLength - syncedLength - kept])
            #expect(outcome.removedFiles.isEmpty)
        }
        #expect(try posix.fileSize(wal) == syncedLength + kept)

        let reopened = try LSMStore.open(at: dir.path, options: options(files))
        for i in 0..<5 { #expect(try value("synced\(i)", in: reopened) == "value\(i)") }
        for i in 0..<3 { #expect(try value("buffered\(i)", in: reopened) == nil) }
        #expect(reopened.recoveryReport.walTornTail == (kept > 0))
        #expect(reopened.recoveryReport.walTornBytes == kept)
        #expect(reopened.recoveryReport.batchesReplayed == 5)
        #expect(!reopened.recoveryReport.foundDamage)
        try reopened.put([UInt8]("after"), [UInt8]("crash"))
        try reopened.close()
    }

    /// A failed `fdatasync` of the WAL fails the synced write that asked for it, and
    /// the store stops taking writes (sticky, `.failed`) until it is reopened; reads
    /// go on and `close` reports the failure again. The failed write's bytes were in
    /// the file before the sync failed, so a reopen without a crash replays them: a
    /// failed write is not an unwritten one (what to do after a failed sync is left
    /// to the fsyncgate handling).
    @Test func aFailedWALSyncFailsTheWriteAndStopsWritesUntilReopened() throws {
        let dir = try TemporaryDirectory("faults")
        let files = FaultInjectingFileSystem()
        let store = try LSMStore.open(at: dir.path, options: options(files))
        try store.put([UInt8]("before"), [UInt8]("1"))
        files.inject(.error(EIO), on: .sync, paths: .suffix(".log"))
        let failure = #expect(throws: LSMError.self) { try store.put([UInt8]("failed"), [UInt8]("2")) }
        #expect(errno(of: failure) == EIO)
        #expect(files.faultsInjected == 1)
        guard case .failed = store.writeAvailability else {
            Issue.record("expected failed, got \(store.writeAvailability)")
            return
        }
        files.removeAllFaults()
        let refused = #expect(throws: LSMError.self) {
            try store.put([UInt8]("refused"), [UInt8]("3"), options: .buffered)
        }
        #expect(refused == failure)
        #expect(try value("before", in: store) == "1")
        let closing = #expect(throws: LSMError.self) { try store.close() }
        #expect(closing == failure)

        let reopened = try LSMStore.open(at: dir.path, options: options(files))
        #expect(try value("before", in: reopened) == "1")
        #expect(try value("failed", in: reopened) == "2")
        #expect(try value("refused", in: reopened) == nil)
        #expect(reopened.writeAvailability == .available)
        try reopened.close()
    }

    /// An injected ENOSPC that leaves part of each WAL append behind is a full disk:
    /// every write fails with an out-of-space error and the partial bytes are cut off
    /// again, the store says `.outOfSpace`, and once the fault is gone writes resume
    /// without a reopen; the WAL holds no trace of the refused writes.
    @Test func anInjectedENOSPCIsAFullDiskAndWritesResumeWhenItClears() throws {
        let dir = try TemporaryDirectory("faults")
        let files = FaultInjectingFileSystem()
        let store = try LSMStore.open(at: dir.path, options: options(files))
        try store.put([UInt8]("before"), [UInt8]("1"))
        let wal = try #require(storeFiles(dir.path, suffix: ".log").last)
        let length = try posix.fileSize(wal)
        files.inject(.shortWrite(bytes: 5, errno: ENOSPC), on: .write, paths: .suffix(".log"), times: nil)
        files.freeSpace = 0
        for i in 0..<3 {
            let failure = #expect(throws: LSMError.self) { try store.put([UInt8]("refused\(i)"), [UInt8]("x")) }
            #expect(failure?.isOutOfSpace == true, "\(String(describing: failure))")
        }
        #expect(files.faultsInjected == 3)
        #expect(try posix.fileSize(wal) == length)
        guard case .outOfSpace = store.writeAvailability else {
            Issue.record("expected outOfSpace, got \(store.writeAvailability)")
            return
        }
        #expect(try value("before", in: store) == "1")

        files.removeAllFaults()
        files.freeSpace = nil
        #expect(store.writeAvailability == .available)
        try store.put([UInt8]("after"), [UInt8]("2"))
        try store.close()

        let reopened = try LSMStore.open(at: dir.path, options: options(files))
        #expect(try value("before", in: reopened) == "1")
        #expect(try value("after", in: reopened) == "2")
        for i in 0..<3 { #expect(try value("refused\(i)", in: reopened) == nil) }
        #expect(!reopened.recoveryReport.walTornTail && !reopened.recoveryReport.foundDamage)
        try reopened.close()
    }

    /// A flush whose segment cannot be renamed into place fails and stops writes; the
    /// segment writer removes its temp file, nothing reaches the manifest, and a
    /// reopen finds every write in the WALs, no damage, and flushes normally.
    @Test func aFailedRenameDuringFlushLeavesTheStoreConsistentAfterReopen() throws {
        let dir = try TemporaryDirectory("faults")
        let files = FaultInjectingFileSystem()
        let store = try LSMStore.open(at: dir.path, options: options(files))
        for i in 0..<50 { try store.put([UInt8]("key\(i)"), [UInt8]("value\(i)"), options: .buffered) }
        files.inject(.error(EIO), on: .rename, paths: .suffix(".sst"))
        let failure = #expect(throws: LSMError.self) { try store.flush() }
        #expect(errno(of: failure) == EIO)
        #expect(files.faultsInjected == 1)
        guard case .failed = store.writeAvailability else {
            Issue.record("expected failed, got \(store.writeAvailability)")
            return
        }
        #expect(storeFiles(dir.path, suffix: ".sst").isEmpty && storeFiles(dir.path, suffix: ".tmp").isEmpty)
        #expect(throws: LSMError.self) { try store.close() }
        files.removeAllFaults()

        let reopened = try LSMStore.open(at: dir.path, options: options(files))
        for i in 0..<50 { #expect(try value("key\(i)", in: reopened) == "value\(i)") }
        #expect(!reopened.recoveryReport.foundDamage && !reopened.recoveryReport.walTornTail)
        #expect(reopened.stats().levels[0].segments == 0)
        try reopened.flush()
        #expect(try reopened.verifyIntegrity().isIntact)
        try reopened.close()

        let again = try LSMStore.open(at: dir.path, options: options(files))
        #expect(again.stats().levels[0].segments == 1)
        for i in 0..<50 { #expect(try value("key\(i)", in: again) == "value\(i)") }
        try again.close()
    }

    // MARK: The injector itself

    /// Counting from 1 the matching operations issued after the rule was added, the
    /// 3rd and 4th fail and no other; operations on other paths neither count nor fail.
    @Test func theNthMatchingOperationFailsExactly() throws {
        let dir = try TemporaryDirectory("faults")
        let files = FaultInjectingFileSystem()
        let target = try files.create(dir.file("target.log"))
        let other = try files.create(dir.file("other.dat"))
        try target.write([0])
        files.inject(.error(EIO), on: .write, paths: .suffix(".log"), nth: 3, times: 2)
        var succeeded: [Bool] = []
        for i in 1...6 {
            try other.write([UInt8(i)])
            succeeded.append((try? target.write([UInt8(i)])) != nil)
        }
        #expect(succeeded == [true, true, false, false, true, true])
        #expect(try target.size() == 5)
        #expect(try other.size() == 6)
        #expect(files.count(.write) == 13)
        #expect(files.faultsInjected == 2)
    }

    /// Each kind of operation a rule names fails, with the rule's errno, and leaves
    /// the disk as it was.
    @Test func everyKindOfOperationCanFail() throws {
        let dir = try TemporaryDirectory("faults")
        let files = FaultInjectingFileSystem()
        let path = dir.file("file")
        let file = try files.create(path)
        try file.write([1, 2, 3])
        func fails(_ operation: FaultInjectingFileSystem.Operation, _ body: () throws -> Void) {
            files.inject(.error(ENOSPC), on: operation)
            let failure = #expect(throws: LSMError.self, "\(operation)") { try body() }
            #expect(failure?.isOutOfSpace == true, "\(operation)")
        }
        fails(.create) { _ = try files.create(dir.file("new")) }
        fails(.create) { _ = try files.openForAppending(dir.file("new")) }
        fails(.open) { _ = try files.openForReading(path) }
        fails(.write) { try file.write([4]) }
        fails(.sync) { try file.sync() }
        fails(.sync) { try file.syncData() }
        fails(.truncate) { try file.truncate(to: 0) }
        fails(.truncate) { try file.rewind(to: 0) }
        fails(.rename) { try files.rename(path, to: dir.file("renamed")) }
        fails(.remove) { try files.remove(path) }
        fails(.syncDirectory) { try files.syncDirectory(dir.path) }
        let reader = try files.openForReading(path)
        fails(.read) { _ = try reader.read(at: 0, count: 3) }
        #expect(files.faultsInjected == 12)
        #expect(try posix.listDirectory(dir.path) == ["file"])
        #expect(try reader.read(at: 0, count: 3) == [1, 2, 3])
    }

    /// A short write leaves a prefix and throws; a torn write leaves a prefix and
    /// reports success.
    @Test func shortAndTornWritesLeaveAPrefix() throws {
        let dir = try TemporaryDirectory("faults")
        let files = FaultInjectingFileSystem()
        let file = try files.create(dir.file("file"))
        files.inject(.shortWrite(bytes: 2, errno: EIO), on: .write)
        #expect(throws: LSMError.self) { try file.write([1, 2, 3, 4]) }
        files.inject(.tornWrite(bytes: 1), on: .write)
        try file.write([5, 6, 7])
        try file.write([8])
        #expect(try posix.readFile(dir.file("file"), limit: 100) == [1, 2, 5, 8])
    }

    /// A crash cuts every file back to its synced length (plus what it is told to
    /// keep), deletes files no directory sync covered, fails the handles opened
    /// before it and releases the locks; what is on disk afterwards is durable.
    @Test func aCrashKeepsOnlyWhatWasMadeDurable() throws {
        let dir = try TemporaryDirectory("faults")
        let files = FaultInjectingFileSystem()
        let durable = try files.create(dir.file("durable"))
        try files.syncDirectory(dir.path)
        try durable.write([UInt8](repeating: 1, count: 100))
        try durable.syncData()
        try durable.write([UInt8](repeating: 2, count: 50))
        let fresh = try files.create(dir.file("fresh"))
        try fresh.write([3])
        try fresh.sync()
        let renamed = try files.create(dir.file("renamed.tmp"))
        try renamed.sync()
        try files.rename(dir.file("renamed.tmp"), to: dir.file("renamed"))
        let lock = try files.lock(dir.file("LOCK"))
        #expect(throws: LSMError.locked(path: dir.file("LOCK"))) { _ = try files.lock(dir.file("LOCK")) }

        let outcome = try files.simulateCrash()
        #expect(outcome.droppedBytes == [dir.file("durable"): 50])
        #expect(outcome.removedFiles == [dir.file("fresh"), dir.file("renamed")])
        #expect(try posix.listDirectory(dir.path) == ["LOCK", "durable"])
        #expect(try posix.fileSize(dir.file("durable")) == 100)
        let stale = #expect(throws: LSMError.self) { try durable.write([4]) }
        #expect(errno(of: stale) == EIO)
        let relocked = try files.lock(dir.file("LOCK"))
        relocked.release()
        lock.release()

        let reopened = try files.openForAppending(dir.file("durable"))
        try reopened.write([5, 6, 7])
        #expect(try files.simulateCrash(keepingUnsyncedBytes: 2).droppedBytes == [dir.file("durable"): 1])
        #expect(try posix.fileSize(dir.file("durable")) == 102)
        #expect(try files.simulateCrash().droppedBytes.isEmpty)
    }
}
