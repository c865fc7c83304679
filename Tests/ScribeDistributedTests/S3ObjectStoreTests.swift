import Foundation
import S3Protocol
import ScribeDistributed
import ScribeTestSupport
import Testing
import ScribeBytes
import ScribeCrypto

/// `S3ObjectStore` against a real moto_server. Serialized: each test starts its
/// own server, and two cores run Python servers slowly side by side.
@Suite(.serialized) struct S3ObjectStoreTests {
    @Test func putGetRangesHeadAndDelete() async throws {
        try await withMotoStore(prefix: "/cluster//node-1/") { server, store in
            #expect(store.location == "s3://scribe-test/cluster/node-1")
            let bytes = patternBytes(1000)
            let info = try await store.put("segments/000001.sst", bytes: bytes, ifAbsent: true)
            #expect(info.etag == Hex.encode(MD5.hash(bytes)))
            #expect(try server.listObjects(bucket: "scribe-test", prefix: "").map(\.key)
                == ["cluster/node-1/segments/000001.sst"])
            #expect(try await store.get("segments/000001.sst") == bytes)
            #expect(try await store.get("segments/000001.sst", range: 10..<20) == Array(bytes[10..<20]))
            #expect(try await store.get("segments/000001.sst", range: 990..<2000) == Array(bytes[990...]))
            #expect(try await store.get("segments/000001.sst", range: 1000..<1010) == [])
            #expect(try await store.get("segments/000001.sst", range: 5..<5) == [])
            #expect(try await store.head("segments/000001.sst")
                == ObjectInfo(key: "segments/000001.sst", size: 1000, etag: info.etag))
            #expect(try await store.head("segments/none.sst") == nil)
            await #expect(throws: ObjectStoreError.notFound(key: "none")) { try await store.get("none") }
            await #expect(throws: ObjectStoreError.notFound(key: "none")) { try await store.get("none", range: 0..<4) }

            try await store.put("empty", bytes: [], ifAbsent: false)
            #expect(try await store.get("empty") == [])
            #expect(try await store.get("empty", range: 0..<10) == [])
            #expect(try await store.head("empty")?.size == 0)

            try await store.delete("segments/000001.sst")
            try await store.delete("segments/000001.sst")
            #expect(try await store.head("segments/000001.sst") == nil)
            #expect(try server.listObjects(bucket: "scribe-test", prefix: "").map(\.key) == ["cluster/node-1/empty"])
        }
    }

    @Test func ifAbsentConflictsAreAlreadyExists() async throws {
        try await withMotoStore { _, store in
            try await store.put("wal/1/1-2.wal", bytes: [1, 2, 3], ifAbsent: true)
            await #expect(throws: ObjectStoreError.alreadyExists(key: "wal/1/1-2.wal")) {
                try await store.put("wal/1/1-2.wal", bytes: [9], ifAbsent: true)
            }
            #expect(try await store.get("wal/1/1-2.wal") == [1, 2, 3])
            try await store.put("wal/1/1-2.wal", bytes: [9], ifAbsent: false)
            #expect(try await store.get("wal/1/1-2.wal") == [9])
        }
    }

    @Test func listFollowsContinuationTokensAcrossPages() async throws {
        try await withMotoStore(prefix: "p", configure: { $0.listPageSize = 7 }) { server, store in
            let keys = (0..<40).map { String(format: "segments/%06d.sst", $0 * 7 % 40) } + ["wal/1/1-9.wal", "other"]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (i, key) in keys.enumerated() {
                    group.addTask { try await store.put(key, bytes: patternBytes(i), ifAbsent: true) }
                }
                try await group.waitForAll()
            }
            let listed = try await store.list(prefix: "segments/", startAfter: nil)
            let independent = try server.listObjects(bucket: "scribe-test", prefix: "p/segments/")
            #expect(listed.count == 40)
            #expect(listed.map(\.key) == independent.map { String($0.key.dropFirst(2)) })
            #expect(listed.map(\.size) == independent.map(\.size))
            #expect(listed.allSatisfy { $0.etag != nil })
            let after = try await store.list(prefix: "segments/", startAfter: "segments/000029.sst")
            #expect(after.map(\.key) == (30..<40).map { String(format: "segments/%06d.sst", $0) })
            #expect(try await store.list(prefix: "", startAfter: nil).map(\.key) == keys.sorted())
            #expect(try await store.list(prefix: "none/", startAfter: nil) == [])
        }
    }

    @Test func largeFilesGoUpInPartsAndAreVerified() async throws {
        try await withMotoStore(configure: {
            $0.multipartThreshold = 5 << 20
            $0.partSize = 5 << 20
            $0.partConcurrency = 2
        }) { server, store in
            let directory = try TemporaryDirectory("s3-multipart")
            let path = directory.file("segment.sst")
            let bytes = patternBytes(12 << 20, seed: 3)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let info = try await store.putFile("segments/big.sst", path: path, ifAbsent: true)
            let partMD5s = stride(from: 0, to: bytes.count, by: 5 << 20).map {
                MD5.hash(Array(bytes[$0..<min($0 + (5 << 20), bytes.count)]))
            }
            #expect(info == ObjectInfo(key: "segments/big.sst", size: UInt64(12 << 20),
                                       etag: S3ETag.multipart(partMD5s: partMD5s)))
            #expect(info.etag?.hasSuffix("-3") == true)
            #expect(try await store.get("segments/big.sst") == bytes)
            #expect(try await store.get("segments/big.sst", range: 5_242_870..<5_242_890)
                == Array(bytes[5_242_870..<5_242_890]))
            await #expect(throws: ObjectStoreError.alreadyExists(key: "segments/big.sst")) {
                try await store.putFile("segments/big.sst", path: path, ifAbsent: true)
            }
            let listing = try server.listObjects(bucket: "scribe-test", prefix: "")
            #expect(listing.map(\.key) == ["segments/big.sst"])
            #expect(listing.map(\.size) == [UInt64(12 << 20)])
        }
    }

    @Test func smallFilesGoUpInOnePutAndAreVerified() async throws {
        try await withMotoStore { _, store in
            let directory = try TemporaryDirectory("s3-small")
            let path = directory.file("wal")
            let bytes = patternBytes(70_000)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let info = try await store.putFile("wal/1/1-5.wal", path: path, ifAbsent: false)
            #expect(info.etag == Hex.encode(MD5.hash(bytes)))
            #expect(try await store.get("wal/1/1-5.wal") == bytes)
            await #expect(throws: ObjectStoreError.alreadyExists(key: "wal/1/1-5.wal")) {
                try await store.putFile("wal/1/1-5.wal", path: path, ifAbsent: true)
            }
            await #expect(throws: ObjectStoreError.self) {
                try await store.putFile("wal/1/6-7.wal", path: directory.file("missing"), ifAbsent: true)
            }
        }
    }
}
