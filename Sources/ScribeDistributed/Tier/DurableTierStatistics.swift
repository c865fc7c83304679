/// Counters and gauges of the durable tier, for `/metrics`.
public struct DurableTierStatistics: Sendable, Equatable {
    /// Segments uploaded (and verified) since start, and their bytes.
    public var segmentsUploaded: UInt64 = 0
    public var segmentBytesUploaded: UInt64 = 0
    /// Segment uploads that failed (each retry counts).
    public var segmentUploadFailures: UInt64 = 0
    /// Segments of the current version not yet in the object store, and their bytes.
    public var segmentBacklog = 0
    public var segmentBacklogBytes: UInt64 = 0
    /// Seconds the last segment upload took, and the total over all of them.
    public var lastSegmentUploadSeconds = 0.0
    public var segmentUploadSecondsTotal = 0.0
    /// WAL objects uploaded, their bytes, and failed attempts.
    public var walObjectsUploaded: UInt64 = 0
    public var walBytesUploaded: UInt64 = 0
    public var walUploadFailures: UInt64 = 0
    /// Committed WAL bytes not yet in an uploaded object.
    public var walBacklogBytes = 0
    /// `replicated` writes waiting for their WAL object.
    public var walWaiters = 0
    /// Seconds the last WAL object upload took.
    public var lastWALUploadSeconds = 0.0
    /// The newest sequence known to be in an uploaded WAL object or published segment.
    public var replicatedSequence: UInt64 = 0
    /// The newest manifest version published, 0 before the first.
    public var publishedManifestVersion: UInt64 = 0
    /// Manifest versions published since start.
    public var manifestsPublished: UInt64 = 0
    /// Objects removed by retention (segments, WAL objects, manifests).
    public var objectsDeleted: UInt64 = 0
    /// False while the last object store call failed.
    public var objectStoreAvailable = true
    /// Segment cache: reads served from whole cached files, range reads from the
    /// object store, bytes of files cached, and files evicted.
    public var cacheHits: UInt64 = 0
    public var cacheRangeReads: UInt64 = 0
    public var cacheBytes: UInt64 = 0
    public var cacheEvictions: UInt64 = 0

    public init() {}
}
