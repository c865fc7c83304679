import Foundation
import ScribeTestSupport
import Testing

/// The real `scribe-node` on a damaged store and on a full disk: damage to
/// acknowledged data stops the node before it serves (or is dropped, logged and kept in
/// `lost/` when asked), and a full disk degrades health and writes — 507, reads go on —
/// until space returns, without a restart.
@Suite struct NodeStorageFaultTests {
    /// 4 KiB that do not compress, different for every index.
    static func value(_ index: Int) -> [UInt8] { SeededGenerator.bytes(4096, seed: UInt64(index)) }

    @Test func aFullDiskDegradesHealthAnswers507AndRecoversWithoutARestart() throws {
        let disk = try SmallFileSystem(megabytes: 16)
        let logs = try TemporaryDirectory("node-full")
        let log = logs.file("node.log")
        let arguments = ["--port", "0", "--data-dir", disk.path + "/data", "--set", "storage.memtable_size=65536"]
        var node = try NodeProcess(arguments, log: log)
        #expect(try node.request("PUT", "/kv/before", body: Array("kept".utf8)).status == 200)
        try disk.fill("ballast", leaving: 256 << 10)

        // Write until the disk stays full: twenty refusals in a row (a flush that
        // retires a WAL can give a little space back in between).
        var acknowledged: [Int] = []
        var refusal: (status: Int, body: [UInt8])?
        var refusedInARow = 0
        for i in 0..<4000 where refusedInARow < 20 {
            let answer = try node.request("PUT", "/kv/key-\(i)", body: Self.value(i))
            if answer.status == 200 {
                acknowledged.append(i)
                refusedInARow = 0
            } else {
                refusal = answer
                refusedInARow += 1
            }
        }
        #expect(refusedInARow == 20)
        let refused = try #require(refusal)
        #expect(!acknowledged.isEmpty)
        #expect(refused.status == 507)
        #expect(String(decoding: refused.body, as: UTF8.self).contains("\"code\":\"insufficient_storage\""))
        let health = try node.request("GET", "/health")
        #expect(health.status == 503)
        #expect(String(decoding: health.body, as: UTF8.self).contains("\"status\":\"degraded\""))
        #expect(try node.request("GET", "/kv/before").body == Array("kept".utf8))
        let metrics = String(decoding: try node.request("GET", "/metrics").body, as: UTF8.self)
        #expect(metrics.contains("\"writes\":\"out_of_space\""))
        // SIGTERM while the disk is full: the memtable cannot be flushed, but its
        // writes are in the WAL, so the node still stops cleanly.
        #expect(node.terminate() == 0)

        node = try NodeProcess(arguments, log: log)
        try disk.free("ballast")
        #expect(try node.request("GET", "/health").status == 200)
        #expect(try node.request("PUT", "/kv/after", body: Array("space returned".utf8)).status == 200)
        for i in acknowledged {
            #expect(try node.request("GET", "/kv/key-\(i)").body == Self.value(i), "key-\(i)")
        }
        #expect(node.terminate() == 0)
    }

    @Test func aDamagedManifestStopsTheNodeUnlessSkipCorruptionIsChosen() throws {
        let root = try TemporaryDirectory("node-damage")
        let directory = root.file("data")
        let log = root.file("node.log")
        let arguments = ["--port", "0", "--data-dir", directory]
        var node = try NodeProcess(arguments, log: log)
        for round in ["first", "second"] {
            for i in 0..<20 {
                #expect(try node.request("PUT", "/kv/\(round)-\(i)", body: Array("v\(i)".utf8)).status == 200)
            }
            #expect(try node.request("POST", "/admin/flush").status == 200)
        }
        #expect(node.terminate() == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        let manifest = try #require(names.first { $0.hasPrefix("MANIFEST-") })
        let segments = Set(names.filter { $0.hasSuffix(".sst") })
        // A byte inside the newest record's digest: the record is complete, its checksum fails.
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory + "/" + manifest)))
        bytes[bytes.count - 10] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + manifest))

        #expect(throws: TestSupportError.self) { _ = try NodeProcess(arguments, log: log) }
        let refusal = try String(contentsOfFile: log, encoding: .utf8)
        #expect(refusal.contains("not a torn tail"), "\(refusal)")
        let after = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(Set(after.filter { $0.hasSuffix(".sst") }) == segments, "a refused start deleted a segment")

        node = try NodeProcess(arguments + ["--set", "storage.recovery_mode=skip_corruption"], log: log)
        let health = String(decoding: try node.request("GET", "/health").body, as: UTF8.self)
        #expect(health.contains("\"recovery\"") && health.contains("skipped corruption"), "\(health)")
        #expect(try node.request("GET", "/kv/first-3").body == Array("v3".utf8))
        let prometheus = String(decoding: try node.request("GET", "/metrics/prometheus").body, as: UTF8.self)
        #expect(prometheus.contains("scribe_recovery_skipped_corruption 1"))
        #expect(node.terminate() == 0)
        let lost = try FileManager.default.contentsOfDirectory(atPath: directory + "/lost")
        #expect(lost.contains { $0.hasSuffix(".sst") } && lost.contains { $0.hasPrefix(manifest) })
        let started = try String(contentsOfFile: log, encoding: .utf8)
        #expect(started.contains("quarantined"))
    }
}
