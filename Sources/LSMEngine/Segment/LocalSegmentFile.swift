/// A segment file in the store's directory, read with `pread` through the store's `FileSystem`.
final class LocalSegmentFile: SegmentSource {
    let size: UInt64
    private let handle: any ReadableFile

    /// Opens `path` read-only; its size is taken once (segment files never change).
    init(path: String, fileSystem: any FileSystem) throws {
        handle = try fileSystem.openForReading(path)
        size = try handle.size()
    }

    func read(at offset: UInt64, count: Int) throws -> [UInt8] {
        try handle.read(at: offset, count: count)
    }
}
