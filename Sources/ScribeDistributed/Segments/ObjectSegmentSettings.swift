import LSMEngine

/// How an `ObjectSegmentProvider` reads segments from the object store.
public struct ObjectSegmentSettings: Sendable {
    /// Bytes fetched from the end of a segment by its first read there (the
    /// footer), so the metadata blocks read next usually need no request of
    /// their own. Kept in memory until the file is cached or a read goes below it.
    public var tailWindow: UInt64 = 1 << 20
    /// Bytes asked for per range request while downloading a whole segment.
    public var downloadChunk: UInt64 = 8 << 20
    /// Whole-segment downloads running at once (after misses and from `prefetch`).
    public var downloadConcurrency = 2
    /// How long one read waits for the object store before throwing `LSMError.unavailable`.
    public var readTimeout: Duration = .seconds(10)

    public init() {}

    func validate() throws {
        func check(_ ok: Bool, _ message: String) throws {
            if !ok { throw LSMError.invalidArgument(message) }
        }
        try check(tailWindow >= 64, "tailWindow \(tailWindow) must be at least the 64-byte footer")
        try check(downloadChunk >= 4096, "downloadChunk \(downloadChunk) must be at least 4 KiB")
        try check(downloadConcurrency >= 1, "downloadConcurrency \(downloadConcurrency) must be at least 1")
        try check(readTimeout > .zero, "readTimeout \(readTimeout) must be positive")
    }
}
