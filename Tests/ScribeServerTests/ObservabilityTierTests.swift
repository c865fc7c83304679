import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LSMEngine
import Prometheus
import ScribeDistributed
import ScribeVerifier
import Testing
@testable import ScribeServer

@Suite struct ObservabilityTierTests {
    static func sample(available: Bool = false) -> DurableTierStatistics {
        var tier = DurableTierStatistics()
        tier.segmentsUploaded = 4
        tier.segmentBytesUploaded = 40_960
        tier.segmentUploadFailures = 2
        tier.segmentBacklog = 1
        tier.segmentBacklogBytes = 8192
        tier.lastSegmentUploadSeconds = 0.25
        tier.segmentUploadSecondsTotal = 1.5
        tier.walObjectsUploaded = 30
        tier.walBytesUploaded = 3000
        tier.walUploadFailures = 5
        tier.walBacklogBytes = 777
        tier.walWaiters = 3
        tier.lastWALUploadSeconds = 0.002
        tier.replicatedSequence = 91
        tier.publishedManifestVersion = 6
        tier.manifestsPublished = 3
        tier.objectsDeleted = 2
        tier.objectStoreAvailable = available
        tier.cacheHits = 11
        tier.cacheRangeReads = 12
        tier.cacheBytes = 13
        tier.cacheEvictions = 14
        return tier
    }

    static func withApp(
        _ tier: DurableTierStatistics, _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let stats = try ObservabilityRoutesTests.realStats(write: false)
        let router = ServerRouter.make(
            service: FixedStatsService(snapshot: stats, tier: tier), settings: APISettings(replicationAvailable: true),
            metrics: RequestMetrics(registry: PrometheusCollectorRegistry()))
        try await Application(router: router).test(.router, test)
    }

    @Test func jsonMetricsCarryTheTierSection() async throws {
        try await Self.withApp(Self.sample()) { client in
            try await client.execute(uri: "/metrics", method: .get) { r in
                let tier = try #require(r.json["tier"])
                #expect(tier["object_store_available"] == .bool(false))
                #expect(tier["replicated_sequence"]?.integerValue == 91)
                #expect(tier["published_manifest_version"]?.integerValue == 6)
                #expect(tier["manifests_published"]?.integerValue == 3)
                #expect(tier["objects_deleted"]?.integerValue == 2)
                #expect(tier["segments"]?["uploaded"]?.integerValue == 4)
                #expect(tier["segments"]?["bytes_uploaded"]?.integerValue == 40_960)
                #expect(tier["segments"]?["upload_failures"]?.integerValue == 2)
                #expect(tier["segments"]?["backlog"]?.integerValue == 1)
                #expect(tier["segments"]?["backlog_bytes"]?.integerValue == 8192)
                #expect(tier["segments"]?["last_upload_microseconds"]?.integerValue == 250_000)
                #expect(tier["segments"]?["upload_microseconds_total"]?.integerValue == 1_500_000)
                #expect(tier["wal"]?["objects_uploaded"]?.integerValue == 30)
                #expect(tier["wal"]?["bytes_uploaded"]?.integerValue == 3000)
                #expect(tier["wal"]?["upload_failures"]?.integerValue == 5)
                #expect(tier["wal"]?["backlog_bytes"]?.integerValue == 777)
                #expect(tier["wal"]?["waiters"]?.integerValue == 3)
                #expect(tier["wal"]?["last_upload_microseconds"]?.integerValue == 2000)
                #expect(tier["segment_cache"]?["hits"]?.integerValue == 11)
                #expect(tier["segment_cache"]?["range_reads"]?.integerValue == 12)
                #expect(tier["segment_cache"]?["bytes"]?.integerValue == 13)
                #expect(tier["segment_cache"]?["evictions"]?.integerValue == 14)
            }
        }
    }

