import Foundation
import ScribeTestSupport
import Testing

@Suite struct NodeProcessTests {
    @Test func acknowledgedWritesSurviveSIGKILLAndSIGTERMFlushes() throws {
        let root = try TemporaryDirectory("node-kill")
        let directory = root.file("data")
        let arguments = ["--port", "0", "--data-dir", directory]
        var node = try NodeProcess(arguments)
        var requests: [String] = []
        for i in 0..<40 {
            if i > 0 { requests.append("--next") }
            requests += ["-X", "PUT", "--data-binary", "value-\(i)", "\(node.base)/kv/key-\(i)"]
        }
        let acknowledgements = try node.curl(requests)
        #expect(acknowledgements.components(separatedBy: "\"sequence\"").count - 1 == 40)
        node.kill()

        node = try NodeProcess(arguments)
        for i in 0..<40 {
            #expect(try node.curl(["\(node.base)/kv/key-\(i)"]) == "value-\(i)")
        }
        #expect(try node.curl(["\(node.base)/health"]).contains("ok"))
        #expect(node.terminate() == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(files.contains { $0.hasSuffix(".sst") }, "SIGTERM flushes the memtable into a segment")
    }
}

@Suite struct NodeObjectStoreDirectoryTests {
    /// A value of every byte, different per key.
    static func value(_ index: Int) -> [UInt8] {
        (0..<(256 + index)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }
    }

    @Test func replicatedWritesSurviveSIGKILLAndTheLossOfTheDataDirectory() throws {
        let root = try TemporaryDirectory("node-objects")
        let data = root.file("data")
        let arguments = [
            "--port", "0", "--data-dir", data, "--set", "storage.object_store_dir=\(root.file("objects"))",
            "--durability", "replicated",
        ]
        var node = try NodeProcess(arguments, log: root.file("first.log"))
        for index in 0..<30 {
            if index == 15 {
                let flush = try node.request("POST", "/admin/flush")
                #expect(flush.status == 200, "\(String(decoding: flush.body, as: UTF8.self))")
                #expect(String(decoding: flush.body, as: UTF8.self).contains("\"published\":true"))
            }
            let answer = try node.request("PUT", "/kv/key-\(index)", body: Self.value(index))
            #expect(answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))")
            #expect(String(decoding: answer.body, as: UTF8.self).contains("\"durability\":\"replicated\""))
        }
        node.kill()
        try FileManager.default.removeItem(atPath: data)

        node = try NodeProcess(arguments, log: root.file("second.log"))
        for index in 0..<30 {
            let answer = try node.request("GET", "/kv/key-\(index)")
            #expect(answer.status == 200)
            #expect(answer.body == Self.value(index), "key-\(index) differs after the rebuild")
        }
        #expect(node.terminate() == 0)
    }
}
