public import Hummingbird

/// Authenticates every request from its `Authorization: Bearer <key>` header and
/// enforces `AuthMiddleware.requiredRole` before any route runs, so no route can
/// forget its check.
///
/// - Open routes (`GET /health`) pass with or without a key; a valid key still sets
///   the identity.
/// - Otherwise a missing, malformed or unknown key is 401 `unauthorized` with
///   `WWW-Authenticate: Bearer`, and a key whose role is below the route's is 403
///   `forbidden`.
/// - Disabled mode (no keys configured on purpose) gives every request the identity
///   `anonymous` with the admin role.
///
/// Sets `context.identity` for everything after it: place it after `AuditMiddleware`
/// (which must see its 401/403s) and before `RateLimitMiddleware` (which keys buckets
/// by the identity). Cost per request: one SHA-256 and one comparison per key.
public struct AuthMiddleware: RouterMiddleware {
    public typealias Context = ScribeRequestContext

    /// The keys to check, or nil in disabled mode.
    private let store: APIKeyStore?

    /// Authentication against `store`.
    public init(store: APIKeyStore) {
        self.store = store
    }

    private init(disabled: Void) {
        store = nil
    }

    /// No authentication: every request is `anonymous`, with the admin role.
    public static var disabled: AuthMiddleware { AuthMiddleware(disabled: ()) }

    /// The identity every request gets in disabled mode.
    public static let anonymous = ClientIdentity(name: "anonymous", role: .admin)

    /// Whether requests are authenticated at all.
    public var isEnabled: Bool { store != nil }

    /// The identity `headers` establish: the key's identity, `anonymous` in disabled
    /// mode, nil when the header is missing, malformed or names no key.
    public func identify(_ headers: HTTPFields) -> ClientIdentity? {
        guard let store else { return AuthMiddleware.anonymous }
        return AuthMiddleware.bearerToken(in: headers).flatMap { store.identify(bearer: $0) }
    }

    public func handle(
        _ request: Request, context: ScribeRequestContext,
        next: (Request, ScribeRequestContext) async throws -> Response
    ) async throws -> Response {
        let needed = AuthMiddleware.requiredRole(method: request.method, path: request.uri.path)
        var context = context
        context.identity = identify(request.headers)
        if let needed {
            guard context.identity != nil else {
                throw AuthMiddleware.bearerToken(in: request.headers) == nil
                    ? AuthMiddleware.missingKey : AuthMiddleware.invalidKey
            }
            try require(needed, context)
        }
        return try await next(request, context)
    }

    /// The token of an `Authorization` header using the Bearer scheme (the scheme name
    /// in any case, RFC 9110 §11.1), or nil when there is none or it is empty.
    static func bearerToken(in headers: HTTPFields) -> String? {
        guard let value = headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingSpaces()
        return token.isEmpty ? nil : String(token)
    }

    /// 401 for a request that presented no key.
    static var missingKey: APIError {
        APIError(
            .unauthorized, code: "unauthorized", "this request needs an API key: send Authorization: Bearer <key>",
            headers: [.wwwAuthenticate: "Bearer"])
    }

    /// 401 for a request whose key is not configured.
    static var invalidKey: APIError {
        APIError(.unauthorized, code: "unauthorized", "the API key is not valid", headers: [.wwwAuthenticate: "Bearer"])
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    fileprivate func trimmingSpaces() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return self[start...end]
    }
}
