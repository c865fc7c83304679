import Foundation
import Hummingbird
import HummingbirdTesting
import ScribeVerifier
import Testing
@testable import ScribeServer

/// Keys and routes shared by the security tests.
enum SecurityFixture {
    static let readKey = "r-0123456789abcdef"
    static let writeKey = "w-0123456789abcdef"
    static let adminKey = "a-0123456789abcdef"

    static let store = APIKeyStore(keys: [
        (name: "reader", sha256: APIKeyStore.digest(of: readKey), role: .read),
        (name: "writer", sha256: APIKeyStore.digest(of: writeKey), role: .readWrite),
        (name: "operator", sha256: APIKeyStore.digest(of: adminKey), role: .admin),
    ])

    static func bearer(_ key: String) -> HTTPFields { [.authorization: "Bearer \(key)"] }

    /// A router with dummy routes behind the security middlewares, in the production
    /// order: audit, authentication, rate limiting.
    static func router(
        auth: AuthMiddleware = AuthMiddleware(store: store), limiter: TokenBucketLimiter? = nil,
        audit: AuditLog? = nil
    ) -> Router<ScribeRequestContext> {
        let router = Router(context: ScribeRequestContext.self)
        if let audit { router.add(middleware: AuditMiddleware(log: audit, auth: auth, clock: { 1_700_000_000_123 })) }
        router.add(middleware: auth)
        if let limiter { router.add(middleware: RateLimitMiddleware(limiter: limiter)) }
        router.get("/health") { _, _ in "ok" }
        router.get("/metrics") { _, _ in "{}" }
        router.get("/whoami") { _, context in
            context.identity.map { "\($0.name) \($0.role.rawValue)" } ?? "nobody"
        }
        router.get("/kv/{key}") { _, context in context.parameters.get("key") ?? "" }
        router.put("/kv/{key}") { _, _ in HTTPResponse.Status.noContent }
        router.delete("/kv/{key}") { _, _ in HTTPResponse.Status.noContent }
        router.get("/kv/{key}/versions") { _, context -> String in
            try require(.admin, context)
            return "[]"
        }
        router.post("/batch") { _, _ in HTTPResponse.Status.noContent }
        router.post("/admin/flush") { _, _ in "flushed" }
        router.get("/{key}") { _, context in context.parameters.get("key") ?? "" }
        return router
    }

    /// The `{"error":{"code":...}}` code of an error response body.
    static func errorCode(_ body: ByteBuffer) throws -> String {
        let json = try JSONParser.parse(Array(buffer: body))
        return try JSONObjectReader(json, path: "").object("error").string("code")
    }

    /// The `{"error":{"message":...}}` message of an error response body.
    static func errorMessage(_ body: ByteBuffer) throws -> String {
        let json = try JSONParser.parse(Array(buffer: body))
        return try JSONObjectReader(json, path: "").object("error").string("message")
    }
}
