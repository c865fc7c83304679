import Foundation
import ScribeDistributed
import ScribeTestSupport
import Testing

@Suite struct LocalDirectoryObjectStoreTests {
    @Test func putGetHeadAndRanges() async throws {
        let directory = try TemporaryDirectory("local-store")
        let store = try LocalDirectoryObjectStore(root: directory.path + "/objects/")
        #expect(store.location == "file://\(directory.path)/objects")
        let bytes = Array("0123456789".utf8)
        let info = try await store.put("segments/000001.sst", bytes: bytes, ifAbsent: false)
        #expect(info == ObjectInfo(key: "segments/000001.sst", size: 10))
        #expect(try await store.get("segments/000001.sst") == bytes)
        #expect(try await store.get("segments/000001.sst", range: 2..<5) == Array("234".utf8))
        #expect(try await store.get("segments/000001.sst", range: 8..<50) == Array("89".utf8))
        #expect(try await store.get("segments/000001.sst", range: 10..<20) == [])
        #expect(try await store.get("segments/000001.sst", range: 3..<3) == [])
        #expect(try await store.head("segments/000001.sst") == ObjectInfo(key: "segments/000001.sst", size: 10))
        #expect(try await store.head("segments/missing.sst") == nil)
        #expect(try await store.head("segments/000001.sst/below") == nil)
        await #expect(throws: ObjectStoreError.notFound(key: "nope")) { try await store.get("nope") }
        await #expect(throws: ObjectStoreError.notFound(key: "nope")) { try await store.get("nope", range: 0..<1) }
        try await store.put("empty", bytes: [], ifAbsent: true)
        #expect(try await store.get("empty") == [])
        #expect(try await store.get("empty", range: 0..<10) == [])
    }

