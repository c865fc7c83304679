import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Prometheus
import ScribeTestSupport
import ScribeVerifier
import Testing
@testable import ScribeServer
import ScribeBytes

/// The whole router as the node builds it from a configuration with API keys.
@Suite struct NodeGuardsTests {
    @Test func configuredKeysGuardEveryRouteAndTheAuditLogRecordsIt() async throws {
        let directory = try TemporaryDirectory()
        var configuration = NodeConfiguration()
        configuration.node.dataDir = directory.path + "/data"
        configuration.security.apiKeys = [
            APIKeyEntry(name: "reader", sha256: Hex.encode(PortableSHA256.hash(Array("r-secret".utf8))), role: .read),
            APIKeyEntry(name: "writer", sha256: Hex.encode(PortableSHA256.hash(Array("w-secret".utf8))), role: .readWrite),
        ]
        let guards = try NodeGuards(configuration)
        try await withService { service in
            let router = ServerRouter.make(
                service: service, settings: APISettings(), metrics: RequestMetrics(registry: PrometheusCollectorRegistry()),
                addGuards: guards.add)
            try await Application(router: router).test(.router) { client in
                func bearer(_ key: String) -> HTTPFields { [.authorization: "Bearer \(key)"] }
                try await client.execute(uri: "/kv/a", method: .put, body: ByteBuffer(string: "1")) { r in
                    #expect(r.status == .unauthorized)
                    #expect(r.errorCode == "unauthorized")
                }
                try await client.execute(uri: "/kv/a", method: .put, headers: bearer("r-secret"), body: ByteBuffer(string: "1")) { r in
                    #expect(r.status == .forbidden)
                }
                try await client.execute(uri: "/kv/a", method: .put, headers: bearer("w-secret"), body: ByteBuffer(string: "1")) { r in
                    #expect(r.status == .ok)
                }
                try await client.execute(uri: "/kv/a", method: .get, headers: bearer("r-secret")) { r in #expect(r.text == "1") }
                try await client.execute(uri: "/admin/flush", method: .post, headers: bearer("w-secret")) { r in
                    #expect(r.status == .forbidden)
                }
                try await client.execute(uri: "/metrics", method: .get, headers: bearer("r-secret")) { r in
                    #expect(r.status == .forbidden)
                }
                try await client.execute(uri: "/health", method: .get) { r in #expect(r.status == .ok) }
            }
        }
        try guards.audit.flush()
        let lines = try String(contentsOfFile: configuration.auditLogPath, encoding: .utf8).split(separator: "\n")
        let actions = lines.compactMap { try? JSONParser.parse(Array($0.utf8))["action"]?.stringValue }
        #expect(actions.contains("auth_failure"))
        #expect(actions.contains("forbidden"))
        #expect(actions.contains("write"))
    }
}
