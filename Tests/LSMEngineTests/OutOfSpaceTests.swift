import Foundation
import Testing
@testable import LSMEngine
import ScribeTestSupport

/// A full disk is a condition, not a failure: writes fail cleanly with ENOSPC while
/// reads go on, background flushes back off, and once space returns writes resume
/// without reopening — with every acknowledged write kept.
@Suite struct OutOfSpaceTests {
    /// 4 KiB that do not compress, different for every index.
    static func value(_ index: Int) -> [UInt8] { SeededGenerator.bytes(4096, seed: UInt64(index)) }

    @Test func writesFailWhileTheDiskIsFullAndResumeWhenSpaceReturns() throws {
        let disk = try SmallFileSystem(megabytes: 16)
        let path = disk.path + "/store"
        var options = StoreOptions()
        options.memtableSize = 64 << 10
        options.automaticCompaction = false
        let store = try LSMStore.open(at: path, options: options)
        try disk.fill("ballast", leaving: 256 << 10)
        // Write until the disk stays full: twenty refusals in a row (a flush that
        // retires a WAL can give a little space back in between).
        var acknowledged: [Int] = []
        var failure: LSMError?
        var refusedInARow = 0
        for i in 0..<4000 where refusedInARow < 20 {
            do {
                try store.put(Array("key\(i)".utf8), Self.value(i), options: .buffered)
                acknowledged.append(i)
                refusedInARow = 0
            } catch let error as LSMError {
                failure = error
                refusedInARow += 1
            }
        }
        #expect(refusedInARow == 20)
        let error = try #require(failure)
        #expect(!acknowledged.isEmpty)
        #expect(error.isOutOfSpace, "\(error)")
        guard case .outOfSpace = store.writeAvailability else {
            Issue.record("expected outOfSpace, got \(store.writeAvailability)")
            return
        }
        if let first = acknowledged.first {
            #expect(try store.get(Array("key\(first)".utf8)) == Self.value(first))
        }
        #expect(throws: LSMError.self) { try store.put(Array("again".utf8), Self.value(1_000_000)) }

        try disk.free("ballast")
        #expect(store.writeAvailability == .available)
        try store.put(Array("after".utf8), Array("space returned".utf8))
        try store.flush()
        try store.close()

        let reopened = try LSMStore.open(at: path, options: options)
        for i in acknowledged {
            #expect(try reopened.get(Array("key\(i)".utf8)) == Self.value(i), "key\(i)")
        }
        #expect(try reopened.get(Array("after".utf8)) == Array("space returned".utf8))
        #expect(!reopened.recoveryReport.foundDamage)
        try reopened.close()
    }
}
