import HTTPTypes

/// Which methods each route pattern of docs/api.md answers, so a request whose path
/// exists under other methods gets 405 with `Allow` rather than 404 (the router
/// itself does not tell the two apart). `ServerRouterTests` checks every entry
/// against the router.
enum AllowedMethods {
    static let routes: [(pattern: [String], methods: [HTTPRequest.Method])] = [
        (["kv", "{key}"], [.get, .put, .delete]), (["kv", "{key}", "versions"], [.get]), (["kv"], [.get]),
        (["batch"], [.post]), (["put"], [.post, .put]), (["get", "{key}"], [.get]), (["verify", "{key}"], [.get]),
        (["health"], [.get]), (["cluster", "info"], [.get]), (["cluster", "nodes"], [.get]),
        (["cluster", "leader", "info"], [.get]), (["admin", "flush"], [.post]), (["metrics"], [.get]),
        (["metrics", "prometheus"], [.get]), (["{key}"], [.get, .put]),
    ]

    /// The seed form `/{key}` never takes a reserved name (`DataRoutes.reservedNames`).
    private static func isReservedRoot(
        _ pattern: String, _ segment: Substring, _ route: (pattern: [String], methods: [HTTPRequest.Method])
    ) -> Bool {
        route.pattern.count == 1 && DataRoutes.reservedNames.contains(String(segment))
    }

    /// The methods some route answers for `path`, in a fixed order; empty when none does.
    static func allowed(path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var methods: [HTTPRequest.Method] = []
        for route in routes where route.pattern.count == segments.count
            && zip(route.pattern, segments).allSatisfy({ $0 == $1 || ($0.hasPrefix("{") && !isReservedRoot($0, $1, route)) }) {
            for method in route.methods where !methods.contains(method) { methods.append(method) }
        }
        let order: [HTTPRequest.Method] = [.get, .put, .post, .delete]
        return order.filter(methods.contains)
    }
}
