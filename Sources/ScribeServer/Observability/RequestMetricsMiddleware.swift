public import Hummingbird

/// Records every request into `RequestMetrics`: count, latency and errors, labelled by the
/// router's endpoint pattern.
///
/// Add it to the router (`router.add(middleware:)`) before the routes: router middleware
/// runs after route matching, so `context.endpointPath` holds the pattern (`/kv/{key}`);
/// unmatched requests get Hummingbird's `NotFound`. A successful response is recorded when
/// its body has been written, so latency includes streaming the body; a thrown error is
/// recorded at once with the status it renders to (`HTTPResponseError.status`, 500 for any
/// other error) and is rethrown unchanged. Costs two clock reads and one lock per request.
public struct RequestMetricsMiddleware: RouterMiddleware {
    public typealias Context = ScribeRequestContext

    private let metrics: RequestMetrics

    public init(metrics: RequestMetrics) {
        self.metrics = metrics
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let clock = ContinuousClock()
        let start = clock.now
        let method = request.method.rawValue
        metrics.requestStarted()
        do {
            var response = try await next(request, context)
            let status = response.status.code
            let route = context.endpointPath ?? "NotFound"
            let metrics = self.metrics
            response.body = Self.afterWriting(response.body) {
                metrics.record(method: method, route: route, status: status, duration: clock.now - start, threw: false)
                metrics.requestFinished()
            }
            return response
        } catch {
            metrics.record(
                method: method, route: context.endpointPath ?? "NotFound", status: Self.status(of: error),
                duration: clock.now - start, threw: true)
            metrics.requestFinished()
            throw error
        }
    }

    /// `body` that runs `done` once it has been written, or once writing it failed.
    /// Costs one closure allocation per response.
    private static func afterWriting(_ body: ResponseBody, _ done: @escaping @Sendable () -> Void) -> ResponseBody {
        ResponseBody(contentLength: body.contentLength) { writer in
            defer { done() }
            try await body.write(writer)
        }
    }

    /// The status code an error renders to.
    static func status(of error: any Error) -> Int {
        (error as? any HTTPResponseError)?.status.code ?? 500
    }
}
