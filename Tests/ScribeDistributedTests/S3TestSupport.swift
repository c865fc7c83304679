import Logging
import ScribeDistributed
import ScribeTestSupport

/// Runs `body` with a fresh moto_server, bucket `bucket` created in it (unless
/// nil), and an `S3ObjectStore` on it from `configure`d settings; the store is
/// shut down and the server stopped afterwards, whatever `body` throws.
func withMotoStore(
    requireSignatures: Bool = false, bucket: String? = "scribe-test", prefix: String = "",
    configure: (inout S3ObjectStoreSettings) -> Void = { _ in },
    _ body: (MotoServer, S3ObjectStore) async throws -> Void
) async throws {
    let server = try MotoServer.start(requireSignatures: requireSignatures)
    defer { server.stop() }
    if let bucket { try server.createBucket(bucket) }
    var settings = S3ObjectStoreSettings(
        endpoint: server.endpoint, bucket: bucket ?? "scribe-test", accessKeyID: server.accessKeyID,
        secretAccessKey: server.secretAccessKey, pathStyle: true, prefix: prefix)
    settings.baseBackoff = .milliseconds(1)
    settings.maxBackoff = .milliseconds(20)
    settings.connectTimeout = .seconds(1)
    configure(&settings)
    let store = try S3ObjectStore(settings: settings, logger: Logger(label: "scribe.s3.test"))
    do {
        try await body(server, store)
    } catch {
        try await store.shutdown()
        throw error
    }
    try await store.shutdown()
}

/// Deterministic bytes for object bodies.
func patternBytes(_ count: Int, seed: UInt8 = 0) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ Int(seed) &+ ($0 >> 12)) }
}
