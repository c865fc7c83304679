import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LSMEngine
import Logging
import NIOCore
import Prometheus
import ScribeDistributed
import ScribeTestSupport
import ScribeTierTestSupport
import Testing
@testable import ScribeServer

/// Runs `test` against the router of a node whose store is a durable tier over `objects`.
func withTierRouter(
    objects: FaultInjectingObjectStore, replicationTimeout: Duration = .seconds(30),
    clock: any Clock<Duration> = ContinuousClock(),
    _ test: @escaping @Sendable (any TestClientProtocol, LocalKVService) async throws -> Void
) async throws {
    let directory = try TemporaryDirectory("tier")
    var options = StoreOptions()
    options.createIfMissing = true
    let plan = DurableTierPlan(
        objectStore: .directory("unused"), segmentCacheDirectory: directory.file("segment-cache"),
        segmentCacheBytes: 1 << 20, segmentRetention: .seconds(3600), replicationTimeout: replicationTimeout,
        walGroupInterval: .milliseconds(1))
    var settings = plan.settings(
        store: objects, dataDirectory: directory.file("store"), storeOptions: options, nodeID: "tier-node")
    settings.clock = clock
    let tier = try await DurableTier.open(settings, logger: Logger(label: "tier-test"))
    let service = LocalKVService(tier: tier, objectStoreLocation: objects.location, nodeID: "tier-node")
    let router = ServerRouter.make(
        service: service, settings: APISettings(replicationAvailable: true),
        metrics: RequestMetrics(registry: PrometheusCollectorRegistry()), advertisedAddress: { "127.0.0.1:8080" })
    do {
        try await Application(router: router).test(.router) { client in try await test(client, service) }
        objects.partitioned = false
        try await service.shutdown()
        try await tier.close()
    } catch {
        objects.partitioned = false
        try? await service.shutdown()
        try? await tier.close()
        throw error
    }
}

private let replicated: HTTPFields = [HTTPField.Name("X-Scribe-Durability")!: "replicated"]

