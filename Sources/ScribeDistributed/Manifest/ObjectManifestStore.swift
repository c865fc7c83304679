import ScribeObjects

/// Published manifests as objects `manifest/<version>.json`, written with
/// `ifAbsent` so a version is published once; the newest is found by listing.
public struct ObjectManifestStore: ManifestStore {
    let objects: any ObjectStore

    public init(objects: any ObjectStore) {
        self.objects = objects
    }

    public func latest() async throws -> PublishedManifest? {
        let versions = try await objects.list(prefix: ObjectKeys.manifestPrefix, startAfter: nil)
            .compactMap { ObjectKeys.manifestVersion(fromKey: $0.key) }
        guard let newest = versions.max() else { return nil }
        let key = ObjectKeys.manifest(version: newest)
        let bytes = try await objects.get(key)
        do {
            let manifest = try PublishedManifestJSON.decode(bytes, origin: objects.location + "/" + key)
            guard manifest.version == newest else {
                throw DurableTierError.corrupt("\(key) holds version \(manifest.version)")
            }
            return manifest
        } catch let error as ObjectFormatError {
            throw DurableTierError.corrupt("\(error)")
        }
    }

    public func publish(_ manifest: PublishedManifest) async throws {
        try await objects.put(
            ObjectKeys.manifest(version: manifest.version), bytes: PublishedManifestJSON.encode(manifest), ifAbsent: true)
    }

    public func prune(keep: Int) async throws -> Int {
        let keys = try await objects.list(prefix: ObjectKeys.manifestPrefix, startAfter: nil)
            .map(\.key).filter { ObjectKeys.manifestVersion(fromKey: $0) != nil }
        let doomed = keys.dropLast(max(keep, 1))
        for key in doomed { try await objects.delete(key) }
        return doomed.count
    }
}
