/// What an object store reports about one object.
public struct ObjectInfo: Sendable, Equatable {
    /// The key, relative to the store's root (as passed to `ObjectStore` methods).
    public var key: String
    /// Bytes stored.
    public var size: UInt64
    /// The service's entity tag without quotes (S3: the MD5 of a single-part
    /// upload, `md5-of-part-md5s-N` for multipart); nil where the store has none.
    public var etag: String?

    public init(key: String, size: UInt64, etag: String? = nil) {
        self.key = key
        self.size = size
        self.etag = etag
    }
}