    @Test func ifAbsentNeverReplacesAndPlainPutDoes() async throws {
        let directory = try TemporaryDirectory("local-store")
        let store = try LocalDirectoryObjectStore(root: directory.path)
        try await store.put("a/b", bytes: [1], ifAbsent: true)
        await #expect(throws: ObjectStoreError.alreadyExists(key: "a/b")) {
            try await store.put("a/b", bytes: [2], ifAbsent: true)
        }
        #expect(try await store.get("a/b") == [1])
        try await store.put("a/b", bytes: [3, 4], ifAbsent: false)
        #expect(try await store.get("a/b") == [3, 4])
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path + "/a")
        #expect(names == ["b"], "temporary files left behind: \(names)")
    }

    @Test func concurrentIfAbsentPutsHaveExactlyOneWinner() async throws {
        let directory = try TemporaryDirectory("local-store")
        let store = try LocalDirectoryObjectStore(root: directory.path)
        let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<16 {
                group.addTask {
                    do {
                        try await store.put("race", bytes: [UInt8(i)], ifAbsent: true)
                        return true
                    } catch ObjectStoreError.alreadyExists {
                        return false
                    }
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(wins == 1)
    }

    @Test func listWalksSubdirectoriesInKeyOrder() async throws {
        let directory = try TemporaryDirectory("local-store")
        let store = try LocalDirectoryObjectStore(root: directory.path)
        let keys = ["wal/2/5-9.wal", "segments/b.sst", "segments/a.sst", "wal/1/1-4.wal", "segments-x", "manifest"]
        for (i, key) in keys.enumerated() {
            try await store.put(key, bytes: [UInt8](repeating: 7, count: i), ifAbsent: true)
        }
        #expect(FileManager.default.createFile(atPath: directory.path + "/segments/c.sst~123", contents: Data([1])))
        #expect(try await store.list(prefix: "", startAfter: nil).map(\.key) == keys.sorted())
        #expect(try await store.list(prefix: "segments/", startAfter: nil)
            == [ObjectInfo(key: "segments/a.sst", size: 2), ObjectInfo(key: "segments/b.sst", size: 1)])
        #expect(try await store.list(prefix: "segments", startAfter: nil).map(\.key)
            == ["segments-x", "segments/a.sst", "segments/b.sst"])
        #expect(try await store.list(prefix: "wal/", startAfter: "wal/1/1-4.wal").map(\.key) == ["wal/2/5-9.wal"])
        #expect(try await store.list(prefix: "wal/1", startAfter: nil).map(\.key) == ["wal/1/1-4.wal"])
        #expect(try await store.list(prefix: "none/", startAfter: nil) == [])
    }

    @Test func deleteRemovesAndToleratesAbsence() async throws {
        let directory = try TemporaryDirectory("local-store")
        let store = try LocalDirectoryObjectStore(root: directory.path)
        try await store.put("x/y", bytes: [1], ifAbsent: false)
        try await store.delete("x/y")
        try await store.delete("x/y")
        try await store.delete("never/was")
        #expect(try await store.head("x/y") == nil)
    }

    @Test func putFileLinksOrCopiesAndVerifies() async throws {
        let directory = try TemporaryDirectory("local-store")
        let store = try LocalDirectoryObjectStore(root: directory.path + "/store")
        let source = directory.file("segment.sst")
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(bytes).write(to: URL(fileURLWithPath: source))
        #expect(try await store.putFile("segments/1.sst", path: source, ifAbsent: true)
            == ObjectInfo(key: "segments/1.sst", size: 300_000))
        #expect(try await store.get("segments/1.sst") == bytes)
        await #expect(throws: ObjectStoreError.alreadyExists(key: "segments/1.sst")) {
            try await store.putFile("segments/1.sst", path: source, ifAbsent: true)
        }
        try await store.putFile("segments/1.sst", path: source, ifAbsent: false)
        #expect(try await store.get("segments/1.sst", range: 299_990..<300_000) == Array(bytes.suffix(10)))
        await #expect(throws: ObjectStoreError.self) {
            try await store.putFile("segments/2.sst", path: directory.file("missing"), ifAbsent: true)
        }
    }

    @Test func putFileCopiesAcrossFileSystems() async throws {
        // /dev/shm is a different file system from the temporary directory on most
        // machines: link(2) fails with EXDEV and the store copies instead.
        guard FileManager.default.isWritableFile(atPath: "/dev/shm") else { return }
        let source = "/dev/shm/scribe-local-store-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: source) }
        let bytes = (0..<(3 << 20) + 17).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try Data(bytes).write(to: URL(fileURLWithPath: source))
        let directory = try TemporaryDirectory("local-store")
        let store = try LocalDirectoryObjectStore(root: directory.path)
        try await store.putFile("big", path: source, ifAbsent: true)
        #expect(try await store.get("big") == bytes)
        await #expect(throws: ObjectStoreError.alreadyExists(key: "big")) {
            try await store.putFile("big", path: source, ifAbsent: true)
        }
    }

    @Test func rejectsKeysThatCouldEscapeTheRoot() async throws {
        let directory = try TemporaryDirectory("local-store")
        let store = try LocalDirectoryObjectStore(root: directory.path)
        for key in ["", "../x", "a/../b", "a//b", "/a", "a/", ".", "a/./b", "a b", "a\\b", "ключ", "a?b", "a~b"] {
            await #expect(throws: ObjectStoreError.self, "accepted \(key.debugDescription)") {
                try await store.put(key, bytes: [1], ifAbsent: false)
            }
            await #expect(throws: ObjectStoreError.self) { try await store.delete(key) }
        }
        for prefix in ["../", "a/../", "a//", "a b"] {
            await #expect(throws: ObjectStoreError.self) { try await store.list(prefix: prefix, startAfter: nil) }
        }
        try await store.put(".hidden/a-b_c.d", bytes: [1], ifAbsent: false)
        #expect(try await store.list(prefix: "", startAfter: nil).map(\.key) == [".hidden/a-b_c.d"])
    }
}
