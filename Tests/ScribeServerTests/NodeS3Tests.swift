import Foundation
import ScribeTestSupport
import ScribeVerifier
import Testing

/// The real `scribe-node` against a real moto_server (one per test, on its own port):
/// path-style addressing, short timeouts, and the object store's contents read back
/// with boto3 (independent of our S3 client).
@Suite(.serialized) struct NodeS3Tests {
    /// A node directory, its configuration file and the moto server it ships to.
    final class Fixture {
        let root: TemporaryDirectory
        let moto: MotoServer
        let bucket = "scribe-ledger"
        let prefix = "node-a"
        var data: String { root.file("data") }
        private(set) var starts = 0

        init() throws {
            root = try TemporaryDirectory("node-s3")
            moto = try MotoServer.start()
            try moto.createBucket(bucket)
            let config = """
                [storage]
                replication_timeout = "2s"
                wal_group_interval = "1ms"

                [storage.s3]
                endpoint = "\(moto.endpoint)"
                bucket = "\(bucket)"
                access_key_id = "\(moto.accessKeyID)"
                secret_access_key = "\(moto.secretAccessKey)"
                path_style = true
                prefix = "\(prefix)"
                request_timeout = "1s"
                max_attempts = 2
                """
            try root.write("config.toml", config)
        }

        /// Starts the node on this configuration; its log is `<root>/node-N.log`.
        func start() throws -> NodeProcess {
            starts += 1
            return try NodeProcess(
                ["--config", root.file("config.toml"), "--port", "0", "--data-dir", data],
                log: root.file("node-\(starts).log"))
        }

        /// The keys under `<prefix>/<folder>/` in the bucket, as boto3 lists them.
        func objects(_ folder: String) throws -> [String] {
            try moto.listObjects(bucket: bucket, prefix: "\(prefix)/\(folder)/").map(\.key)
        }

        func removeData() throws {
            try FileManager.default.removeItem(atPath: data)
        }

        deinit {
            moto.stop()
        }
    }

