/// What a request did, for the per-operation counts of the JSON `/metrics` route.
///
/// Derived from the method and the router's endpoint pattern (never the raw path), so the
/// set is fixed whatever clients send.
public enum RequestOperation: String, Sendable, CaseIterable {
    case put
    case get
    case delete
    case batch
    case list
    case versions
    case verify
    case health
    case metrics
    case cluster
    case admin
    case other

    /// Classifies a request by its method and its route pattern (`/kv/{key}`, `/batch`, ...).
    ///
    /// Key routes (any pattern with a `{key}`-style capture, and the seed-compatible
    /// `POST /put`) map by method: PUT/POST to `put`, GET/HEAD to `get`, DELETE to `delete`.
    /// A GET of a collection without a capture (`/kv`, `/list`, `/keys`) is a `list`.
    /// Anything unmatched (Hummingbird's `NotFound`) is `other`. Costs a few string compares.
    public init(method: String, route: String) {
        let first = route.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        switch first {
        case "health": self = .health
        case "metrics": self = .metrics
        case "verify": self = .verify
        case "cluster": self = .cluster
        case "admin": self = .admin
        case "batch": self = .batch
        case "list", "keys": self = .list
        default: self = Self.keyOperation(method: method, route: route, first: first)
        }
    }

    /// The operation of a data route, or `other`.
    private static func keyOperation(method: String, route: String, first: String) -> RequestOperation {
        if route.hasSuffix("/versions") { return .versions }
        let hasKey = route.contains("{") || route.hasSuffix("*")
        if first == "kv" && !hasKey { return method == "GET" ? .list : .other }
        guard hasKey || route == "/put" else { return .other }
        switch method {
        case "PUT", "POST": return .put
        case "GET", "HEAD": return .get
        case "DELETE": return .delete
        default: return .other
        }
    }
}
