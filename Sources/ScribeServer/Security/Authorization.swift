public import Hummingbird

extension AuthMiddleware {
    /// The role a request needs, decided from its method and path alone; nil for the
    /// routes open to everyone.
    ///
    /// - `GET`/`HEAD /health`: open.
    /// - `/metrics…`, `/cluster/…`, `/admin/…` (any method): admin.
    /// - any other `GET`/`HEAD` (`/kv…`, `/get/…`, `/verify/…`, `GET /{key}`): read.
    /// - any other method (`PUT`/`POST`/`DELETE` on `/kv…`, `/batch`, `/put`, `PUT /{key}`): read-write.
    ///
    /// The path is split the way Hummingbird's router splits it (on `/`, empty segments
    /// dropped, no percent-decoding), so `//admin//flush` is an admin path just as it is
    /// the admin route. The operations segment is also recognised percent-decoded and
    /// in any letter case, so a router configured to decode or to ignore case cannot
    /// reach an admin route through a weaker rule: unknown paths default to read or
    /// read-write, never to open.
    public static func requiredRole(method: HTTPRequest.Method, path: String) -> Role? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        let reads = method == .get || method == .head
        if reads && segments.count == 1 && segments[0] == "health" { return nil }
        if let first = segments.first, operationsSegments.contains(normalized(first)) { return .admin }
        return reads ? .read : .readWrite
    }

    /// First path segments reserved for operators.
    private static let operationsSegments: Set<String> = ["metrics", "cluster", "admin"]

    /// `segment` percent-decoded (when it decodes to UTF-8) and lowercased.
    private static func normalized(_ segment: Substring) -> String {
        let decoded = PercentEncoding.decode(segment).flatMap { String(validating: $0, as: UTF8.self) }
        return (decoded ?? String(segment)).lowercased()
    }
}

/// Throws unless the request's identity has at least `role`: 401 `unauthorized` when no
/// identity was established, 403 `forbidden` naming the needed role otherwise. For
/// routes whose needs go beyond `AuthMiddleware.requiredRole`, which the middleware
/// already enforces for every route.
public func require(_ role: Role, _ context: ScribeRequestContext) throws {
    guard let identity = context.identity else { throw AuthMiddleware.missingKey }
    guard identity.role >= role else {
        throw APIError(
            .forbidden, code: "forbidden",
            "this request needs the \(role.rawValue) role; the key '\(identity.name)' has the \(identity.role.rawValue) role")
    }
}
