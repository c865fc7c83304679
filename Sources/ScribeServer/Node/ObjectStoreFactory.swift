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
    static func open(_ configuration: ObjectStoreConfiguration, logger: Logger) throws -> OpenedObjectStore {
        switch configuration {
        case .directory, .s3:
            throw ConfigurationError(
                key: "storage.object_store_dir",
                message: "this build has no object store implementation; remove storage.object_store_dir and [storage.s3]")
        }
    }
}
