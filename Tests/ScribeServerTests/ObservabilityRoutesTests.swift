import Foundation
import Hummingbird
import HummingbirdTesting
import LSMEngine
import Prometheus
import ScribeTestSupport
import ScribeVerifier
import Testing
@testable import ScribeServer
import ScribeBytes

@Suite struct ObservabilityRoutesTests {
    /// Statistics of a real store: 30 keys flushed to a segment, then 5 more in the memtable.
    static func realStats(write: Bool = true) throws -> StoreStats {
        try withTemporaryDirectory("observability") { directory in
            let store = try LSMStore.open(at: directory)
            guard write else {
                defer { try? store.close() }
                return store.stats()
            }
            for index in 0..<30 { _ = try store.put(Array("key-\(index)".utf8), Array(repeating: 7, count: 100)) }
            try store.flush()
            for index in 30..<35 { _ = try store.put(Array("key-\(index)".utf8), Array("v".utf8), options: .buffered) }
            _ = try store.lookup(Array("key-3".utf8), atSequence: nil)
            let stats = store.stats()
            try store.close()
            return stats
        }
    }

    static func makeApp(_ service: any KVService, _ metrics: RequestMetrics) -> some ApplicationProtocol {
        let router = Router(context: ScribeRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.put("/kv/{key}") { _, _ in HTTPResponse.Status.noContent }
        addObservabilityRoutes(to: router, service: service, metrics: metrics)
        return Application(router: router)
    }

    @Test func jsonMetricsHasEverySection() async throws {
        let stats = try Self.realStats()
        let metrics = RequestMetrics(registry: PrometheusCollectorRegistry())
        try await Self.makeApp(FixedStatsService(snapshot: stats), metrics).test(.router) { client in
            try await client.execute(uri: "/kv/a", method: .put) { _ in }
            try await client.execute(uri: "/kv/b", method: .put) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let document = try JSONObjectReader(
                    JSONParser.parse(Array(buffer: response.body)), path: "")
                #expect(try document.string("node") == "node-under-test")

                let keys = try document.object("keys")
                #expect(try keys.integer("entries") == 35)
                #expect(try keys.integer("memtable_entries") == 5)
                #expect(try keys.integer("segment_entries") == 30)
                #expect(keys.has("note"))

                let requests = try document.object("requests")
                #expect(try requests.integer("put") == 2)
                #expect(try requests.integer("get") == 0)
                #expect(try requests.integer("total") == 2)

                let storage = try document.object("storage")
                #expect(try storage.integer("segments") == 1)
                #expect(try storage.integer("bytes") == stats.segmentBytes)
                #expect(try storage.integer("memtable_entries") == 5)
                #expect(try storage.integer("last_sequence") == 35)
                #expect(try storage.array("levels").count == stats.levels.count)

                let compaction = try document.object("compaction")
                #expect(try compaction.integer("flushes") == stats.flushes)
                #expect(compaction.has("bytes_written"))
                #expect(try document.object("wal").integer("syncs") == stats.walSyncs)

                let cache = try document.object("cache")
                #expect(try cache.object("block").integer("misses") == stats.blockCache.misses)
                #expect(try cache.object("table").integer("entries") == UInt64(stats.tableCache.entries))

                let manifest = try document.object("manifest")
                #expect(try manifest.integer("version") == stats.manifestVersion)
                #expect(try manifest.string("digest") == Hex.encode(stats.manifestDigest))
            }
        }
    }

    @Test func prometheusRouteServesTheTextFormatWithStoreGauges() async throws {
        let stats = try Self.realStats()
        let metrics = RequestMetrics(registry: PrometheusCollectorRegistry())
        try await Self.makeApp(FixedStatsService(snapshot: stats), metrics).test(.router) { client in
            try await client.execute(uri: "/kv/a", method: .put) { _ in }
            try await client.execute(uri: "/metrics/prometheus", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                let text = String(buffer: response.body)
                #expect(text.contains(#"scribe_http_requests_total{method="PUT",route="/kv/{key}",status="204"} 1"#))
                #expect(text.contains("scribe_store_memtable_entries 5.0\n"))
                #expect(text.contains("scribe_store_last_sequence 35.0\n"))
                #expect(text.contains("scribe_store_flushes_total \(stats.flushes)\n"))
                #expect(text.contains("scribe_store_wal_syncs_total \(stats.walSyncs)\n"))
                let level = try #require(stats.levels.first { $0.segments > 0 })
                #expect(text.contains("scribe_store_level_segments{level=\"\(level.level)\"} 1.0\n"))
                #expect(text.contains("scribe_store_level_bytes{level=\"\(level.level)\"} \(Double(level.bytes))\n"))
                #expect(text.contains("scribe_cache_misses_total{cache=\"block\"} \(stats.blockCache.misses)\n"))
                #expect(text.contains("scribe_cache_entries{cache=\"table\"} \(Double(stats.tableCache.entries))\n"))
                #expect(text.contains("scribe_http_requests_in_flight 1.0\n"))
                #expect(text.contains("# TYPE scribe_store_flushes_total counter"))
                #expect(text.contains("# TYPE scribe_store_memtable_bytes gauge"))
            }
        }
    }

    @Test func storeCountersAdvanceByGrowthAndOnlyRebaseOnADecrease() throws {
        let busy = try Self.realStats()
        let idle = try Self.realStats(write: false)
        try #require(busy.flushes > 0 && idle.flushes == 0)
        let metrics = RequestMetrics(registry: PrometheusCollectorRegistry())
        metrics.storeGauges(busy)
        metrics.storeGauges(busy)
        #expect(metrics.registry.emitToString().contains("scribe_store_flushes_total \(busy.flushes)\n"))
        metrics.storeGauges(idle)
        #expect(metrics.registry.emitToString().contains("scribe_store_flushes_total \(busy.flushes)\n"))
        metrics.storeGauges(busy)
        #expect(metrics.registry.emitToString().contains("scribe_store_flushes_total \(2 * busy.flushes)\n"))
    }
}
