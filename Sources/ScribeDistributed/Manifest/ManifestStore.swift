public import ScribeObjects

/// Where published manifest versions live. Single node: `ObjectManifestStore`,
/// next to the segments in the object store; the cluster puts etcd behind the
/// same protocol.
public protocol ManifestStore: Sendable {
    /// The newest published manifest, or nil before the first publication.
    /// Throws `DurableTierError.corrupt` when it does not decode or verify.
    func latest() async throws -> PublishedManifest?
    /// Publishes `manifest`; never replaces a version already published
    /// (`ObjectStoreError.alreadyExists`).
    func publish(_ manifest: PublishedManifest) async throws
    /// Removes published versions older than the newest `keep`; returns how many.
    func prune(keep: Int) async throws -> Int
}
