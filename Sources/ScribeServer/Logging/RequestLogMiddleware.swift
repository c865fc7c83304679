public import Hummingbird
import Logging

/// Logs requests through `context.logger` (which carries Hummingbird's `hb.request.id`).
///
/// - Every request, at `debug`: message `request` with `method`, `path`, `route`, `status`,
///   `duration_ms` and `client` (the identity's name or the peer address). At `info` and
///   above these lines are skipped before any metadata is built.
/// - Every 5xx response or non-HTTP error, at `error`, whatever the logger's level: the same
///   fields, and the thrown error as the event's `error`. A thrown error is rethrown unchanged.
///
/// Place it after the authentication middleware to see the client's identity. The raw path
/// is logged (keys included), which is why per-request lines are `debug` only.
public struct RequestLogMiddleware: RouterMiddleware {
    public typealias Context = ScribeRequestContext

    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let response = try await next(request, context)
            log(request, context, status: response.status.code, duration: clock.now - start, error: nil)
            return response
        } catch {
            let status = RequestMetricsMiddleware.status(of: error)
            log(request, context, status: status, duration: clock.now - start, error: error)
            throw error
        }
    }

    private func log(_ request: Request, _ context: Context, status: Int, duration: Duration, error: (any Error)?) {
        let level: Logger.Level = status >= 500 ? .error : .debug
        guard context.logger.logLevel <= level else { return }
        let metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue),
            "path": .string(request.uri.path),
            "route": .string(context.endpointPath ?? "NotFound"),
            "status": .stringConvertible(status),
            "duration_ms": .string(Self.milliseconds(duration)),
            "client": .string(context.clientName),
        ]
        context.logger.log(level: level, "request", error: error, metadata: metadata)
    }

    /// A duration in milliseconds with three decimals (`12.345`).
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let micros = max(0, seconds &* 1_000_000 &+ attoseconds / 1_000_000_000_000)
        let fraction = String(micros % 1000)
        return "\(micros / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
