import LSMEngine

/// The limits and defaults the HTTP layer applies, from the node's configuration.
public struct APISettings: Sendable {
    /// Bodies above this are refused with 413 while they stream in.
    public var maxValueSize: Int
    public var maxKeySize: Int
    /// How writes are acknowledged unless a request's `X-Scribe-Durability` header says otherwise.
    public var defaultDurability: Durability
    /// The most entries one listing page returns (and the default page size).
    public var maxListLimit: Int
    /// The largest JSON body `POST /batch` and `POST /put` accept.
    public var maxJSONBodySize: Int

    public init(
        maxValueSize: Int = 64 << 20, maxKeySize: Int = 64 << 10, defaultDurability: Durability = .synced,
        maxListLimit: Int = 1000, maxJSONBodySize: Int = 128 << 20
    ) {
        self.maxValueSize = maxValueSize
        self.maxKeySize = maxKeySize
        self.defaultDurability = defaultDurability
        self.maxListLimit = maxListLimit
        self.maxJSONBodySize = maxJSONBodySize
    }
}
