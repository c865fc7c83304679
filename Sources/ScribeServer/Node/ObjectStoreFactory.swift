import Logging
import ScribeDistributed

/// An object store opened for the node, and how to release it once the tier is closed.
struct OpenedObjectStore: Sendable {
    let store: any ObjectStore
    /// Where its credentials came from, for the start-up log (never the secret).
    let credentialsSource: String
    let shutdown: @Sendable () async throws -> Void
}

/// Builds the object store a configuration names.
enum ObjectStoreFactory {
    /// Opens the directory (creating it) or the S3 client; nothing is sent yet.
    static func open(_ configuration: ObjectStoreConfiguration, logger: Logger) throws -> OpenedObjectStore {
        switch configuration {
        case let .directory(path):
            return OpenedObjectStore(
                store: try LocalDirectoryObjectStore(root: path), credentialsSource: "none (local directory)",
                shutdown: {})
        case let .s3(s3):
            var settings = S3ObjectStoreSettings(
                endpoint: s3.endpoint, bucket: s3.bucket, region: s3.region, accessKeyID: s3.accessKeyID,
                secretAccessKey: s3.secretAccessKey, sessionToken: s3.sessionToken.isEmpty ? nil : s3.sessionToken,
                pathStyle: s3.pathStyle, prefix: s3.prefix)
            settings.requestTimeout = s3.requestTimeout
            settings.maxAttempts = s3.maxAttempts
            let store = try S3ObjectStore(settings: settings, logger: logger)
            return OpenedObjectStore(
                store: store, credentialsSource: s3.credentialsSource, shutdown: { try await store.shutdown() })
        }
    }
}
