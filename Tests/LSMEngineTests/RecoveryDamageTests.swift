import Foundation
import ScribeTestSupport
import Testing
@testable import LSMEngine

/// Torn is not corrupt, and recovery never destroys evidence: damage to acknowledged
/// data refuses to open (strict) or is dropped exactly as reported with a copy in
/// `lost/` (skipCorruption); read-only opens change nothing on disk.
@Suite struct RecoveryDamageTests {
    func options(_ mode: RecoveryMode = .strict, readOnly: Bool = false) -> StoreOptions {
        var options = StoreOptions()
        options.automaticCompaction = false
        options.recoveryMode = mode
        options.readOnly = readOnly
        return options
    }

    /// A closed store with two flushes: `first0…99` in one segment, `second0…99` in
    /// the next; the newest MANIFEST record is the second flush's edit, whose WAL is gone.
    func twoFlushStore() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory("damage")
        let store = try LSMStore.open(at: dir.path, options: options())
        for i in 0..<100 { try store.put(Array("first\(i)".utf8), Array("value-\(i)".utf8), options: .buffered) }
        try store.flush()
        for i in 0..<100 { try store.put(Array("second\(i)".utf8), Array("value-\(i)".utf8), options: .buffered) }
        try store.flush()
        try store.close()
        return dir
    }

    func manifestPath(_ dir: TemporaryDirectory) throws -> String {
        try #require(storeFiles(dir.path, suffix: "").first { $0.contains("MANIFEST-") })
    }

    /// The offset of the newest MANIFEST record.
    func newestRecordOffset(_ dir: TemporaryDirectory) throws -> Int {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try manifestPath(dir))))
        return Int(try #require(ManifestLog.parse(bytes).records.last).offset)
    }

    /// Every file under `dir` (recursively) with its bytes: equal snapshots mean nothing changed.
    func snapshot(_ dir: TemporaryDirectory) throws -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        let root = URL(fileURLWithPath: dir.path)
        guard let walk = FileManager.default.enumerator(atPath: dir.path) else { return files }
        for case let name as String in walk {
            let url = root.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[name] = try posix.readFile(url.path, limit: Int.max)
            }
        }
        return files
    }

    func expectCorruption(containing fragment: String, _ body: () throws -> Any) {
        #expect {
            _ = try body()
        } throws: { error in
            guard case let .corruption(_, _, reason)? = error as? LSMError else { return false }
            return reason.contains(fragment)
        }
    }

    @Test func aFlippedByteInTheNewestManifestRecordRefusesToOpenAndDeletesNothing() throws {
        let dir = try twoFlushStore()
        try flipByte(in: try manifestPath(dir), at: try newestRecordOffset(dir) + ManifestLog.headerSize + 12)
        let before = try snapshot(dir)
        expectCorruption(containing: "not a torn tail") { try LSMStore.open(at: dir.path, options: options()) }
        expectCorruption(containing: "not a torn tail") {
            try LSMStore.open(at: dir.path, options: options(readOnly: true))
        }
        #expect(try snapshot(dir) == before)
        let check = try ScribeKVBinary.run(["--db", dir.path, "check"])
        #expect(check.status != 0)
        #expect(check.stderr.contains("corruption") && check.stderr.contains("not a torn tail"))
        #expect(!check.stdout.contains("check passed"))
        #expect(try snapshot(dir) == before, "check changed the store")
    }

    @Test func skipCorruptionDropsTheDamagedRecordAndKeepsItsSegmentInLost() throws {
        let dir = try twoFlushStore()
        let offset = try newestRecordOffset(dir)
        try flipByte(in: try manifestPath(dir), at: offset + ManifestLog.headerSize + 12)
        let orphan = try #require(storeFiles(dir.path, suffix: ".sst").last.map { ($0 as NSString).lastPathComponent })

        // Read-only, it reports what it would do and does nothing.
        let before = try snapshot(dir)
        let look = try LSMStore.open(at: dir.path, options: options(.skipCorruption, readOnly: true))
        #expect(look.recoveryReport.skippedCorruption.count == 1)
        #expect(look.recoveryReport.quarantined.contains { $0.contains(orphan) && $0.contains("left in place") })
        try look.close()
        #expect(try snapshot(dir) == before)

        let store = try LSMStore.open(at: dir.path, options: options(.skipCorruption))
        let report = store.recoveryReport
        #expect(report.foundDamage)
        #expect(report.skippedCorruption.count == 1)
        #expect(report.skippedCorruption[0].contains("at offset \(offset)"))
        #expect(report.quarantined.contains { $0.hasPrefix("lost/MANIFEST-") && $0.contains("from-\(offset)") })
        #expect(report.quarantined.contains { $0.hasPrefix("lost/" + orphan) && $0.contains("holds sequences 101...200") })
        #expect(try store.get(Array("first7".utf8)) == Array("value-7".utf8))
        #expect(try store.get(Array("second7".utf8)) == nil)
        try store.put(Array("after".utf8), Array("x".utf8))
        try store.close()

        // The dropped flush's writes are all in lost/, readable as a segment.
        let kept = try SegmentReader.open(path: dir.path + "/lost/" + orphan, fileSystem: posix)
        #expect(kept.properties.entryCount == 100)
        // The damage is gone: a strict open now succeeds, and finds nothing more.
        let reopened = try LSMStore.open(at: dir.path, options: options())
        #expect(!reopened.recoveryReport.foundDamage)
        #expect(try reopened.get(Array("after".utf8)) == Array("x".utf8))
        try reopened.close()
    }

    /// A cut in the newest record looks torn, but the flush it recorded already
    /// retired its WAL: the unlisted segment holds the only copy of those writes.
    @Test func aTornManifestRecordWhoseWritesOnlyItsSegmentHoldsRefusesToOpen() throws {
        let dir = try twoFlushStore()
        let manifest = try manifestPath(dir)
        let offset = try newestRecordOffset(dir)
        let handle = try Foundation.FileHandle(forUpdating: URL(fileURLWithPath: manifest))
        try handle.truncate(atOffset: UInt64(offset + 20))
        try handle.close()
        let before = try snapshot(dir)
        expectCorruption(containing: "the manifest does not list this segment") {
            try LSMStore.open(at: dir.path, options: options())
        }
        #expect(try snapshot(dir) == before, "a refused open changed the store")
        let store = try LSMStore.open(at: dir.path, options: options(.skipCorruption))
        #expect(store.recoveryReport.manifestTornBytes == 20)
        #expect(store.recoveryReport.quarantined.contains { $0.contains("holds sequences 101...200") })
        #expect(try store.get(Array("first3".utf8)) == Array("value-3".utf8))
        try store.close()
    }

    /// The output of a flush that crashed before its manifest edit holds nothing the
    /// WAL does not: it is deleted, as before, and reported as nothing.
    @Test func aCrashedFlushOutputIsStillDeletedQuietly() throws {
        let dir = try TemporaryDirectory("crashed-flush")
        let twin = try TemporaryDirectory("crashed-flush-twin")
        for path in [dir.path, twin.path] {
            let store = try LSMStore.open(at: path, options: options())
            for i in 0..<50 { try store.put(Array("k\(i)".utf8), Array("v\(i)".utf8)) }
            if path == twin.path { try store.flush() }
            try store.close()
        }
        let output = try #require(storeFiles(twin.path, suffix: ".sst").first)
        let name = (output as NSString).lastPathComponent
        try FileManager.default.copyItem(atPath: output, toPath: dir.path + "/" + name)
        let store = try LSMStore.open(at: dir.path, options: options())
        #expect(!store.recoveryReport.foundDamage)
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/" + name))
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/lost"))
        #expect(try store.get(Array("k9".utf8)) == Array("v9".utf8))
        try store.close()
    }

    @Test func aReadOnlyOpenChangesNothingAndRefusesWrites() throws {
        let dir = try twoFlushStore()
        let writer = try LSMStore.open(at: dir.path, options: options())
        for i in 0..<20 { try writer.put(Array("wal\(i)".utf8), Array("w".utf8)) }
        try writer.close()
        // A torn final write and a leftover temp file, which a writable open would clean up.
        let wal = try #require(storeFiles(dir.path, suffix: ".log").last)
        let handle = try Foundation.FileHandle(forUpdating: URL(fileURLWithPath: wal))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0x11, 0x22, 0x33]))
        try handle.close()
        _ = FileManager.default.createFile(atPath: dir.path + "/000099.sst.tmp", contents: Data([1, 2, 3]))
        let before = try snapshot(dir)

        let store = try LSMStore.open(at: dir.path, options: options(readOnly: true))
        #expect(store.recoveryReport.walTornTail && store.recoveryReport.walTornBytes == 3)
        #expect(try store.get(Array("wal19".utf8)) == Array("w".utf8))
        #expect(store.writeAvailability == .readOnly)
        #expect(throws: LSMError.readOnly("the store was opened read-only")) { try store.put(Array("x".utf8), Array("y".utf8)) }
        #expect(throws: LSMError.self) { try store.flush() }
        #expect(throws: LSMError.self) { try store.compact() }
        try store.close()
        #expect(try snapshot(dir) == before)

        let check = try ScribeKVBinary.run(["--db", dir.path, "check"])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stderr.contains("incomplete final write of 3 bytes"))
        let stats = try ScribeKVBinary.run(["--db", dir.path, "stats"])
        #expect(stats.stdout.contains("torn_tail=true wal_torn_bytes=3"))
        #expect(try snapshot(dir) == before, "check or stats changed the store")
        expectNoStore(at: dir.path + "/absent")
    }

    func expectNoStore(at path: String) {
        #expect(throws: LSMError.self) { try LSMStore.open(at: path, options: options(readOnly: true)) }
        #expect(!FileManager.default.fileExists(atPath: path), "a read-only open created a directory")
    }

    /// A WAL's complete final record with a bad checksum is damage: strict refuses,
    /// skipCorruption drops that record and keeps the WAL in lost/.
    @Test func aDamagedCompleteFinalWALRecordIsCorruptionAndItsLogIsKept() throws {
        let dir = try TemporaryDirectory("wal-damage")
        let store = try LSMStore.open(at: dir.path, options: options())
        for i in 0..<10 { try store.put(Array("k\(i)".utf8), [UInt8](repeating: UInt8(i), count: 100)) }
        try store.close()
        let wal = try #require(storeFiles(dir.path, suffix: ".log").last)
        let size = try posix.fileSize(wal)
        try flipByte(in: wal, at: Int(size) - 10)
        let before = try snapshot(dir)
        expectCorruption(containing: "not a torn tail") { try LSMStore.open(at: dir.path, options: options()) }
        #expect(try snapshot(dir) == before)

        let lenient = try LSMStore.open(at: dir.path, options: options(.skipCorruption))
        #expect(lenient.recoveryReport.skippedCorruption.count == 1)
        let walName = (wal as NSString).lastPathComponent
        #expect(lenient.recoveryReport.quarantined.contains { $0.hasPrefix("lost/" + walName) })
        #expect(try lenient.get(Array("k8".utf8)) == [UInt8](repeating: 8, count: 100))
        #expect(try lenient.get(Array("k9".utf8)) == nil)
        try lenient.close()
        #expect(FileManager.default.fileExists(atPath: dir.path + "/lost/" + walName))
    }
}
