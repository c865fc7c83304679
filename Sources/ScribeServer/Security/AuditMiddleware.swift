public import Hummingbird

/// Records in the `AuditLog` every request that changes or guards something:
///
/// - every `PUT`/`POST`/`PATCH`/`DELETE` (`batch` for `/batch`, `delete` for `DELETE`,
///   `write` otherwise), with the route's `key` parameter when it has one;
/// - every call under `/admin/`, and every non-read call under `/cluster/` (`admin`);
/// - every 401, 403 and 429 response, whatever the route (`auth_failure`, `forbidden`,
///   `rate_limited`).
///
/// Reads that succeed or fail otherwise are not recorded. The event is written after
/// the response (or the error) is known, from the status of the returned response or
/// of the thrown `HTTPResponseError` (500 for any other error, which is rethrown).
///
/// It must be the outermost of the three security middlewares so that it sees the
/// 401/403s of `AuthMiddleware` and the 429s of `RateLimitMiddleware`. Since the
/// identity those set is not visible to an outer middleware (contexts are passed
/// down by value), it asks the same `AuthMiddleware` who the request's key belongs
/// to — one extra SHA-256, only for requests it records.
public struct AuditMiddleware: RouterMiddleware {
    public typealias Context = ScribeRequestContext

    private let log: AuditLog
    private let auth: AuthMiddleware
    private let clock: @Sendable () -> UInt64

    /// - Parameters:
    ///   - auth: the authentication the application uses, to name the client.
    ///   - clock: milliseconds since the Unix epoch; the real-time clock by default.
    public init(log: AuditLog, auth: AuthMiddleware, clock: (@Sendable () -> UInt64)? = nil) {
        self.log = log
        self.auth = auth
        self.clock = clock ?? UTCTimestamp.nowMilliseconds
    }

    public func handle(
        _ request: Request, context: ScribeRequestContext,
        next: (Request, ScribeRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            let response = try await next(request, context)
            record(request, context, status: Int(response.status.code), detail: nil)
            return response
        } catch let error as any HTTPResponseError {
            let detail = (error as? APIError)?.message ?? String(describing: error)
            record(request, context, status: Int(error.status.code), detail: detail)
            throw error
        } catch {
            record(request, context, status: 500, detail: String(describing: error))
            throw error
        }
    }

    private func record(_ request: Request, _ context: ScribeRequestContext, status: Int, detail: String?) {
        guard let action = AuditMiddleware.action(method: request.method, path: request.uri.path, status: status) else {
            return
        }
        let key = context.parameters.get("key").flatMap { PercentEncoding.decode($0) }
        log.record(
            AuditEvent(
                timeMilliseconds: clock(), action: action, method: request.method.rawValue, path: request.uri.path,
                key: key, client: auth.identify(request.headers)?.name, remoteAddress: context.remoteAddress,
                status: status, detail: detail))
    }

    /// What a request with this method, path and final status is recorded as; nil when
    /// it is not recorded.
    static func action(method: HTTPRequest.Method, path: String, status: Int) -> AuditEvent.Action? {
        switch status {
        case 401: return .authFailure
        case 403: return .forbidden
        case 429: return .rateLimited
        default: break
        }
        let reads = method == .get || method == .head || method == .options
        let first = path.split(separator: "/", omittingEmptySubsequences: true).first.map { $0.lowercased() }
        if first == "admin" || (first == "cluster" && !reads) { return .admin }
        if method == .delete { return .delete }
        guard method == .put || method == .post || method == .patch else { return nil }
        return first == "batch" ? .batch : .write
    }
}
