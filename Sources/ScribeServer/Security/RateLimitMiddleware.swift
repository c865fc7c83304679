public import Hummingbird

/// Spends one token of the client's bucket per request and answers 429 `rate_limited`
/// with `Retry-After` (whole seconds, at least 1) when the bucket is empty.
///
/// Buckets are keyed by `context.clientName`: the API key's name once `AuthMiddleware`
/// has run, the peer's IP address for anonymous and unauthenticated requests. It must
/// therefore come after `AuthMiddleware` (and inside `AuditMiddleware`, which records
/// the 429s). Requests that authentication refused never reach it, so a client
/// guessing keys is answered by 401s, not counted against a real key's budget.
public struct RateLimitMiddleware: RouterMiddleware {
    public typealias Context = ScribeRequestContext

    private let limiter: TokenBucketLimiter

    /// Buckets refill by the limiter's clock.
    public init(limiter: TokenBucketLimiter) {
        self.limiter = limiter
    }

    public func handle(
        _ request: Request, context: ScribeRequestContext,
        next: (Request, ScribeRequestContext) async throws -> Response
    ) async throws -> Response {
        switch limiter.take(client: context.clientName) {
        case .allowed:
            return try await next(request, context)
        case .limited(let retryAfter):
            throw APIError(
                .tooManyRequests, code: "rate_limited",
                "too many requests from '\(context.clientName)'; retry after \(retryAfter) s",
                headers: [.retryAfter: String(retryAfter)])
        }
    }
}
