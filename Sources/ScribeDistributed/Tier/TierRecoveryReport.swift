/// What `DurableTier.open` restored from the object store into an empty data directory.
public struct TierRecoveryReport: Sendable, Equatable {
    /// True when the data directory held no store and was rebuilt from objects.
    public var rebuilt = false
    /// The published manifest version the store started from (0: none was published).
    public var manifestVersion: UInt64 = 0
    /// Segments that manifest lists (fetched lazily, not at start).
    public var segments = 0
    /// WAL objects read and batches replayed from them (newer than the manifest).
    public var walObjects = 0
    public var walBatchesReplayed = 0
    /// The newest sequence after recovery.
    public var lastSequence: UInt64 = 0

    public init() {}
}
