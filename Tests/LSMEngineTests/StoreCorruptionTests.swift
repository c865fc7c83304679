import Foundation
import ScribeTestSupport
import Testing
@testable import LSMEngine

@Suite struct StoreCorruptionTests {
    /// No background compaction: these tests look at what reads and `check` report.
    func smallStoreOptions() -> StoreOptions {
        var options = LSMEngineTests.smallStoreOptions()
        options.automaticCompaction = false
        return options
    }

    func expectCorruption(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Any) {
        #expect(sourceLocation: sourceLocation) {
            _ = try body()
        } throws: { error in
            if case .corruption? = error as? LSMError { return true }
            return false
        }
    }

    /// A closed store with two segments and a WAL with several records.
    func makeStore() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory("corrupt")
        let store = try LSMStore.open(at: dir.path, options: smallStoreOptions())
        for i in 0..<400 { try store.put([UInt8]("key\(i)"), [UInt8]("value-\(i)-padding-padding"), options: .buffered) }
        try store.flush()
        for i in 0..<400 { try store.put([UInt8]("more\(i)"), [UInt8]("value-\(i)"), options: .buffered) }
        try store.flush()
        for i in 0..<50 { try store.put([UInt8]("wal\(i)"), [UInt8](repeating: UInt8(i), count: 1500)) }
        try store.close()
        return dir
    }

    @Test func flippedSegmentByteIsReportedByCheck() throws {
        let dir = try makeStore()
        let segment = try #require(storeFiles(dir.path, suffix: ".sst").first)
        try flipByte(in: segment, at: 100)
        let store = try LSMStore.open(at: dir.path, options: smallStoreOptions())
        let report = try store.verifyIntegrity()
        #expect(!report.isIntact)
        #expect(report.problems.first?.contains("corruption") == true)
        try store.close()

        let check = try ScribeKVBinary.run(["--db", dir.path, "check"])
        #expect(check.status != 0)
        #expect(check.stderr.contains("CORRUPT"))
    }

    @Test func flippedSegmentFooterFailsOpenWithCorruption() throws {
        let dir = try makeStore()
        let segment = try #require(storeFiles(dir.path, suffix: ".sst").first)
        let size = try posix.fileSize(segment)
        try flipByte(in: segment, at: Int(size) - 3)
        expectCorruption { try LSMStore.open(at: dir.path, options: smallStoreOptions()) }
        let check = try ScribeKVBinary.run(["--db", dir.path, "check"])
        #expect(check.status != 0)
        #expect(check.stderr.contains("corruption"))
    }

    @Test func midLogWALCorruptionIsAnErrorUnlessLenient() throws {
        let dir = try makeStore()
        let wal = try #require(storeFiles(dir.path, suffix: ".log").last)
        try flipByte(in: wal, at: 20)
        expectCorruption { try LSMStore.open(at: dir.path, options: smallStoreOptions()) }
        var lenient = smallStoreOptions()
        lenient.recoveryMode = .skipCorruption
        let store = try LSMStore.open(at: dir.path, options: lenient)
        #expect(!store.recoveryReport.skippedCorruption.isEmpty)
        #expect(try store.get([UInt8]("wal49")) == [UInt8](repeating: 49, count: 1500))
        #expect(try store.get([UInt8]("key7")) == [UInt8]("value-7-padding-padding"))
        try store.close()
    }

    @Test func flippedManifestByteFailsOpenWithCorruption() throws {
        let dir = try makeStore()
        let manifest = try #require(storeFiles(dir.path, suffix: "").first { $0.contains("MANIFEST-") })
        try flipByte(in: manifest, at: 10)
        expectCorruption { try LSMStore.open(at: dir.path, options: smallStoreOptions()) }
        let check = try ScribeKVBinary.run(["--db", dir.path, "check"])
        #expect(check.status != 0)
    }

    /// A forced compaction reports the damage to its caller and installs
    /// nothing; the store stays as it was.
    @Test func compactionOverACorruptBlockFailsWithCorruption() throws {
        let dir = try makeStore()
        let segment = try #require(storeFiles(dir.path, suffix: ".sst").first)
        try flipByte(in: segment, at: 100)
        let segments = storeFiles(dir.path, suffix: ".sst")
        let store = try LSMStore.open(at: dir.path, options: smallStoreOptions())
        expectCorruption { try store.compact() }
        #expect(store.stats().compactions == 0)
        #expect(storeFiles(dir.path, suffix: ".sst") == segments)
        #expect(try store.get([UInt8]("wal3")) == [UInt8](repeating: 3, count: 1500))
        try store.close()
    }

    /// In the background nobody can be told, so the failure is sticky: writes
    /// fail loudly rather than pile up behind a compaction that cannot run.
    @Test func backgroundCompactionOverACorruptBlockStopsWrites() throws {
        let dir = try makeStore()
        let segment = try #require(storeFiles(dir.path, suffix: ".sst").first)
        try flipByte(in: segment, at: 100)
        var options = LSMEngineTests.smallStoreOptions()
        options.level0CompactionTrigger = 1
        let store = try LSMStore.open(at: dir.path, options: options)
        var refused = false
        for i in 0..<10_000 where !refused {
            do {
                try store.put([UInt8]("more\(i)"), [UInt8]("v"), options: .buffered)
            } catch let error as LSMError {
                if case .corruption = error { refused = true }
            }
        }
        #expect(refused)
        #expect(throws: LSMError.self) { try store.close() }
    }

    @Test func missingCurrentIsNotMistakenForANewStore() throws {
        let dir = try makeStore()
        try FileManager.default.removeItem(atPath: dir.path + "/CURRENT")
        #expect(throws: LSMError.self) { try LSMStore.open(at: dir.path) }
    }
}
