import LSMEngine

/// The limits and defaults the HTTP layer applies, from the node's configuration.
public struct APISettings: Sendable {
    /// Bodies above this are refused with 413 while they stream in.
    public var maxValueSize: Int
    public var maxKeySize: Int
    /// How writes are acknowledged unless a request's `X-Scribe-Durability` header says otherwise.
    public var defaultDurability: Durability
    /// Whether the node has an object store, so that `replicated` writes can be acknowledged;
    /// without one the header `X-Scribe-Durability: replicated` is refused with 400.
    public var replicationAvailable: Bool
    /// The most entries one listing page returns (and the default page size).
    public var maxListLimit: Int
    /// The largest JSON body `POST /batch` and `POST /put` accept.
    public var maxJSONBodySize: Int

    /// The most bytes a request's target (path and query), header names and header values
    /// may hold together: room for any key of `maxKeySize` bytes percent-encoded (3 bytes
    /// each) beside the 80 KiB NIO allows by default. A head over it is answered 431.
    public var maxRequestHeadSize: Int { 3 * maxKeySize + (80 << 10) }

    public init(
        maxValueSize: Int = 64 << 20, maxKeySize: Int = 64 << 10, defaultDurability: Durability = .local,
        replicationAvailable: Bool = false, maxListLimit: Int = 1000, maxJSONBodySize: Int = 128 << 20
    ) {
        self.maxValueSize = maxValueSize
        self.maxKeySize = maxKeySize
        self.defaultDurability = defaultDurability
        self.replicationAvailable = replicationAvailable
        self.maxListLimit = maxListLimit
        self.maxJSONBodySize = maxJSONBodySize
    }
}
