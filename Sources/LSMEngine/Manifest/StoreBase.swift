/// A published manifest version that a new, empty store starts from: how a node
/// rebuilds itself from object storage. The store's first version is exactly
/// this one (same number, segments, flushed sequence and digest), so proofs
/// against the published digest keep verifying and the chain continues.
public struct StoreBase: Sendable, Equatable {
    /// The published version's number (≥ 1).
    public var versionNumber: UInt64
    /// The digest of the version before it, which its digest chains from.
    public var previousDigest: [UInt8]
    /// The published version's digest; `LSMStore.create(at:base:)` recomputes and checks it.
    public var digest: [UInt8]
    /// Its flushed sequence: every write up to it is in `segments`.
    public var lastSequence: SequenceNumber
    /// Its live segments, each at its own level.
    public var segments: [SegmentMetadata]

    public init(
        versionNumber: UInt64, previousDigest: [UInt8], digest: [UInt8], lastSequence: SequenceNumber,
        segments: [SegmentMetadata]
    ) {
        self.versionNumber = versionNumber
        self.previousDigest = previousDigest
        self.digest = digest
        self.lastSequence = lastSequence
        self.segments = segments
    }
}
