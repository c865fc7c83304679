import LSMEngine
public import Prometheus

/// The node's request metrics: Prometheus series in a registry the caller owns, and plain
/// per-operation counts for the JSON `/metrics` route.
///
/// Series (labels bounded: `route` is the router's pattern such as `/kv/{key}`, never the
/// raw path; `method` is one of the standard methods or `OTHER`):
/// - `scribe_http_requests_total{method,route,status}`: every request, by exact status code.
/// - `scribe_http_request_duration_seconds{method,route,status_class}`: latency histogram,
///   by status class (`2xx` ... `5xx`).
/// - `scribe_http_request_errors_total{method,route,status}`: requests whose handler threw
///   or whose status is 5xx.
/// - `scribe_http_requests_in_flight`: requests being handled now.
///
/// The executable bootstraps `MetricsSystem` with `PrometheusMetricsFactory(registry:)` over
/// the same registry once per process; tests create their own registry and never bootstrap.
/// Recording a request takes one lock and a dictionary lookup; the Prometheus handles of a
/// (method, route, status) triple are created once, on its first request.
public final class RequestMetrics: Sendable {
    /// Where every series lives; `/metrics/prometheus` emits it.
    public let registry: PrometheusCollectorRegistry
    /// Upper bounds of the latency histogram buckets: 100 µs to 10 s.
    public static let latencyBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500),
        .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    /// The content type of the Prometheus text exposition format 0.0.4.
    public static let prometheusContentType = "text/plain; version=0.0.4; charset=utf-8"

    private let inFlight: Gauge
    private let state: Locked<State>
    /// Last values of the store's monotonic figures, so `storeGauges` adds deltas to counters.
    let storeCounterBaselines = Locked<[String: UInt64]>([:])

    private struct SeriesKey: Hashable {
        let method: String
        let route: String
        let status: Int
    }

    private struct Series {
        let requests: Counter
        let errors: Counter
        let duration: DurationHistogram
        let operation: RequestOperation
    }

    private struct State {
        var series: [SeriesKey: Series] = [:]
        var operations = [UInt64](repeating: 0, count: RequestOperation.allCases.count)
    }

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        inFlight = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "scribe", subsystem: "http", metricName: "requests_in_flight", unitName: "",
                helpText: "HTTP requests being handled now."))
        state = Locked(State())
    }

    /// Records one finished request. `threw` marks a handler that threw (counted as an error
    /// whatever its status).
    public func record(method: String, route: String, status: Int, duration: Duration, threw: Bool) {
        let key = SeriesKey(method: Self.methodLabel(method), route: route, status: status)
        let series = state.withLock { state in
            let series = state.series[key] ?? makeSeries(key)
            state.series[key] = series
            state.operations[Self.index(of: series.operation)] &+= 1
            return series
        }
        series.requests.increment()
        series.duration.record(duration)
        if threw || status >= 500 { series.errors.increment() }
    }

    /// Requests handled so far, per operation, in `RequestOperation.allCases` order.
    public func operationCounts() -> [(operation: RequestOperation, count: UInt64)] {
        let counts = state.withLock { $0.operations }
        return zip(RequestOperation.allCases, counts).map { (operation: $0, count: $1) }
    }

    /// Marks a request as started (`+1`) or finished (`-1`) in the in-flight gauge.
    func requestStarted() { inFlight.increment() }
    func requestFinished() { inFlight.decrement() }

    private func makeSeries(_ key: SeriesKey) -> Series {
        let exact = [("method", key.method), ("route", key.route), ("status", String(key.status))]
        let statusClass = "\(min(max(key.status / 100, 1), 5))xx"
        return Series(
            requests: registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    namespace: "scribe", subsystem: "http", metricName: "requests", unitName: "total",
                    helpText: "HTTP requests handled, by method, route pattern and status code."),
                labels: exact),
            errors: registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    namespace: "scribe", subsystem: "http", metricName: "request_errors", unitName: "total",
                    helpText: "HTTP requests whose handler threw or whose status is 5xx."),
                labels: exact),
            duration: registry.makeDurationHistogram(
                descriptor: MetricNameDescriptor(
                    namespace: "scribe", subsystem: "http", metricName: "request_duration", unitName: "seconds",
                    helpText: "HTTP request latency until the response body is written."),
                labels: [("method", key.method), ("route", key.route), ("status_class", statusClass)],
                buckets: Self.latencyBuckets),
            operation: RequestOperation(method: key.method, route: key.route))
    }

    /// The method as a bounded label: the standard methods as sent, anything else `OTHER`.
    static func methodLabel(_ method: String) -> String {
        switch method {
        case "GET", "HEAD", "PUT", "POST", "DELETE", "PATCH", "OPTIONS": method
        default: "OTHER"
        }
    }

    private static func index(of operation: RequestOperation) -> Int {
        RequestOperation.allCases.firstIndex(of: operation) ?? 0
    }
}
