import Hummingbird

/// The node's router, every route of docs/api.md, with its middleware in this order
/// (outermost first):
/// 1. request logging and request metrics (they see every request and its final status),
/// 2. error mapping (every error becomes the API's JSON error),
/// 3. the guards `addGuards` adds — authentication, rate limiting, audit — in its order,
/// then the route.
public enum ServerRouter {
    public static func make(
        service: any KVService, settings: APISettings, metrics: RequestMetrics? = nil,
        addGuards: (Router<ScribeRequestContext>) -> Void = { _ in },
        advertisedAddress: @escaping @Sendable () -> String = { "" }
    ) -> Router<ScribeRequestContext> {
        let router = Router(context: ScribeRequestContext.self)
        router.middlewares.add(RequestLogMiddleware())
        if let metrics { router.middlewares.add(RequestMetricsMiddleware(metrics: metrics)) }
        router.middlewares.add(ErrorMappingMiddleware())
        addGuards(router)
        let reading = RequestReading(settings: settings)
        OperationRoutes(service: service, advertisedAddress: advertisedAddress).add(to: router)
        if let metrics { addObservabilityRoutes(to: router, service: service, metrics: metrics) }
        ProofRoutes(service: service, reading: reading).add(to: router)
        DataRoutes(service: service, reading: reading).add(to: router)
        return router
    }
}
