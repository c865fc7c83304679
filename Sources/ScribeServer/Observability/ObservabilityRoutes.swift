public import Hummingbird
import NIOCore
import ScribeVerifier

/// Adds the metrics routes:
/// - `GET /metrics`: the `MetricsReport` JSON document (`application/json`), with the
///   durable tier's section when the node has an object store.
/// - `GET /metrics/prometheus`: every series of `metrics.registry` in the text exposition
///   format 0.0.4, after refreshing the store gauges from `service.stats()` and the tier
///   gauges from `service.tierStatistics()`.
///
/// Access control is the caller's: mount them behind the authentication middleware when
/// the node requires it. Each scrape takes one stats snapshot (no I/O) and renders the
/// registry into one buffer.
public func addObservabilityRoutes(
    to router: Router<ScribeRequestContext>, service: any KVService, metrics: RequestMetrics
) {
    router.get("/metrics") { _, _ -> Response in
        let report = MetricsReport.make(
            node: service.nodeID, stats: await service.stats(), requests: metrics.operationCounts(),
            tier: service.tierStatistics())
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: JSONWriter.write(report, pretty: false))))
    }
    router.get("/metrics/prometheus") { _, _ -> Response in
        metrics.storeGauges(await service.stats())
        if let tier = service.tierStatistics() { metrics.tierGauges(tier) }
        return Response(
            status: .ok, headers: [.contentType: RequestMetrics.prometheusContentType],
            body: .init(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
    }
}