    @Test func prometheusCarriesTheTierSeries() async throws {
        try await Self.withApp(Self.sample(available: true)) { client in
            try await client.execute(uri: "/metrics/prometheus", method: .get) { r in
                for line in [
                    "scribe_tier_object_store_available 1.0", "scribe_tier_replicated_sequence 91.0",
                    "scribe_tier_published_manifest_version 6.0", "scribe_tier_segment_backlog 1.0",
                    "scribe_tier_segment_backlog_bytes 8192.0", "scribe_tier_wal_backlog_bytes 777.0", "scribe_tier_wal_waiters 3.0",
                    "scribe_tier_last_segment_upload_seconds 0.25", "scribe_tier_last_wal_upload_seconds 0.002",
                    "scribe_tier_segment_cache_bytes 13.0", "scribe_tier_segments_uploaded_total 4",
                    "scribe_tier_segment_uploaded_bytes_total 40960", "scribe_tier_segment_upload_failures_total 2",
                    "scribe_tier_segment_upload_seconds_total 1.5", "scribe_tier_wal_objects_uploaded_total 30",
                    "scribe_tier_wal_uploaded_bytes_total 3000", "scribe_tier_wal_upload_failures_total 5",
                    "scribe_tier_manifests_published_total 3", "scribe_tier_objects_deleted_total 2",
                    "scribe_tier_segment_cache_hits_total 11", "scribe_tier_segment_cache_range_reads_total 12",
                    "scribe_tier_segment_cache_evictions_total 14",
                ] {
                    #expect(r.text.contains(line + "\n"), "missing \(line)")
                }
            }
        }
    }

    @Test func tierCountersAdvanceByGrowth() {
        let metrics = RequestMetrics(registry: PrometheusCollectorRegistry())
        var tier = Self.sample()
        metrics.tierGauges(tier)
        metrics.tierGauges(tier)
        #expect(metrics.registry.emitToString().contains("scribe_tier_wal_objects_uploaded_total 30\n"))
        tier.walObjectsUploaded = 45
        tier.segmentUploadSecondsTotal = 2.0
        metrics.tierGauges(tier)
        let text = metrics.registry.emitToString()
        #expect(text.contains("scribe_tier_wal_objects_uploaded_total 45\n"))
        #expect(text.contains("scribe_tier_segment_upload_seconds_total 2.0\n"))
    }

    @Test func healthStaysOKWhileTheObjectStoreIsDownAndSaysSo() async throws {
        try await Self.withApp(Self.sample(available: false)) { client in
            try await client.execute(uri: "/health", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.json["status"]?.stringValue == "ok")
                #expect(r.json["objectStore"]?.stringValue == "unavailable")
            }
            try await client.execute(uri: "/cluster/info", method: .get) { r in
                #expect(r.json["objectStore"]?.stringValue == "s3://bucket/prefix")
            }
            try await client.execute(uri: "/admin/flush", method: .post) { r in
                #expect(r.status == .serviceUnavailable)
                #expect(r.errorCode == "object_store_unavailable")
                #expect(r.headers[.retryAfter] == "1")
            }
        }
        try await Self.withApp(Self.sample(available: true)) { client in
            try await client.execute(uri: "/health", method: .get) { r in
                #expect(r.json["objectStore"]?.stringValue == "available")
            }
        }
    }

    @Test func notReplicatedErrorsSayTheWriteIsLocallyDurable() {
        let unavailable = APIError.notReplicated(sequence: 42, .unavailable("timed out"))
        #expect(unavailable.status == .serviceUnavailable)
        #expect(unavailable.code == "replication_unavailable")
        #expect(unavailable.message.contains("durable on this node at sequence 42"))
        #expect(unavailable.message.contains("timed out"))
        #expect(unavailable.headers[.retryAfter] == "1")
        #expect(unavailable.headers[HTTPField.Name("X-Scribe-Sequence")!] == "42")
        #expect(APIError.notReplicated(sequence: 1, .closed).code == "unavailable")
        #expect(APIError.notReplicated(sequence: 1, .corrupt("bad")).status == .internalServerError)
        #expect(ErrorMappingMiddleware.map(LSMError.unavailable("segment 7")).code == "object_store_unavailable")
    }
}
