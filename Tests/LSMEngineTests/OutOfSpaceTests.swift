import Foundation
import Testing
@testable import LSMEngine
import ScribeTestSupport

/// A full disk is a condition, not a failure: writes fail cleanly with ENOSPC while
/// reads go on, background flushes back off, and once space returns writes resume
/// without reopening — with every acknowledged write kept.
@Suite struct OutOfSpaceTests {
    @Test func writesFailWhileTheDiskIsFullAndResumeWhenSpaceReturns() throws {
        let disk = try SmallFileSystem(megabytes: 16)
        let path = disk.path + "/store"
        var options = StoreOptions()
        options.memtableSize = 64 << 10
        options.automaticCompaction = false
        let store = try LSMStore.open(at: path, options: options)
        disk.fill("ballast")
        var acknowledged: [Int] = []
        var failure: LSMError?
        for i in 0..<2000 where failure == nil {
            do {
                try store.put(Array("key\(i)".utf8), [UInt8](repeating: UInt8(i & 0xFF), count: 4096), options: .buffered)
                acknowledged.append(i)
            } catch let error as LSMError {
                failure = error
            }
        }
        let error = try #require(failure)
        #expect(error.isOutOfSpace, "\(error)")
        guard case .outOfSpace = store.writeAvailability else {
            Issue.record("expected outOfSpace, got \(store.writeAvailability)")
            return
        }
        if let first = acknowledged.first {
            #expect(try store.get(Array("key\(first)".utf8)) == [UInt8](repeating: UInt8(first & 0xFF), count: 4096))
        }
        #expect(throws: LSMError.self) { try store.put(Array("again".utf8), Array("x".utf8)) }

        try disk.free("ballast")
        #expect(store.writeAvailability == .available)
        try store.put(Array("after".utf8), Array("space returned".utf8))
        try store.flush()
        try store.close()

        let reopened = try LSMStore.open(at: path, options: options)
        for i in acknowledged {
            #expect(try reopened.get(Array("key\(i)".utf8)) == [UInt8](repeating: UInt8(i & 0xFF), count: 4096), "key\(i)")
        }
        #expect(try reopened.get(Array("after".utf8)) == Array("space returned".utf8))
        #expect(!reopened.recoveryReport.foundDamage)
        try reopened.close()
    }
}