    /// A value of every byte, different per key.
    static func value(_ index: Int) -> [UInt8] {
        (0..<(100 + index * 7)).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ index) }
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// The `/metrics` document.
    static func metrics(_ node: NodeProcess) throws -> JSONValue {
        try JSONParser.parse(try node.request("GET", "/metrics").body)
    }

    @Test func flushShipsSegmentsAndAManifestToTheBucket() throws {
        let fixture = try Fixture()
        let node = try fixture.start()
        for index in 0..<30 {
            let answer = try node.request("PUT", "/kv/key-\(index)", body: Self.value(index))
            #expect(answer.status == 200, "\(Self.text(answer.body))")
        }
        let flush = try node.request("POST", "/admin/flush")
        #expect(flush.status == 200, "\(Self.text(flush.body))")
        let published = try JSONParser.parse(flush.body)
        #expect(published["published"] == .bool(true))
        #expect((published["manifestVersion"]?.integerValue ?? 0) > 0)
        let segments = try fixture.objects("segments")
        #expect(!segments.isEmpty, "no object under \(fixture.prefix)/segments/")
        #expect(segments.allSatisfy { $0.hasSuffix(".sst") }, "\(segments)")
        #expect(!(try fixture.objects("manifest")).isEmpty, "no published manifest under \(fixture.prefix)/manifest/")
        let health = try JSONParser.parse(try node.request("GET", "/health").body)
        #expect(health["objectStore"]?.stringValue == "available")
        #expect(node.terminate() == 0)
    }

    @Test func aNodeWithAnEmptyDataDirectoryRebuildsItselfFromTheBucket() throws {
        let fixture = try Fixture()
        var node = try fixture.start()
        for index in 0..<40 {
            if index == 20 { #expect(try node.request("POST", "/admin/flush").status == 200) }
            #expect(try node.request("PUT", "/kv/key-\(index)", body: Self.value(index)).status == 200)
        }
        #expect(node.terminate() == 0)
        try fixture.removeData()

        node = try fixture.start()
        for index in 0..<40 {
            let answer = try node.request("GET", "/kv/key-\(index)")
            #expect(answer.status == 200)
            #expect(answer.body == Self.value(index), "key-\(index) differs after the rebuild")
        }
        #expect(node.terminate() == 0)
    }

    @Test func replicatedWritesSurviveSIGKILLAndTheLossOfTheDataDirectory() throws {
        let fixture = try Fixture()
        var node = try fixture.start()
        var requests: [String] = []
        for index in 0..<40 {
            if index > 0 { requests.append("--next") }
            requests += [
                "-X", "PUT", "-H", "X-Scribe-Durability: replicated", "--data-binary", "value-\(index)",
                "\(node.base)/kv/key-\(index)",
            ]
        }
        let acknowledgements = try node.curl(requests)
        node.kill()
        #expect(acknowledgements.components(separatedBy: "\"durability\":\"replicated\"").count - 1 == 40,
                "\(acknowledgements)")
        try fixture.removeData()

        node = try fixture.start()
        for index in 0..<40 {
            #expect(try node.curl(["\(node.base)/kv/key-\(index)"]) == "value-\(index)")
        }
        #expect(node.terminate() == 0)
    }

    @Test func anOutageFailsOnlyReplicatedWritesAndTheBacklogDrainsAfterIt() throws {
        let fixture = try Fixture()
        var node = try fixture.start()
        var acknowledged: [Int] = []
        var stranded: [Int] = []
        for index in 0..<5 {
            #expect(try node.request("PUT", "/kv/key-\(index)", body: Self.value(index)).status == 200)
            acknowledged.append(index)
        }
        #expect(try node.request("POST", "/admin/flush").status == 200)
        let versionBefore = try Self.metrics(node)["tier"]?["published_manifest_version"]?.integerValue ?? 0

        fixture.moto.suspend()
        for index in 5..<15 {
            let answer = try node.request("PUT", "/kv/key-\(index)", body: Self.value(index))
            #expect(answer.status == 200, "a local write fails while the object store is down: \(Self.text(answer.body))")
            if answer.status == 200 { acknowledged.append(index) }
        }
        for index in 15..<17 {
            let answer = try node.request(
                "PUT", "/kv/key-\(index)", body: Self.value(index), headers: ["X-Scribe-Durability: replicated"])
            #expect(answer.status == 503)
            #expect(Self.text(answer.body).contains("replication_unavailable"))
            stranded.append(index)
        }
        let health = try node.request("GET", "/health")
        #expect(health.status == 200)
        #expect(Self.text(health.body).contains("\"objectStore\":\"unavailable\""))
        fixture.moto.resume()

        // Generous deadlines that only guard against a hang.
        let drained = try becomesTrue(within: .seconds(180), every: .milliseconds(500)) {
            try Self.metrics(node)["tier"]?["wal"]?["backlog_bytes"]?.integerValue == 0
        }
        #expect(drained, "the WAL backlog did not drain after the object store came back")
        var versionAfter: UInt64 = 0
        _ = try becomesTrue(within: .seconds(180), every: .milliseconds(500)) {
            let flush = try node.request("POST", "/admin/flush")
            guard flush.status == 200 else { return false }
            versionAfter = try JSONParser.parse(flush.body)["manifestVersion"]?.integerValue ?? 0
            return true
        }
        #expect(versionAfter > versionBefore, "no newer manifest was published after the outage")
        #expect(node.terminate() == 0)
        try fixture.removeData()

        node = try fixture.start()
        for index in acknowledged + stranded {
            let answer = try node.request("GET", "/kv/key-\(index)")
            #expect(answer.status == 200, "key-\(index) is missing after the rebuild")
            #expect(answer.body == Self.value(index))
        }
        #expect(node.terminate() == 0)
    }
}
