/// A manifest version whose segment files stay on disk while the pin lives,
/// even after compaction replaces them: the durable tier uploads from a pin.
public final class VersionPin: Sendable {
    private let pinned: PinnedVersion
    /// The store's directory, where local segment files live.
    private let directory: String
    private let fileSystem: any FileSystem

    init(_ pinned: PinnedVersion, directory: String, fileSystem: any FileSystem) {
        self.pinned = pinned
        self.directory = directory
        self.fileSystem = fileSystem
    }

    /// The pinned version.
    public var version: Version { pinned.version }

    /// The path of `segment`'s file in the store directory, or nil when the
    /// segment is not local (a rebuilt store reads it from object storage).
    public func localPath(of segment: SegmentMetadata) -> String? {
        let path = directory + "/" + segment.id.fileName
        return fileSystem.fileExists(path) ? path : nil
    }
}
