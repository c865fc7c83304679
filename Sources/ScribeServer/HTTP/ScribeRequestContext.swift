public import Hummingbird
import NIOCore

/// Who made a request, once authentication has run.
public struct ClientIdentity: Sendable, Equatable {
    /// The API key's configured name, or "anonymous" when authentication is off.
    public var name: String
    public var role: Role

    public init(name: String, role: Role) {
        self.name = name
        self.role = role
    }
}

/// What a caller may do. Each role includes the ones before it.
public enum Role: String, Sendable, Comparable, CaseIterable {
    case read
    case readWrite = "read-write"
    case admin

    private var rank: Int {
        switch self {
        case .read: 0
        case .readWrite: 1
        case .admin: 2
        }
    }

    public static func < (a: Role, b: Role) -> Bool { a.rank < b.rank }
}

/// The request context of every route: Hummingbird's core storage, the peer's
/// address (for rate limiting and the audit log) and the identity the
/// authentication middleware established.
public struct ScribeRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address, or "unknown" (for example in router tests).
    public let remoteAddress: String
    /// Set by the authentication middleware; nil before it runs.
    public var identity: ClientIdentity?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
        identity = nil
    }

    /// Bodies are streamed and counted by the routes against the configured value
    /// limit, so Hummingbird's own collection limit is not what bounds them.
    public var maxUploadSize: Int { 1 << 30 }

    /// Who the rate limiter and the audit log attribute the request to.
    public var clientName: String { identity.map { $0.name == "anonymous" ? remoteAddress : $0.name } ?? remoteAddress }
}
