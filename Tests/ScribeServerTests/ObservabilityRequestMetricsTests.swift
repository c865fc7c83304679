import Hummingbird
import HummingbirdTesting
import Prometheus
import Testing
@testable import ScribeServer

@Suite struct ObservabilityRequestMetricsTests {
    struct Unexpected: Error {}

    /// Dummy routes behind the metrics middleware.
    static func makeApp(_ metrics: RequestMetrics) -> some ApplicationProtocol {
        let router = Router(context: ScribeRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.get("/kv/{key}") { _, _ in "value" }
        router.put("/kv/{key}") { _, _ in HTTPResponse.Status.noContent }
        router.get("/kv/{key}/versions") { _, _ in "[]" }
        router.delete("/kv/{key}") { _, _ -> String in throw APIError.notFound("no such key") }
        router.post("/batch") { _, _ -> String in throw Unexpected() }
        return Application(router: router)
    }

    @Test func countsRequestsByMethodRoutePatternAndStatus() async throws {
        let metrics = RequestMetrics(registry: PrometheusCollectorRegistry())
        try await Self.makeApp(metrics).test(.router) { client in
            try await client.execute(uri: "/kv/alpha", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/kv/beta", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/kv/beta", method: .put) { #expect($0.status == .noContent) }
        }
        let text = metrics.registry.emitToString()
        #expect(text.contains(#"scribe_http_requests_total{method="GET",route="/kv/{key}",status="200"} 2"#))
        #expect(text.contains(#"scribe_http_requests_total{method="PUT",route="/kv/{key}",status="204"} 1"#))
        #expect(!text.contains("alpha"))
        #expect(!text.contains("beta"))
    }

    @Test func recordsLatencySamplesInTheHistogram() async throws {
        let metrics = RequestMetrics(registry: PrometheusCollectorRegistry())
        try await Self.makeApp(metrics).test(.router) { client in
            for _ in 0..<3 { try await client.execute(uri: "/kv/k", method: .get) { #expect($0.status == .ok) } }
        }
        let text = metrics.registry.emitToString()
        let labels = #"method="GET",route="/kv/{key}",status_class="2xx""#
        #expect(text.contains("# TYPE scribe_http_request_duration_seconds histogram"))
        #expect(text.contains("scribe_http_request_duration_seconds_count{\(labels)} 3"))
        #expect(text.contains("scribe_http_request_duration_seconds_bucket{\(labels),le=\"+Inf\"} 3"))
        #expect(text.contains("scribe_http_request_duration_seconds_sum{\(labels)} "))
    }

    @Test func recordsAThrownAPIErrorWithItsStatus() async throws {
        let metrics = RequestMetrics(registry: PrometheusCollectorRegistry())
        try await Self.makeApp(metrics).test(.router) { client in
            try await client.execute(uri: "/kv/gone", method: .delete) { #expect($0.status == .notFound) }
        }
        let text = metrics.registry.emitToString()
        #expect(text.contains(#"scribe_http_requests_total{method="DELETE",route="/kv/{key}",status="404"} 1"#))
        #expect(text.contains(#"scribe_http_request_errors_total{method="DELETE",route="/kv/{key}",status="404"} 1"#))
        #expect(text.contains(#"scribe_http_request_duration_seconds_count{method="DELETE",route="/kv/{key}",status_class="4xx"} 1"#))
    }

    @Test func recordsAnyOtherThrownErrorAs500() async throws {
        let metrics = RequestMetrics(registry: PrometheusCollectorRegistry())
        try await Self.makeApp(metrics).test(.router) { client in
            try await client.execute(uri: "/batch", method: .post) { #expect($0.status == .internalServerError) }
        }
        let text = metrics.registry.emitToString()
        #expect(text.contains(#"scribe_http_requests_total{method="POST",route="/batch",status="500"} 1"#))
        #expect(text.contains(#"scribe_http_request_errors_total{method="POST",route="/batch",status="500"} 1"#))
    }

    @Test func labelsUnmatchedRequestsNotFoundRatherThanByPath() async throws {
        let metrics = RequestMetrics(registry: PrometheusCollectorRegistry())
        try await Self.makeApp(metrics).test(.router) { client in
            try await client.execute(uri: "/no/such/path", method: .get) { #expect($0.status == .notFound) }
        }
        let text = metrics.registry.emitToString()
        #expect(text.contains(#"scribe_http_requests_total{method="GET",route="NotFound",status="404"} 1"#))
        #expect(!text.contains("/no/such/path"))
    }

    @Test func countsRequestsPerOperation() async throws {
        let metrics = RequestMetrics(registry: PrometheusCollectorRegistry())
        try await Self.makeApp(metrics).test(.router) { client in
            try await client.execute(uri: "/kv/a", method: .get) { _ in }
            try await client.execute(uri: "/kv/a", method: .put) { _ in }
            try await client.execute(uri: "/kv/a", method: .put) { _ in }
            try await client.execute(uri: "/kv/a", method: .delete) { _ in }
            try await client.execute(uri: "/kv/a/versions", method: .get) { _ in }
            try await client.execute(uri: "/batch", method: .post) { _ in }
            try await client.execute(uri: "/elsewhere", method: .get) { _ in }
        }
        let counts = Dictionary(uniqueKeysWithValues: metrics.operationCounts().map { ($0.operation, $0.count) })
        #expect(counts[.get] == 1)
        #expect(counts[.put] == 2)
        #expect(counts[.delete] == 1)
        #expect(counts[.versions] == 1)
        #expect(counts[.batch] == 1)
        #expect(counts[.other] == 1)
        #expect(counts[.list] == 0)
    }

    @Test func boundsTheMethodLabel() {
        #expect(RequestMetrics.methodLabel("GET") == "GET")
        #expect(RequestMetrics.methodLabel("BREW") == "OTHER")
    }

    @Test func classifiesOperationsFromMethodAndRoutePattern() {
        #expect(RequestOperation(method: "PUT", route: "/kv/{key}") == .put)
        #expect(RequestOperation(method: "GET", route: "/kv/{key}") == .get)
        #expect(RequestOperation(method: "HEAD", route: "/kv/{key}") == .get)
        #expect(RequestOperation(method: "DELETE", route: "/kv/{key}") == .delete)
        #expect(RequestOperation(method: "GET", route: "/kv/{key}/versions") == .versions)
        #expect(RequestOperation(method: "GET", route: "/kv") == .list)
        #expect(RequestOperation(method: "POST", route: "/batch") == .batch)
        #expect(RequestOperation(method: "PUT", route: "/{key}") == .put)
        #expect(RequestOperation(method: "POST", route: "/put") == .put)
        #expect(RequestOperation(method: "GET", route: "/get/{key}") == .get)
        #expect(RequestOperation(method: "GET", route: "/verify/{key}") == .verify)
        #expect(RequestOperation(method: "GET", route: "/health") == .health)
        #expect(RequestOperation(method: "GET", route: "/metrics/prometheus") == .metrics)
        #expect(RequestOperation(method: "GET", route: "/cluster/info") == .cluster)
        #expect(RequestOperation(method: "POST", route: "/admin/flush") == .admin)
        #expect(RequestOperation(method: "GET", route: "NotFound") == .other)
    }
}
