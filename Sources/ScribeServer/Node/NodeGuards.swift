import Foundation
public import Hummingbird
public import ServiceLifecycle
import ScribeVerifier
import ScribeBytes

/// The security middleware a configuration asks for, in the order they must run:
/// audit (outermost, so it sees the refusals of the others), authentication and role
/// checks, then rate limiting (keyed by the authenticated client). docs/security.md.
public struct NodeGuards: Sendable {
    let audit: AuditLog
    let auth: AuthMiddleware
    let limiter: TokenBucketLimiter?

    /// Opens the audit log (creating it, and the data directory) and builds the key
    /// store. Throws when the audit log cannot be opened.
    public init(_ configuration: NodeConfiguration) throws {
        try FileManager.default.createDirectory(atPath: configuration.node.dataDir, withIntermediateDirectories: true)
        audit = try AuditLog(path: configuration.auditLogPath)
        let keys = configuration.security.apiKeys.compactMap { entry -> (name: String, sha256: [UInt8], role: Role)? in
            Hex.decode(entry.sha256).map { (entry.name, $0, entry.role) }
        }
        auth = keys.isEmpty ? .disabled : AuthMiddleware(store: APIKeyStore(keys: keys))
        let rate = configuration.security.rateLimit
        limiter = rate.enabled ? TokenBucketLimiter(rate: rate.requestsPerSecond, burst: rate.burst) : nil
    }

    /// Adds the middleware to `router` (before any route).
    public func add(to router: Router<ScribeRequestContext>) {
        router.middlewares.add(AuditMiddleware(log: audit, auth: auth))
        router.middlewares.add(auth)
        if let limiter { router.middlewares.add(RateLimitMiddleware(limiter: limiter)) }
    }

    /// Services to run with the node: the audit log, closed (and fsynced) after the server stops.
    public var services: [any Service] { [audit] }
}
