/// Random-access bytes of one segment file: a local file, or a segment held in
/// object storage and read through a cache. `SegmentReader` reads only through this.
public protocol SegmentSource: AnyObject, Sendable {
    /// The file's size in bytes.
    var size: UInt64 { get }
    /// Exactly `count` bytes at `offset`, or fewer only at the end of the file.
    /// Throws `LSMError.io` for a local failure and `LSMError.unavailable` when
    /// remote bytes cannot be fetched now.
    func read(at offset: UInt64, count: Int) throws -> [UInt8]
}

/// Opens segments the manifest lists but the store directory does not hold: a
/// store rebuilt from object storage fetches its segments lazily through this.
public protocol RemoteSegmentProvider: Sendable {
    /// The bytes of `segment` (its `fileSize` is known from the manifest).
    func open(_ segment: SegmentMetadata) throws -> any SegmentSource
}
