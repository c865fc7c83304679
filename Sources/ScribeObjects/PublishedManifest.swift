public import LSMEngine

/// A manifest version made public in object storage: every segment it lists
/// was uploaded and verified first. A node with an empty disk starts from the
/// newest one (`base`); proofs name its digest. docs/formats.md, "Published manifest".
public struct PublishedManifest: Sendable, Equatable {
    /// The engine's version number, digest and the digest it chains from.
    public var version: UInt64
    public var digest: [UInt8]
    public var previousDigest: [UInt8]
    /// The flushed sequence: every write up to it is in `segments`.
    public var lastSequence: UInt64
    /// The live segments in commitment order (what the manifest root covers).
    public var segments: [SegmentMetadata]
    /// Segments that left the manifest and stay in object storage until their retention ends.
    public var retired: [RetiredSegment]
    /// The writer's epoch (its WAL objects are under `wal/<epoch>/`) and name.
    public var epoch: UInt64
    public var nodeID: String
    /// Unix time of publication, in milliseconds.
    public var publishedAt: UInt64

    public init(
        version: Version, retired: [RetiredSegment], epoch: UInt64, nodeID: String, publishedAt: UInt64
    ) {
        self.version = version.versionNumber
        digest = version.digest
        previousDigest = version.previousDigest
        lastSequence = version.lastSequence
        segments = version.allSegments
        self.retired = retired
        self.epoch = epoch
        self.nodeID = nodeID
        self.publishedAt = publishedAt
    }

    init(
        version: UInt64, digest: [UInt8], previousDigest: [UInt8], lastSequence: UInt64, segments: [SegmentMetadata],
        retired: [RetiredSegment], epoch: UInt64, nodeID: String, publishedAt: UInt64
    ) {
        self.version = version
        self.digest = digest
        self.previousDigest = previousDigest
        self.lastSequence = lastSequence
        self.segments = segments
        self.retired = retired
        self.epoch = epoch
        self.nodeID = nodeID
        self.publishedAt = publishedAt
    }

    /// What a new store starts from.
    public var base: StoreBase {
        StoreBase(
            versionNumber: version, previousDigest: previousDigest, digest: digest, lastSequence: lastSequence,
            segments: segments)
    }

    /// The digest recomputed from the listed records, the flushed sequence and the
    /// version number, chained from `previousDigest`: equal to `digest` exactly
    /// when the document is consistent. Throws when the records are not in commitment order.
    public func recomputedDigest() throws -> [UInt8] {
        var leaves: [[UInt8]] = []
        leaves.reserveCapacity(segments.count)
        for (i, segment) in segments.enumerated() {
            if i > 0 {
                let before = segments[i - 1]
                let ordered = before.level < segment.level
                    || (before.level == segment.level
                        && Version.commitmentPrecedes(before, segment, level: segment.level))
                guard ordered else {
                    throw ObjectFormatError(
                        origin: "manifest \(version)", offset: 0, reason: "segment \(i) is out of commitment order")
                }
            }
            leaves.append(ManifestCommitment.leafHash(segment))
        }
        let header = ManifestCommitment.header(
            versionNumber: version, lastSequence: lastSequence, segmentCount: segments.count,
            manifestRoot: ManifestCommitment.root(ofLeafHashes: leaves))
        return ManifestCommitment.digest(previous: previousDigest, header: header)
    }
}

/// A segment no longer in the manifest, kept for proofs against older digests.
public struct RetiredSegment: Sendable, Equatable {
    public var id: SegmentID
    public var fileSize: UInt64
    /// Unix time, in milliseconds, of the first publication without it.
    public var retiredAt: UInt64

    public init(id: SegmentID, fileSize: UInt64, retiredAt: UInt64) {
        self.id = id
        self.fileSize = fileSize
        self.retiredAt = retiredAt
    }
}