@Suite struct TierRouteTests {
    @Test func replicatedHeaderIsRefusedWithoutAnObjectStore() async throws {
        try await withRouter { client, service in
            try await client.execute(uri: "/kv/k", method: .put, headers: replicated, body: ByteBuffer(string: "v")) { r in
                #expect(r.status == .badRequest)
                #expect(r.errorCode == "bad_header")
                #expect(r.text.contains("needs an object store"))
            }
            try await client.execute(uri: "/kv/k", method: .get) { r in #expect(r.status == .notFound) }
            for alias in ["synced", "LOCAL"] {
                try await client.execute(
                    uri: "/kv/k", method: .put, headers: [HTTPField.Name("X-Scribe-Durability")!: alias],
                    body: ByteBuffer(string: "v")
                ) { r in
                    #expect(r.status == .ok)
                    #expect(r.json["durability"]?.stringValue == "local")
                }
            }
            await #expect(throws: APIError.self) {
                try await service.put(key: [1], value: [2], durability: .replicated)
            }
            try await client.execute(uri: "/health", method: .get) { r in #expect(r.json["objectStore"] == nil) }
            try await client.execute(uri: "/metrics", method: .get) { r in #expect(r.json["tier"] == nil) }
        }
    }

    @Test func replicatedWritesAreAcknowledgedOnceInTheObjectStore() async throws {
        let objects = FaultInjectingObjectStore()
        try await withTierRouter(objects: objects) { client, service in
            var sequence: UInt64 = 0
            try await client.execute(uri: "/kv/a", method: .put, headers: replicated, body: ByteBuffer(string: "1")) { r in
                #expect(r.status == .ok)
                #expect(r.json["durability"]?.stringValue == "replicated")
                sequence = r.json["sequence"]?.integerValue ?? 0
            }
            #expect(sequence > 0)
            #expect((service.tierStatistics()?.replicatedSequence ?? 0) >= sequence)
            #expect(objects.keys().contains { $0.hasPrefix("wal/") })
            try await client.execute(uri: "/batch", method: .post, headers: replicated, body: ByteBuffer(
                string: #"{"operations":[{"op":"put","key":"b","value":"2"},{"op":"delete","key":"a"}]}"#)
            ) { r in
                #expect(r.status == .ok)
                #expect(r.json["durability"]?.stringValue == "replicated")
            }
            try await client.execute(uri: "/kv/b", method: .get) { r in #expect(r.text == "2") }
        }
    }

    @Test func flushUploadsAndPublishesAndTheNodeReportsItsTier() async throws {
        let objects = FaultInjectingObjectStore()
        try await withTierRouter(objects: objects) { client, service in
            for index in 0..<20 {
                try await client.execute(uri: "/kv/key-\(index)", method: .put, body: ByteBuffer(string: "value-\(index)"))
            }
            var version: UInt64 = 0
            try await client.execute(uri: "/admin/flush", method: .post) { r in
                #expect(r.status == .ok)
                #expect(r.json["published"] == .bool(true))
                version = r.json["manifestVersion"]?.integerValue ?? 0
            }
            #expect(version > 0)
            #expect(service.tierStatistics()?.publishedManifestVersion == version)
            #expect(objects.keys().contains { $0.hasPrefix("segments/") })
            #expect(objects.keys().contains { $0.hasPrefix("manifest/") })
            try await client.execute(uri: "/health", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.json["objectStore"]?.stringValue == "available")
            }
            try await client.execute(uri: "/cluster/info", method: .get) { r in
                #expect(r.json["objectStore"]?.stringValue == objects.location)
            }
            try await client.execute(uri: "/metrics", method: .get) { r in
                let tier = r.json["tier"]
                #expect(tier?["published_manifest_version"]?.integerValue == version)
                #expect(tier?["object_store_available"] == .bool(true))
                #expect((tier?["segments"]?["uploaded"]?.integerValue ?? 0) >= 1)
                #expect(tier?["wal"]?["backlog_bytes"]?.integerValue != nil)
                #expect(tier?["segment_cache"]?["bytes"]?.integerValue != nil)
            }
            try await client.execute(uri: "/metrics/prometheus", method: .get) { r in
                #expect(r.text.contains("scribe_tier_published_manifest_version \(version)"))
                #expect(r.text.contains("scribe_tier_object_store_available 1"))
                #expect(r.text.contains("scribe_tier_segments_uploaded_total"))
                #expect(r.text.contains("scribe_tier_wal_backlog_bytes"))
                #expect(r.text.contains("scribe_tier_segment_upload_seconds_total"))
            }
            for index in [0, 7, 19] {
                try await client.execute(uri: "/kv/key-\(index)", method: .get) { r in #expect(r.text == "value-\(index)") }
            }
        }
    }

    @Test func unreachableObjectStoreFailsReplicatedWritesOnlyAndDrainsWhenBack() async throws {
        let objects = FaultInjectingObjectStore()
        let clock = ManualClock()
        try await withTierRouter(objects: objects, replicationTimeout: .seconds(10), clock: clock) { client, service in
            objects.partitioned = true
            try await client.execute(uri: "/kv/local", method: .put, body: ByteBuffer(string: "kept")) { r in
                #expect(r.status == .ok)
            }
            // Answered once the replication timeout has passed on the clock.
            let stranded = try await clock.advancing {
                try await client.execute(
                    uri: "/kv/remote", method: .put, headers: replicated, body: ByteBuffer(string: "r")
                ) { r -> UInt64 in
                    #expect(r.status == .serviceUnavailable)
                    #expect(r.errorCode == "replication_unavailable")
                    #expect(r.headers[.retryAfter] != nil)
                    #expect(r.text.contains("durable on this node"))
                    return r.headers[HTTPField.Name("X-Scribe-Sequence")!].flatMap { UInt64($0) } ?? 0
                }
            }
            #expect(stranded > 0)
            try await client.execute(uri: "/kv/remote", method: .get) { r in #expect(r.text == "r") }
            try await client.execute(uri: "/health", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.json["objectStore"]?.stringValue == "unavailable")
            }
            try await clock.advancing {
                try await client.execute(uri: "/admin/flush", method: .post) { r in
                    #expect(r.status == .serviceUnavailable)
                    #expect(r.errorCode == "object_store_unavailable")
                }
            }
            objects.partitioned = false
            // The tier may still be backing off from the failures: the clock moves on
            // and the write is retried until a generous real deadline that only guards
            // against a hang.
            let deadline = ContinuousClock.now + .seconds(60)
            let replicatedAgain = try await clock.advancing(by: .milliseconds(500)) {
                while ContinuousClock.now < deadline {
                    let ok = try await client.execute(
                        uri: "/kv/after", method: .put, headers: replicated, body: ByteBuffer(string: "a")
                    ) { r in r.status == .ok }
                    if ok { return true }
                }
                return false
            }
            #expect(replicatedAgain, "no replicated write was acknowledged after the store came back")
            #expect((service.tierStatistics()?.replicatedSequence ?? 0) > stranded)
            let published = try await clock.advancing(by: .milliseconds(500)) {
                while ContinuousClock.now < deadline {
                    let ok = try await client.execute(uri: "/admin/flush", method: .post) { r in r.status == .ok }
                    if ok { return true }
                }
                return false
            }
            #expect(published, "no flush was published after the store came back")
            try await client.execute(uri: "/health", method: .get) { r in
                #expect(r.json["objectStore"]?.stringValue == "available")
            }
        }
    }
}
