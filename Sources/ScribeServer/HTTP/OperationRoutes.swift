import Hummingbird
import ScribeVerifier

/// `GET /health`, the cluster routes (answering for a one-node cluster), and
/// `POST /admin/flush` (with an object store: flush, upload every segment, publish).
struct OperationRoutes {
    let service: any KVService
    /// The address clients reach this node at, e.g. `127.0.0.1:8080`.
    let advertisedAddress: @Sendable () -> String

    func add(to router: Router<ScribeRequestContext>) {
        router.get("/health") { _, _ in health() }
        router.get("/cluster/info") { _, _ in clusterInfo() }
        router.get("/cluster/nodes") { _, _ in JSONResponse.make(.object([("nodes", .array([node()]))])) }
        router.get("/cluster/leader/info") { _, _ in JSONResponse.make(.object([("leader", node())])) }
        router.post("/admin/flush") { _, _ in
            let version = try await service.flush()
            return JSONResponse.make(.object([
                ("manifestVersion", .integer(version)), ("published", .bool(service.objectStoreLocation != nil)),
            ]))
        }
    }

    /// The node's state; with an object store also `"objectStore": "available"` or
    /// `"unavailable"` (the last call to it failed). An unreachable object store does not
    /// make the node unhealthy: it keeps serving, and local writes keep being acknowledged.
    /// 503 `degraded` with the reason while writes cannot succeed (disk full, a sticky
    /// storage failure, a read-only store); reads go on. `"recovery"` lists what opening
    /// the store found (torn tails, skipped damage, files moved to `lost/`), when anything.
    private func health() -> Response {
        var extra: [(key: String, value: JSONValue)] =
            service.tierStatistics().map { [("objectStore", .string($0.objectStoreAvailable ? "available" : "unavailable"))] }
            ?? []
        let findings = service.recovery.findings
        if !findings.isEmpty { extra.append(("recovery", .array(findings.map(JSONValue.string)))) }
        switch service.health {
        case .ready:
            return JSONResponse.make(.object([("status", .string("ok"))] + extra))
        case .starting:
            return JSONResponse.make(.object([("status", .string("starting"))]), status: .serviceUnavailable)
        case .degraded(let reason):
            return JSONResponse.make(
                .object([("status", .string("degraded")), ("reason", .string(reason))] + extra), status: .serviceUnavailable)
        case .failed(let reason):
            return JSONResponse.make(
                .object([("status", .string("unhealthy")), ("reason", .string(reason))]), status: .serviceUnavailable)
        }
    }

    private func clusterInfo() -> Response {
        JSONResponse.make(.object([
            ("mode", .string("single-node")), ("nodeId", .string(service.nodeID)), ("leaderId", .string(service.nodeID)),
            ("members", .integer(1)), ("healthy", .bool(service.health == .ready)),
            ("objectStore", service.objectStoreLocation.map(JSONValue.string) ?? .null),
        ]))
    }

    private func node() -> JSONValue {
        .object([
            ("id", .string(service.nodeID)), ("address", .string(advertisedAddress())), ("role", .string("leader")),
            ("healthy", .bool(service.health == .ready)),
        ])
    }
}
