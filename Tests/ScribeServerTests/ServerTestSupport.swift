import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LSMEngine
import NIOCore
import Prometheus
import ScribeTestSupport
import ScribeVerifier
@testable import ScribeServer

/// A fresh engine-backed service in a temporary directory, removed after `body`.
func withService<R: Sendable>(
    options: StoreOptions = StoreOptions(), _ body: (LocalKVService) async throws -> R
) async throws -> R {
    let directory = try TemporaryDirectory("server")
    let service = try LocalKVService(directory: directory.file("store"), options: options, nodeID: "test-node")
    do {
        let result = try await body(service)
        try await service.shutdown()
        return result
    } catch {
        try? await service.shutdown()
        throw error
    }
}

/// Runs `test` against the node's router (no socket).
func withRouter(
    settings: APISettings = APISettings(), options: StoreOptions = StoreOptions(),
    _ test: @escaping @Sendable (any TestClientProtocol, LocalKVService) async throws -> Void
) async throws {
    try await withService(options: options) { service in
        let router = ServerRouter.make(
            service: service, settings: settings, metrics: RequestMetrics(registry: PrometheusCollectorRegistry()),
            advertisedAddress: { "127.0.0.1:8080" })
        let app = Application(router: router)
        try await app.test(.router) { client in try await test(client, service) }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    /// The body parsed as JSON, or null when it is not JSON.
    var json: JSONValue { (try? JSONParser.parse(Array(buffer: body))) ?? .null }

    /// The `error.code` of an API error body.
    var errorCode: String? {
        guard case .object(let top) = json, case .object(let error)? = top.first(where: { $0.key == "error" })?.value,
              case .string(let code)? = error.first(where: { $0.key == "code" })?.value else { return nil }
        return code
    }
}

extension JSONValue {
    subscript(_ name: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == name }?.value
    }

    var integerValue: UInt64? {
        if case .integer(let n) = self { return n }
        return nil
    }

    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }
}
