import Hummingbird

/// The node's router: every route of docs/api.md behind the error mapping
/// middleware. Cross-cutting middlewares (authentication, rate limiting, audit,
/// metrics, request logging) are added by `addMiddlewares`, in the order they should
/// run, inside the error mapping.
public enum ServerRouter {
    public static func make(
        service: any KVService, settings: APISettings,
        addMiddlewares: (Router<ScribeRequestContext>) -> Void = { _ in },
        advertisedAddress: @escaping @Sendable () -> String = { "" }
    ) -> Router<ScribeRequestContext> {
        let router = Router(context: ScribeRequestContext.self)
        router.middlewares.add(ErrorMappingMiddleware())
        addMiddlewares(router)
        let reading = RequestReading(settings: settings)
        OperationRoutes(service: service, advertisedAddress: advertisedAddress).add(to: router)
        ProofRoutes(service: service, reading: reading).add(to: router)
        DataRoutes(service: service, reading: reading).add(to: router)
        return router
    }
}
